// Directory search over listed members. A word matches only fields the member
// chose to show (searching a hidden field must not reveal it), and two people
// who blocked each other never see each other.
import { z } from "zod";
import { Prisma } from "../../generated/prisma/client.js";
import type { ProfileField } from "../../generated/prisma/enums.js";
import type { Db } from "../db.js";
import { parseInput } from "../validation.js";
import { visibleProfile } from "./visible-profile.js";

export const DIRECTORY_PAGE_SIZE = 10;

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
        .transform((w) => w.normalize("NFC").trim())
        .pipe(z.string().min(1).max(50)),
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

export async function searchDirectory(options: {
  prisma: Db;
  viewerId: string;
  /** The viewer's Slack workspace, for mentions. */
  teamId: string;
  words: string[];
  page?: number;
}): Promise<{ entries: DirectoryEntry[]; hasMore: boolean; page: number }> {
  const { words, page } = parseInput(ZSearch, { words: options.words, page: options.page ?? 0 });
  const conditions = words.map((word) => {
    const pattern = `%${escapeLike(word)}%`;
    return Prisma.sql`(
      ('display_name' = ANY(pr.directory_fields::text[]) AND p.display_name ILIKE ${pattern})
      OR ('skills' = ANY(pr.directory_fields::text[]) AND array_to_string(pr.skills, ' ') ILIKE ${pattern})
      OR ('department' = ANY(pr.directory_fields::text[]) AND pr.department ILIKE ${pattern})
      OR ('employer' = ANY(pr.directory_fields::text[]) AND pr.current_employer ILIKE ${pattern})
      OR ('title' = ANY(pr.directory_fields::text[]) AND pr.title ILIKE ${pattern})
      OR ('years' = ANY(pr.directory_fields::text[]) AND (pr.joined_year::text = ${word} OR pr.left_year::text = ${word}))
    )`;
  });
  const rows = await options.prisma.$queryRaw<Row[]>`
    SELECT p.id AS person_id, si.user_id AS slack_user_id, p.display_name, p.email, pr.department,
           pr.joined_year, pr.left_year, pr.current_employer, pr.title, pr.skills,
           pr.job_alerts, pr.gig_alerts, pr.event_alerts, pr.open_to_return, pr.happy_to_refer,
           pr.directory_fields::text[] AS directory_fields
    FROM profiles pr
    JOIN people p ON p.id = pr.person_id
    LEFT JOIN slack_identities si ON si.person_id = p.id AND si.team_id = ${options.teamId}
    WHERE pr.listed AND p.status = 'active' AND p.id <> ${options.viewerId}::uuid
      AND EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.withdrawn_at IS NULL)
      AND NOT EXISTS (
        SELECT 1 FROM member_blocks b
        WHERE (b.blocker_id = ${options.viewerId}::uuid AND b.blocked_id = p.id)
           OR (b.blocker_id = p.id AND b.blocked_id = ${options.viewerId}::uuid)
      )
      AND ${Prisma.join(conditions, " AND ")}
    ORDER BY pr.created_at DESC, p.id
    LIMIT ${DIRECTORY_PAGE_SIZE + 1} OFFSET ${page * DIRECTORY_PAGE_SIZE}`;
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
