// `roster <words>` for HR: roster rows whose employee number starts with a word, whose family name
// (kanji or kana, compared as match-keys.ts compares them: 髙橋 = 高橋, タカハシ = たかはし) starts
// with it, whose given name or kana contains it, or whose department contains it. Every word must
// match. LIKE wildcards in the words are taken literally.
import { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { employeeNumberKey, nameKey } from "./match-keys.js";
import type { RosterEntryView } from "./roster-entry-view.js";

export type { RosterEntryView } from "./roster-entry-view.js";

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;
const MAX_WORDS = 5;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

interface Row {
  employee_number: string;
  family_name: string | null;
  given_name: string | null;
  family_name_kana: string | null;
  given_name_kana: string | null;
  department: string | null;
  joined_on: string | null;
  left_on: string | null;
  rehire_eligible: boolean | null;
  person_id: string | null;
}

export async function searchRoster(options: { prisma: Db; query: string; limit?: number }): Promise<RosterEntryView[]> {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limit ?? DEFAULT_LIMIT)));
  const words = options.query
    .normalize("NFKC")
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, MAX_WORDS);
  if (words.length === 0) return [];
  const conditions = words.map((word) => {
    const number = `${escapeLike(employeeNumberKey(word) ?? word)}%`;
    const name = `${escapeLike(nameKey(word) ?? word)}%`;
    const text = `%${escapeLike(word)}%`;
    return Prisma.sql`(employee_number LIKE ${number}
      OR EXISTS (SELECT 1 FROM unnest(name_keys) k WHERE k LIKE ${name})
      OR given_name ILIKE ${text} OR given_name_kana ILIKE ${text}
      OR family_name ILIKE ${text} OR family_name_kana ILIKE ${text}
      OR department ILIKE ${text})`;
  });
  const exact = employeeNumberKey(options.query) ?? "";
  const rows = await options.prisma.$queryRaw<Row[]>`
    SELECT employee_number, family_name, given_name, family_name_kana, given_name_kana, department,
           to_char(joined_on, 'YYYY-MM-DD') AS joined_on, to_char(left_on, 'YYYY-MM-DD') AS left_on,
           rehire_eligible, person_id::text AS person_id
    FROM roster_entries
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY (employee_number = ${exact}) DESC, family_name_kana NULLS LAST, family_name NULLS LAST, employee_number
    LIMIT ${limit}`;
  return rows.map((r) => ({
    employeeNumber: r.employee_number,
    familyName: r.family_name,
    givenName: r.given_name,
    familyNameKana: r.family_name_kana,
    givenNameKana: r.given_name_kana,
    department: r.department,
    joinedOn: r.joined_on,
    leftOn: r.left_on,
    rehireEligible: r.rehire_eligible,
    joined: r.person_id !== null,
  }));
}
