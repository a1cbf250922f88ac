// The second half of an import: Import applies a previewed file as a whole, or Cancel drops it.
// A conditional status change (previewed → imported / cancelled) decides once: two clicks, or two
// HR people clicking at once, give one decision, and the later click is told "already_decided".
//
// Import upserts every parsed row by employee number in one transaction, 1,000 rows per
// INSERT … ON CONFLICT statement (50,000 rows are 50 statements, not 50,000 calls). A row whose
// columns all equal the stored ones is left alone (not even updated_at or import_id change), so
// importing the same file twice changes nothing. The member a row is linked to stays linked.
import { Prisma } from "../../generated/prisma/client.js";
import type { Db, Tx } from "../db.js";
import { AppError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";
import { rosterKeys } from "./match-keys.js";
import type { RosterRow } from "./parse-roster-file.js";
import { type RosterPreview, rosterPreviewOf, ZRosterRows } from "./roster-import-view.js";

/** Rows per INSERT statement. */
export const UPSERT_BATCH = 1_000;
/** A 50,000-row import on the embedded database takes seconds, longer than Prisma's 5-second default. */
const APPLY_TIMEOUT_MS = 5 * 60_000;

type Outcome<T extends string> = Promise<{ outcome: T | "already_decided"; preview: RosterPreview }>;

export async function applyRosterImport(options: {
  prisma: Db;
  actorId: string;
  importNumber: number;
}): Outcome<"imported"> {
  return decide({ ...options, to: "imported" });
}

export async function cancelRosterImport(options: {
  prisma: Db;
  actorId: string;
  importNumber: number;
}): Outcome<"cancelled"> {
  return decide({ ...options, to: "cancelled" });
}

async function decide<T extends "imported" | "cancelled">(options: {
  prisma: Db;
  actorId: string;
  importNumber: number;
  to: T;
}): Outcome<T> {
  const { prisma, actorId, importNumber, to } = options;
  const outcome = await prisma.$transaction(
    async (tx) => {
      await requireRole(tx, actorId, ["hr"]);
      // The row lock taken here makes a concurrent click wait, then find the status changed.
      const claimed = await tx.rosterImport.updateMany({
        where: { number: importNumber, status: "previewed" },
        data: { status: to, decidedAt: new Date() },
      });
      const row = await tx.rosterImport.findUnique({
        where: { number: importNumber },
        select: { id: true, number: true, fileName: true, status: true, summary: true },
      });
      if (!row) throw new AppError("not_found", { number: importNumber }, { key: "roster.importNotFound" });
      const preview = rosterPreviewOf(row);
      if (claimed.count === 0) return { outcome: "already_decided" as const, preview, written: 0 };

      let written = 0;
      if (to === "imported") {
        // As text, parsed here: Prisma's JSON output for 50,000 rows is several times slower.
        const [stored] = await tx.$queryRaw<{ rows: string | null }[]>`
          SELECT rows::text AS rows FROM roster_imports WHERE id = ${row.id}::uuid`;
        const rows = ZRosterRows.parse(JSON.parse(stored?.rows ?? "[]"));
        written = await upsertRows(tx, row.id, rows);
      }
      // The parsed rows were only kept to be applied; the decision is made either way.
      await tx.rosterImport.update({ where: { id: row.id }, data: { rows: Prisma.DbNull } });
      await tx.auditLog.create({
        data: {
          actorId,
          action: to === "imported" ? "roster.imported" : "roster.cancelled",
          subjectType: "roster_import",
          subjectId: row.id,
          details: {
            number: row.number,
            fileName: row.fileName,
            counts: { ...preview.counts },
            ...(to === "imported" ? { written } : {}),
          },
        },
      });
      return { outcome: to, preview, written };
    },
    { timeout: APPLY_TIMEOUT_MS },
  );
  if (outcome.written > 0) await refreshRosterStatistics(prisma);
  return { outcome: outcome.outcome, preview: outcome.preview };
}

/**
 * After an import, the planner's picture of roster_entries and the email index are brought up to
 * date at once, so the matching at the next join uses the email index. Measured with 50,000 new
 * rows: before ANALYZE, PostgreSQL scanned every unlinked row for an email (7.5 ms; 14 ms p50 per
 * join in the bench), and the embedded PGlite has no autovacuum to ever analyze it. Rows just
 * inserted wait in the GIN index's pending list, which every lookup reads through until it is
 * merged. Best effort: the import has committed, and autovacuum does the same later.
 */
async function refreshRosterStatistics(prisma: Db): Promise<void> {
  try {
    await prisma.$executeRawUnsafe("ANALYZE roster_entries");
    await prisma.$queryRawUnsafe("SELECT gin_clean_pending_list('roster_entries_email_keys_idx'::regclass)");
  } catch {
    // Only slower lookups until autovacuum runs (PostgreSQL); nothing is lost.
  }
}

/**
 * Insert new rows and update changed ones; returns how many rows were written (unchanged rows are not).
 * Each statement carries its 1,000 rows as one JSON parameter, read by jsonb_array_elements: the same
 * multi-row INSERT … ON CONFLICT as a VALUES list of 17,000 bind parameters, about 40 % faster on both
 * engines and with far less garbage in this process.
 */
async function upsertRows(tx: Tx, importId: string, rows: RosterRow[]): Promise<number> {
  // One order for every import, so two imports touching the same numbers lock them in the same order.
  const sorted = [...rows].sort((a, b) =>
    a.employeeNumber < b.employeeNumber ? -1 : a.employeeNumber > b.employeeNumber ? 1 : 0,
  );
  let written = 0;
  for (let i = 0; i < sorted.length; i += UPSERT_BATCH) {
    const batch = JSON.stringify(
      sorted.slice(i, i + UPSERT_BATCH).map((r) => {
        const keys = rosterKeys(r);
        return [
          r.employeeNumber,
          r.familyName,
          r.givenName,
          r.familyNameKana,
          r.givenNameKana,
          r.workEmail,
          r.personalEmail,
          r.department,
          r.joinedOn,
          r.leftOn,
          r.leaveReason,
          r.rehireEligible,
          keys.emailKeys,
          keys.nameKeys,
        ];
      }),
    );
    written += await tx.$executeRaw`
      INSERT INTO roster_entries AS e (id, employee_number, family_name, given_name, family_name_kana, given_name_kana,
        work_email, personal_email, department, joined_on, left_on, leave_reason, rehire_eligible, email_keys,
        name_keys, import_id, created_at, updated_at)
      SELECT gen_random_uuid(), r->>0, r->>1, r->>2, r->>3, r->>4, r->>5, r->>6, r->>7, (r->>8)::date, (r->>9)::date,
        r->>10, (r->>11)::boolean, ARRAY(SELECT jsonb_array_elements_text(r->12)), ARRAY(SELECT jsonb_array_elements_text(r->13)),
        ${importId}::uuid, now(), now()
      FROM jsonb_array_elements(${batch}::jsonb) AS r
      ON CONFLICT (employee_number) DO UPDATE SET
        family_name = EXCLUDED.family_name, given_name = EXCLUDED.given_name,
        family_name_kana = EXCLUDED.family_name_kana, given_name_kana = EXCLUDED.given_name_kana,
        work_email = EXCLUDED.work_email, personal_email = EXCLUDED.personal_email, department = EXCLUDED.department,
        joined_on = EXCLUDED.joined_on, left_on = EXCLUDED.left_on, leave_reason = EXCLUDED.leave_reason,
        rehire_eligible = EXCLUDED.rehire_eligible, email_keys = EXCLUDED.email_keys, name_keys = EXCLUDED.name_keys,
        import_id = EXCLUDED.import_id, updated_at = EXCLUDED.updated_at
      WHERE (e.family_name, e.given_name, e.family_name_kana, e.given_name_kana, e.work_email, e.personal_email,
             e.department, e.joined_on, e.left_on, e.leave_reason, e.rehire_eligible, e.email_keys, e.name_keys)
        IS DISTINCT FROM
            (EXCLUDED.family_name, EXCLUDED.given_name, EXCLUDED.family_name_kana, EXCLUDED.given_name_kana,
             EXCLUDED.work_email, EXCLUDED.personal_email, EXCLUDED.department, EXCLUDED.joined_on, EXCLUDED.left_on,
             EXCLUDED.leave_reason, EXCLUDED.rehire_eligible, EXCLUDED.email_keys, EXCLUDED.name_keys)`;
  }
  return written;
}
