// Who a broadcast goes to: registered, active, verified members with a Slack
// identity, narrowed by one condition. Counting and sending use the same query, so
// the number HR sees before sending is the number of messages queued.
//
// Department and leave year come from HR's roster first: the department and the
// year of left_on of the member's linked roster row (roster_entries.person_id), and
// only when the row has none (or there is no linked row) what the member entered in
// their profile. The roster is used to choose recipients, nothing else: a broadcast
// is one DM per member, it never lists who else received it, and nothing of a roster
// row is shown to alumni (the directory still shows only what each member chose).
import { z } from "zod";
import { Prisma } from "../../generated/prisma/client.js";
import type { Db, Tx } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput } from "../validation.js";

export const SEGMENT_KINDS = ["all", "job_alerts", "gig_alerts", "open_to_return", "left_year", "department"] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

const MIN_YEAR = 1950;

export const ZSegment = z
  .object({
    kind: z.enum(SEGMENT_KINDS),
    value: z.union([z.string(), z.number()]).nullish(),
  })
  .transform((s, ctx): TSegment => {
    const raw = typeof s.value === "string" ? s.value.normalize("NFC").trim() : s.value;
    if (s.kind === "left_year") {
      const year = typeof raw === "number" ? raw : raw && /^\d{4}$/.test(raw) ? Number(raw) : Number.NaN;
      const max = new Date().getUTCFullYear();
      if (!Number.isInteger(year) || year < MIN_YEAR || year > max) {
        ctx.addIssue({ code: "custom", path: ["value"], message: "validation.year", params: { min: MIN_YEAR, max } });
        return z.NEVER;
      }
      return { kind: "left_year", value: year };
    }
    if (s.kind === "department") {
      const department = typeof raw === "string" ? raw : "";
      if (department === "") {
        ctx.addIssue({ code: "custom", path: ["value"], message: "validation.required" });
        return z.NEVER;
      }
      if (department.length > 100) {
        ctx.addIssue({ code: "custom", path: ["value"], message: "validation.tooLong", params: { max: 100 } });
        return z.NEVER;
      }
      return { kind: "department", value: department };
    }
    return { kind: s.kind, value: null };
  });

export type TSegment =
  | { kind: Exclude<SegmentKind, "left_year" | "department">; value: null }
  | { kind: "left_year"; value: number }
  | { kind: "department"; value: string };

export interface SegmentMember {
  personId: string;
  teamId: string;
  userId: string;
}

function condition(segment: TSegment): Prisma.Sql {
  switch (segment.kind) {
    case "all":
      return Prisma.sql`TRUE`;
    case "job_alerts":
      return Prisma.sql`pr.job_alerts`;
    case "gig_alerts":
      return Prisma.sql`pr.gig_alerts`;
    case "open_to_return":
      return Prisma.sql`pr.open_to_return`;
    case "left_year":
      // HR's leave date when the roster has one, else the year the member entered.
      return Prisma.sql`COALESCE(EXTRACT(YEAR FROM re.left_on)::int, pr.left_year) = ${segment.value}::int`;
    case "department":
      // Exact but case-insensitive (no LIKE: "%" and "_" in a department are literal);
      // HR's department when the roster has one, else the member's.
      return Prisma.sql`lower(btrim(COALESCE(NULLIF(btrim(re.department), ''), pr.department))) = lower(${segment.value})`;
  }
}

function members(segment: TSegment): Prisma.Sql {
  return Prisma.sql`
    FROM profiles pr
    JOIN people p ON p.id = pr.person_id
    JOIN slack_identities si ON si.person_id = p.id
    LEFT JOIN roster_entries re ON re.person_id = p.id
    WHERE p.status = 'active'
      AND p.membership_status = 'verified'
      AND EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.withdrawn_at IS NULL)
      AND ${condition(segment)}`;
}

/** Every member in the segment, one Slack identity each (their oldest). */
export async function segmentMembers(prisma: Db | Tx, segment: TSegment): Promise<SegmentMember[]> {
  const rows = await prisma.$queryRaw<{ person_id: string; team_id: string; user_id: string }[]>`
    SELECT DISTINCT ON (p.id) p.id AS person_id, si.team_id, si.user_id
    ${members(segment)}
    ORDER BY p.id, si.created_at, si.id`;
  return rows.map((r) => ({ personId: r.person_id, teamId: r.team_id, userId: r.user_id }));
}

export function parseSegment(segment: unknown): TSegment {
  return parseInput(z.object({ segment: ZSegment }), { segment }).segment;
}

/** How many members a broadcast to `segment` would reach (hr or cm). */
export async function countSegment(options: { prisma: Db; actorId: string; segment: unknown }): Promise<number> {
  const segment = parseSegment(options.segment);
  await requireRole(options.prisma, options.actorId, ["hr", "cm"]);
  const rows = await options.prisma.$queryRaw<{ n: number }[]>`
    SELECT COUNT(DISTINCT p.id)::int AS n ${members(segment)}`;
  return rows[0]?.n ?? 0;
}
