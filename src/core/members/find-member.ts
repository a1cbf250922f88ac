// Who is this platform user to us? A member is a person with a profile and a
// consent that has not been withdrawn.
import { Prisma, type Profile } from "../../generated/prisma/client.js";
import type { Locale } from "../../i18n/index.js";
import type { Db, Tx } from "../db.js";

export interface SlackUserRef {
  teamId: string;
  userId: string;
}

export interface Member {
  personId: string;
  displayName: string | null;
  email: string | null;
  locale: Locale | null;
  timeZone: string | null;
  /** Registered: active person, profile and an unwithdrawn consent. */
  registered: boolean;
  /** Verified membership (MEMBERSHIP_VERIFICATION): only verified members see the directory, postings and events. */
  membership: MembershipStatus;
  profile: Profile | null;
}

export type MembershipStatus = "pending" | "verified" | "rejected";

export interface MemberRow {
  person_id: string;
  status: string;
  display_name: string | null;
  email: string | null;
  locale: Locale | null;
  time_zone: string | null;
  membership: MembershipStatus;
  consented: boolean;
  /** Null when there is no profile. */
  profile: (Omit<Profile, "directoryFields" | "hrFields"> & { directoryFields: string[]; hrFields: string[] }) | null;
}

/**
 * One statement (this runs on every Slack request): the identity, the person, the
 * profile and whether a consent stands. Profile columns are aliased to the
 * Prisma model's field names, so the result is the same `Profile` Prisma returns.
 */
export async function findSlackMember(options: { prisma: Db | Tx; user: SlackUserRef }): Promise<Member | null> {
  const rows = await options.prisma.$queryRaw<MemberRow[]>(slackMemberQuery(options.user));
  return memberFromRow(rows[0]);
}

/** findSlackMember's statement, for a caller that folds it into one of its own (at most one row). */
export function slackMemberQuery(user: SlackUserRef): Prisma.Sql {
  return Prisma.sql`
    SELECT p.id AS person_id, p.status::text AS status, p.display_name, p.email, p.locale::text AS locale,
           p.time_zone, p.membership_status::text AS membership,
           EXISTS (SELECT 1 FROM consents c WHERE c.person_id = p.id AND c.withdrawn_at IS NULL) AS consented,
           (SELECT json_build_object(
                     'id', pr.id, 'personId', pr.person_id, 'department', pr.department,
                     'joinedYear', pr.joined_year, 'leftYear', pr.left_year, 'leftOn', pr.left_on,
                     'currentEmployer', pr.current_employer, 'title', pr.title, 'skills', pr.skills,
                     'bio', pr.bio, 'jobAlerts', pr.job_alerts, 'gigAlerts', pr.gig_alerts,
                     'eventAlerts', pr.event_alerts, 'openToReturn', pr.open_to_return,
                     'happyToRefer', pr.happy_to_refer, 'listed', pr.listed,
                     'directoryFields', pr.directory_fields::text[], 'hrFields', pr.hr_fields::text[],
                     'createdAt', pr.created_at, 'updatedAt', pr.updated_at)
            FROM profiles pr WHERE pr.person_id = p.id) AS profile
    FROM slack_identities si
    JOIN people p ON p.id = si.person_id
    WHERE si.team_id = ${user.teamId} AND si.user_id = ${user.userId}`;
}

/** The member in a row of slackMemberQuery (none, or not active: null). */
export function memberFromRow(row: MemberRow | undefined): Member | null {
  if (row?.status !== "active") return null;
  const profile = row.profile ? toProfile(row.profile) : null;
  return {
    personId: row.person_id,
    displayName: row.display_name,
    email: row.email,
    locale: row.locale,
    timeZone: row.time_zone,
    registered: profile !== null && row.consented,
    membership: row.membership,
    profile,
  };
}

/** JSON gives dates as strings: make them Dates again, as Prisma would. */
function toProfile(json: NonNullable<MemberRow["profile"]>): Profile {
  const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    ...json,
    leftOn: date(json.leftOn),
    createdAt: date(json.createdAt) as Date,
    updatedAt: date(json.updatedAt) as Date,
    directoryFields: json.directoryFields as Profile["directoryFields"],
    hrFields: json.hrFields as Profile["hrFields"],
  };
}

/** The person behind a Slack user, created without any personal data when new (e.g. as a block target). */
export async function ensureSlackPerson(tx: Tx, user: SlackUserRef): Promise<string> {
  const existing = await tx.slackIdentity.findUnique({
    where: { teamId_userId: { teamId: user.teamId, userId: user.userId } },
    select: { personId: true },
  });
  if (existing) return existing.personId;
  const person = await tx.person.create({
    data: { slackIdentities: { create: { teamId: user.teamId, userId: user.userId } } },
    select: { id: true },
  });
  return person.id;
}
