// The first half of an import: an hr (or admin) uploads a leavers file; it is parsed and
// compared with the roster by employee number (new, updated, unchanged = every column equal,
// rejected lines with their reasons), and kept as a RosterImport in status `previewed` with its
// parsed rows, so that Import applies exactly what the card showed, after the file's download
// URL has expired. Nothing is written to roster_entries here. A fatal problem with the file
// throws before anything is stored.
import { createHash } from "node:crypto";
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { parseRosterFile, type RosterRow } from "./parse-roster-file.js";
import { type IMPORTED_FIELDS, sameAsStored } from "./roster-entry-view.js";
import { type RosterCounts, type RosterPreview, rosterPreviewOf, type TRosterSummary } from "./roster-import-view.js";

export type { RosterPreview } from "./roster-import-view.js";

/** Employee numbers looked up per query (well under PostgreSQL's bind-parameter limit). */
const LOOKUP_CHUNK = 5_000;

export async function previewRosterImport(options: {
  prisma: Db;
  uploaderId: string;
  fileName: string;
  bytes: Uint8Array;
  maxRows: number;
  /** Largest file accepted (config.roster.maxBytes); the downloader enforces it too. */
  maxBytes?: number;
}): Promise<RosterPreview> {
  const { prisma, uploaderId, bytes, maxRows } = options;
  await requireRole(prisma, uploaderId, ["hr"]);
  const fileName = options.fileName.trim().slice(0, 255) || "roster.csv";
  const parsed = await parseRosterFile({
    bytes,
    fileName,
    maxRows,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
  const counts = await compareWithRoster(prisma, parsed.rows);
  const summary: TRosterSummary = {
    encoding: parsed.encoding,
    format: parsed.format,
    columns: parsed.columns,
    counts: { ...counts, rejected: parsed.rejected.length },
    rejected: parsed.rejected,
  };
  // One JSON text parameter: Prisma's own JSON input walks every value of 50,000 rows (seconds on PGlite).
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const [created] = await prisma.$queryRaw<{ number: number }[]>`
    INSERT INTO roster_imports (id, uploader_id, file_name, sha256, status, summary, rows, created_at)
    VALUES (gen_random_uuid(), ${uploaderId}::uuid, ${fileName}, ${sha256}, 'previewed', ${JSON.stringify(summary)}::jsonb,
            ${JSON.stringify(parsed.rows)}::jsonb, now())
    RETURNING number`;
  if (!created) throw new Error("roster import was not stored");
  return rosterPreviewOf({ number: created.number, fileName, status: "previewed", summary });
}

async function compareWithRoster(prisma: Db, rows: RosterRow[]): Promise<Omit<RosterCounts, "rejected">> {
  const counts = { new: 0, updated: 0, unchanged: 0 };
  for (let i = 0; i < rows.length; i += LOOKUP_CHUNK) {
    const chunk = rows.slice(i, i + LOOKUP_CHUNK);
    // One array parameter, joined through the unique index. (Prisma's `in` binds one parameter per number,
    // several times slower; `= ANY(array)` lets a planner without statistics, right after a bulk import,
    // scan the whole table comparing each row with every number: a minute at 50,000 rows.)
    const stored = await prisma.$queryRaw<StoredRow[]>`
      SELECT e.employee_number, e.family_name, e.given_name, e.family_name_kana, e.given_name_kana, e.work_email,
             e.personal_email, e.department, to_char(e.joined_on, 'YYYY-MM-DD') AS joined_on,
             to_char(e.left_on, 'YYYY-MM-DD') AS left_on, e.leave_reason, e.rehire_eligible
      FROM unnest(${chunk.map((r) => r.employeeNumber)}::text[]) AS n(employee_number)
      JOIN roster_entries e ON e.employee_number = n.employee_number`;
    const byNumber = new Map(stored.map((s) => [s.employee_number, s]));
    for (const row of chunk) {
      const existing = byNumber.get(row.employeeNumber);
      if (!existing) counts.new += 1;
      else if (sameAsStored(row, storedFields(existing))) counts.unchanged += 1;
      else counts.updated += 1;
    }
  }
  return counts;
}

interface StoredRow {
  employee_number: string;
  family_name: string | null;
  given_name: string | null;
  family_name_kana: string | null;
  given_name_kana: string | null;
  work_email: string | null;
  personal_email: string | null;
  department: string | null;
  joined_on: string | null;
  left_on: string | null;
  leave_reason: string | null;
  rehire_eligible: boolean | null;
}

function storedFields(s: StoredRow): Record<(typeof IMPORTED_FIELDS)[number], string | boolean | null> {
  return {
    familyName: s.family_name,
    givenName: s.given_name,
    familyNameKana: s.family_name_kana,
    givenNameKana: s.given_name_kana,
    workEmail: s.work_email,
    personalEmail: s.personal_email,
    department: s.department,
    joinedOn: s.joined_on,
    leftOn: s.left_on,
    leaveReason: s.leave_reason,
    rehireEligible: s.rehire_eligible,
  };
}
