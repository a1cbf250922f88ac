// Directory search over listed members. A word matches only fields the member
// chose to show (searching a hidden field must not reveal it), and two people
// who blocked each other never see each other.
//
// What a member shows is kept, by database triggers, in profiles.search_text
// (NFKC, lower case; a hidden field is never in it), search_grams and
// search_years; see the directory_search migration. A word with three letters
// or digits in a row is `search_text LIKE '%word%'`, which a pg_trgm GIN index
// answers; a shorter word (田中, Go, C#) has no trigram, so it is found through
// its one- and two-character pieces in search_grams instead. Either way, a word
// that many members match walks the created_at index and stops after a page.
import { z } from "zod";
import { Prisma } from "../../generated/prisma/client.js";
import type { ProfileField } from "../../generated/prisma/enums.js";
import type { Db } from "../db.js";
import { parseInput, zLine } from "../validation.js";
import { visibleProfile } from "./visible-profile.js";

export const DIRECTORY_PAGE_SIZE = 10;
/** How many of the newest listed profiles a search looks at first, per page (see searchDirectory). */
const NEWEST_PER_PAGE = 1000;

export interface DirectoryEntry {
  personId: string;
  /** The member's Slack user in the viewer's workspace (for a mention), when their name is shown. */
  slackUserId: string | null;
  shown: ProfileField[];
  displayName?: string;
  email?: string;
  department?: string;
  joinedYear?: number | null;
  leftYear?: number | null;
  employer?: string;
  title?: string;
  skills?: string[];
  interests?: {
    jobAlerts: boolean;
    gigAlerts: boolean;
    eventAlerts: boolean;
    openToReturn: boolean;
    happyToRefer: boolean;
  };
}

const ZSearch = z.object({
  words: z
    .array(
      z
        .string()
        // One space for any run of white space: a word never holds a line break, so it
        // never spans two fields of search_text.
        .transform((w) => w.normalize("NFC").trim().replaceAll(/\s+/gu, " "))
        // No control characters either (PostgreSQL refuses a NUL byte).
        .pipe(zLine(50)),
    )
    .min(1)
    .max(5),
  page: z.number().int().min(0).max(1000),
});

interface Row {
  person_id: string;
  slack_user_id: string | null;
  display_name: string | null;
  email: string | null;
  department: string | null;
  joined_year: number | null;
  left_year: number | null;
  current_employer: string | null;
  title: string | null;
  skills: string[];
  job_alerts: boolean;
  gig_alerts: boolean;
  event_alerts: boolean;
  open_to_return: boolean;
  happy_to_refer: boolean;
  directory_fields: string[];
}

function escapeLike(word: string): string {
  return word.replaceAll(/[\\%_]/g, (c) => `\\${c}`);
}

/** Three letters or digits in a row: pg_trgm extracts a trigram from the pattern. */
const TRIGRAM_WORD = /[\p{L}\p{N}]{3}/u;

/** The pieces search_grams holds for a text that contains `word` (see profiles_search_grams). */
function wordGrams(word: string): string[] {
  const chars = [...word];
  const solid = (g: string) => !g.includes(" ") && !g.includes("\n");
  const pairs = chars
    .slice(0, -1)
    .map((c, i) => c + chars[i + 1])
    .filter(solid);
  return [...new Set(pairs.length > 0 ? pairs : chars.filter(solid))];
}

/** One word's condition: a fragment of the shown text, or exactly a shown year. */
function wordCondition(word: string): Prisma.Sql {
  // NFKC here, before escaping (it turns a full-width ％ into a wildcard); lower()
  // in SQL, so that the word is lower-cased exactly as search_text was.
  const normalized = word.normalize("NFKC");
  let fragment: Prisma.Sql;
  if (TRIGRAM_WORD.test(normalized)) {
    fragment = Prisma.sql`pr.search_text LIKE '%' || lower(${escapeLike(normalized)}::text) || '%'`;
  } else {
    // strpos, not LIKE: a LIKE pattern without a trigram would let the planner
    // read the whole trigram index.
    const grams = wordGrams(normalized).map((g) => Prisma.sql`lower(${g}::text)`);
    const contains = Prisma.sql`strpos(pr.search_text, lower(${normalized}::text)) > 0`;
    fragment =
      grams.length > 0 ? Prisma.sql`(${contains} AND pr.search_grams @> ARRAY[${Prisma.join(grams)}])` : contains;
  }
  if (!/^\d{4}$/.test(normalized)) return fragment;
  return Prisma.sql`(${fragment} OR pr.search_years @> ARRAY[${Number(normalized)}::int])`;
}

export async function searchDirectory(options: {
  prisma: Db;
  viewerId: string;
  /** The viewer's Slack workspace, for mentions. */
  teamId: string;
  words: string[];
  page?: number;
}): Promise<{ entries: DirectoryEntry[]; hasMore: boolean; page: number }> {
  const { words, page } = parseInput(ZSearch, { words: options.words, page: options.page ?? 0 });
  const matches = Prisma.join(words.map(wordCondition), " AND ");
  const limit = DIRECTORY_PAGE_SIZE + 1;
  const offset = page * DIRECTORY_PAGE_SIZE;
  // The same page from a set of listed profiles `pr` (in the directory's order).
  const pageFrom = (profiles: Prisma.Sql) => options.prisma.$queryRaw<Row[]>`
    SELECT p.id AS person_id, si.user_id AS slack_user_id, p.display_name, p.email, pr.department,
           pr.joined_year, pr.left_year, pr.current_employer, pr.title, pr.skills,
           pr.job_alerts, pr.gig_alerts, pr.event_alerts, pr.open_to_return, pr.happy_to_refer,
           pr.directory_fields::text[] AS directory_fields
    FROM ${profiles}
    JOIN people p ON p.id = pr.person_id
    LEFT JOIN slack_identities si ON si.person_id = p.id AND si.team_id = ${options.teamId}
    WHERE pr.listed AND p.status = 'active' AND p.membership_status = 'verified' AND p.id <> ${options.viewerId}::uuid
      AND EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.withdrawn_at IS NULL)
      AND NOT EXISTS (
        SELECT 1 FROM member_blocks b
        WHERE (b.blocker_id = ${options.viewerId}::uuid AND b.blocked_id = p.id)
           OR (b.blocker_id = p.id AND b.blocked_id = ${options.viewerId}::uuid)
      )
      AND ${matches}
    ORDER BY pr.created_at DESC, pr.person_id
    LIMIT ${limit} OFFSET ${offset}`;
  // Which plan is fast depends on how many members match, and the planner's guess
  // for a fragment can be far off (walking the whole created_at index for a word
  // nobody has took 250 ms at 100,000 members). So decide by looking: a word many
  // members match fills the page from the newest profiles alone (a short walk of
  // the created_at index); otherwise it matches fewer than a page per thousand
  // members, and the GIN indexes collect all its matches for sorting.
  let rows = await pageFrom(Prisma.sql`(
    SELECT * FROM profiles WHERE listed ORDER BY created_at DESC, person_id LIMIT ${NEWEST_PER_PAGE * Math.min(page + 1, 10)}
  ) pr`);
  if (rows.length < limit) {
    rows = await pageFrom(Prisma.sql`(
      WITH hits AS MATERIALIZED (SELECT * FROM profiles pr WHERE pr.listed AND ${matches})
      SELECT * FROM hits ORDER BY created_at DESC, person_id
    ) pr`);
  }
  const entries = rows.slice(0, DIRECTORY_PAGE_SIZE).map(toEntry);
  return { entries, hasMore: rows.length > DIRECTORY_PAGE_SIZE, page };
}

/** Only what the member allowed the directory to show. */
function toEntry(row: Row): DirectoryEntry {
  return visibleProfile(
    {
      personId: row.person_id,
      slackUserId: row.slack_user_id,
      displayName: row.display_name,
      email: row.email,
      department: row.department,
      joinedYear: row.joined_year,
      leftYear: row.left_year,
      currentEmployer: row.current_employer,
      title: row.title,
      skills: row.skills,
      jobAlerts: row.job_alerts,
      gigAlerts: row.gig_alerts,
      eventAlerts: row.event_alerts,
      openToReturn: row.open_to_return,
      happyToRefer: row.happy_to_refer,
    },
    row.directory_fields as ProfileField[],
  );
}
