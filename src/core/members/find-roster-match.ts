// Matching a join form against HR's leavers roster (roster_entries). The rules,
// in order (README "Verified membership"):
//
// 1. Personal email: the form's email, made a key by emailKey() (NFKC, so full-width
//    characters count as their ASCII twins, trimmed, lower case), equals one of a row's
//    email_keys (its personal email only: the work email is gone and colleagues could
//    guess it) → verified, rule "email".
// 2. Employee number and family name: employeeNumberKey(number) equals the row's employee
//    number AND nameKey(family name) (NFKC, spaces removed, katakana as hiragana, variant
//    kanji folded: 髙 = 高) is one of the row's name_keys (its family name in kanji and in
//    kana) → verified, rule "employee_number_and_name". A number alone never verifies.
// 3. Anything else → pending: HR decides (the approval queue).
//
// A row already linked to a person (roster_entries.person_id) never matches anyone: one
// leaver's record verifies one member. Several unlinked rows with the same personal
// email (rare: re-hired and left twice) match the most recently updated one.
import { Prisma } from "../../generated/prisma/client.js";
import type { Db, Tx } from "../db.js";
import { emailKey, employeeNumberKey, nameKey } from "../roster/match-keys.js";

export type MatchRule = "email" | "employee_number_and_name";

export interface RosterCandidate {
  entryId: string;
  employeeNumber: string;
  /** Family and given name as HR wrote them (kanji). */
  name: string;
  nameKana: string | null;
  department: string | null;
  /** yyyy-mm-dd */
  leftOn: string | null;
  /** What this row shares with the form. */
  why: ("email" | "employee_number" | "name")[];
}

export async function findRosterMatch(options: {
  prisma: Db | Tx;
  personalEmail: string | null;
  employeeNumber: string | null;
  familyName: string | null;
}): Promise<{ entryId: string; rule: MatchRule } | null> {
  const { prisma } = options;
  const email = emailKey(options.personalEmail);
  if (email) {
    const rows = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM roster_entries
      WHERE email_keys @> ARRAY[${email}]::text[] AND person_id IS NULL
      ORDER BY updated_at DESC, id LIMIT 1`;
    if (rows[0]) return { entryId: rows[0].id, rule: "email" };
  }
  const number = employeeNumberKey(options.employeeNumber);
  const name = nameKey(options.familyName);
  if (number && name) {
    const rows = await prisma.$queryRaw<{ id: string }[]>`
      SELECT id FROM roster_entries
      WHERE employee_number = ${number} AND ${name} = ANY(name_keys) AND person_id IS NULL`;
    if (rows[0]) return { entryId: rows[0].id, rule: "employee_number_and_name" };
  }
  return null;
}

/**
 * The roster rows closest to what a person entered, for HR's join-request card: rows not yet
 * linked to anyone that share the personal email, the employee number or the family name,
 * those sharing the most first. HR's records, shown to HR only.
 */
export async function closestRosterCandidates(options: {
  prisma: Db | Tx;
  personalEmail: string | null;
  employeeNumber: string | null;
  familyName: string | null;
  limit?: number;
}): Promise<RosterCandidate[]> {
  const email = emailKey(options.personalEmail);
  const number = employeeNumberKey(options.employeeNumber);
  const name = nameKey(options.familyName);
  if (!email && !number && !name) return [];
  const limit = Math.min(Math.max(options.limit ?? 5, 1), 20);
  const byEmail = email ? Prisma.sql`email_keys @> ARRAY[${email}]::text[]` : Prisma.sql`false`;
  const byNumber = number ? Prisma.sql`employee_number = ${number}` : Prisma.sql`false`;
  const byName = name ? Prisma.sql`${name} = ANY(name_keys)` : Prisma.sql`false`;
  const rows = await options.prisma.$queryRaw<
    {
      id: string;
      employee_number: string;
      family_name: string | null;
      given_name: string | null;
      family_name_kana: string | null;
      given_name_kana: string | null;
      department: string | null;
      left_on: string | null;
      by_email: boolean;
      by_number: boolean;
      by_name: boolean;
    }[]
  >`
    SELECT id, employee_number, family_name, given_name, family_name_kana, given_name_kana, department,
           to_char(left_on, 'YYYY-MM-DD') AS left_on, by_email, by_number, by_name
    FROM (
      SELECT r.*, ${byEmail} AS by_email, ${byNumber} AS by_number, ${byName} AS by_name
      FROM roster_entries r
      WHERE r.person_id IS NULL AND (${byEmail} OR ${byNumber} OR ${byName})
    ) r
    ORDER BY by_email::int + by_number::int + by_name::int DESC, by_email DESC, by_number DESC,
             left_on DESC NULLS LAST, employee_number
    LIMIT ${limit}`;
  const join = (a: string | null, b: string | null) => [a, b].filter(Boolean).join(" ");
  return rows.map((r) => ({
    entryId: r.id,
    employeeNumber: r.employee_number,
    name: join(r.family_name, r.given_name) || join(r.family_name_kana, r.given_name_kana),
    nameKana: join(r.family_name_kana, r.given_name_kana) || null,
    department: r.department,
    leftOn: r.left_on,
    why: [
      ...(r.by_email ? (["email"] as const) : []),
      ...(r.by_number ? (["employee_number"] as const) : []),
      ...(r.by_name ? (["name"] as const) : []),
    ],
  }));
}
