// A member edits their profile and visibility choices.

import { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import {
  findSlackMember,
  type Member,
  type MemberRow,
  memberFromRow,
  type SlackUserRef,
  slackMemberQuery,
} from "./find-member.js";
import { type HomeRow, homeColumns, homeFromRow, type MemberHome } from "./get-member-home.js";
import { parseProfileInput, profileColumns, type TProfileInput } from "./profile-input.js";

export async function updateProfile(options: { prisma: Db; user: SlackUserRef; input: unknown }): Promise<Member> {
  return (await saveProfile(options)).member;
}

/**
 * Validates the input and saves it for a registered member; returns the member as
 * saved and, when asked, what their App Home shows (read in the same statement: it
 * does not depend on the profile). One statement reads the member and writes what
 * changed (people, profiles and the audit entry; nothing at all for a resubmission
 * of the same values), atomic on its own.
 *
 * `refusal` is the caller's authorization (registered or not → the error to throw,
 * or null when allowed); it is decided before anything is written: the statement
 * writes only for a registered member when a registered member is allowed.
 */
export async function saveProfile(options: {
  prisma: Db;
  user: SlackUserRef;
  input: unknown;
  refusal?: (registered: boolean) => AppError | null;
  withHome?: boolean;
  now?: Date;
}): Promise<{ member: Member; home: MemberHome | null }> {
  const { prisma, user } = options;
  const refusal = options.refusal ?? (() => null);
  let profile: TProfileInput;
  try {
    profile = parseProfileInput(options.input);
  } catch (err) {
    // A refusal comes before a validation error, as it would have had the input been valid.
    const current = await findSlackMember({ prisma, user });
    const refused = refusal(current?.registered === true);
    throw refused ?? err;
  }
  const c = profileColumns(profile);
  const mayWrite = refusal(true) === null;
  const leftOn = c.leftOn ? c.leftOn.toISOString().slice(0, 10) : null;
  const now = options.now ?? new Date();
  const home = options.withHome ? Prisma.sql`, ${homeColumns(Prisma.sql`me.person_id`, now)}` : Prisma.empty;
  // The new values travel as one JSON parameter, so the statement has few parameters and runs as a
  // named prepared statement (planned once per connection; see src/db/database.ts).
  const values = JSON.stringify({
    display_name: profile.displayName,
    email: profile.email,
    locale: profile.locale,
    department: c.department,
    joined_year: c.joinedYear,
    left_year: c.leftYear,
    left_on: leftOn,
    current_employer: c.currentEmployer,
    title: c.title,
    skills: c.skills,
    job_alerts: c.jobAlerts,
    gig_alerts: c.gigAlerts,
    event_alerts: c.eventAlerts,
    open_to_return: c.openToReturn,
    happy_to_refer: c.happyToRefer,
    listed: c.listed,
    directory_fields: c.directoryFields,
    hr_fields: c.hrFields,
  });
  // `me` is the member before the change (every part of one statement sees the same snapshot).
  // A new display name reaches the directory's search columns through the trigger on people,
  // which runs once the statement is done.
  const rows = await prisma.$queryRaw<(SavedRow & Partial<HomeRow>)[]>`
    WITH me AS (${slackMemberQuery(user)}
    ),
    ok AS (
      SELECT person_id FROM me
      WHERE ${mayWrite}::boolean AND status = 'active' AND consented AND profile IS NOT NULL
    ),
    v AS (
      SELECT * FROM jsonb_to_record(${values}::jsonb) AS v(
        display_name text, email text, locale "Locale", department text, joined_year int, left_year int,
        left_on date, current_employer text, title text, skills text[], job_alerts boolean, gig_alerts boolean,
        event_alerts boolean, open_to_return boolean, happy_to_refer boolean, listed boolean,
        directory_fields "ProfileField"[], hr_fields "ProfileField"[])
    ),
    person_changed AS (
      UPDATE people p SET display_name = v.display_name, email = v.email, locale = v.locale, updated_at = now()
      FROM ok, v
      WHERE p.id = ok.person_id
        AND (p.display_name, p.email, p.locale) IS DISTINCT FROM (v.display_name, v.email, v.locale)
      RETURNING p.id
    ),
    profile_changed AS (
      UPDATE profiles pr SET department = v.department, joined_year = v.joined_year, left_year = v.left_year,
             left_on = v.left_on, current_employer = v.current_employer, title = v.title, skills = v.skills,
             job_alerts = v.job_alerts, gig_alerts = v.gig_alerts, event_alerts = v.event_alerts,
             open_to_return = v.open_to_return, happy_to_refer = v.happy_to_refer, listed = v.listed,
             directory_fields = v.directory_fields, hr_fields = v.hr_fields, updated_at = now()
      FROM ok, v
      WHERE pr.person_id = ok.person_id
        AND (pr.department, pr.joined_year, pr.left_year, pr.left_on, pr.current_employer, pr.title, pr.skills,
             pr.job_alerts, pr.gig_alerts, pr.event_alerts, pr.open_to_return, pr.happy_to_refer, pr.listed,
             pr.directory_fields, pr.hr_fields)
            IS DISTINCT FROM
            (v.department, v.joined_year, v.left_year, v.left_on, v.current_employer, v.title, v.skills,
             v.job_alerts, v.gig_alerts, v.event_alerts, v.open_to_return, v.happy_to_refer, v.listed,
             v.directory_fields, v.hr_fields)
      RETURNING pr.updated_at
    ),
    audit AS (
      INSERT INTO audit_log (id, actor_id, action, subject_type, subject_id)
      SELECT gen_random_uuid(), ok.person_id, 'member.profile_updated', 'person', ok.person_id::text
      FROM ok
      WHERE EXISTS (SELECT 1 FROM person_changed) OR EXISTS (SELECT 1 FROM profile_changed)
    )
    SELECT me.*, (SELECT updated_at FROM profile_changed) AS profile_updated_at ${home}
    FROM me`;
  const row = rows[0];
  const before = memberFromRow(row);
  const refused = refusal(before?.registered === true);
  if (refused) throw refused;
  if (!before?.registered || !before.profile) throw new AppError("forbidden", {}, { key: "member.notRegistered" });
  const saved: Member = {
    ...before,
    displayName: profile.displayName,
    email: profile.email,
    locale: profile.locale,
    profile: row?.profile_updated_at
      ? { ...before.profile, ...c, updatedAt: new Date(row.profile_updated_at) }
      : before.profile,
  };
  return { member: saved, home: options.withHome && row ? homeFromRow(row as SavedRow & HomeRow) : null };
}

interface SavedRow extends MemberRow {
  profile_updated_at: string | Date | null;
}
