// A member edits their profile and visibility choices.

import type { Profile } from "../../generated/prisma/client.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { findSlackMember, type Member, type SlackUserRef } from "./find-member.js";
import { parseProfileInput, profileColumns } from "./profile-input.js";

/**
 * Validates the input and saves it; returns the member as saved. `member` is the
 * caller's fresh read of this user (findSlackMember, e.g. for its authorization
 * check), so it is not read again. A resubmission that changes nothing writes
 * nothing (no audit entry either); otherwise the changed tables and the audit entry
 * are written by one statement (atomic on its own).
 */
export async function updateProfile(options: {
  prisma: Db;
  user: SlackUserRef;
  input: unknown;
  member?: Member | null;
}): Promise<Member> {
  const { prisma, user } = options;
  const profile = parseProfileInput(options.input);
  const member = options.member !== undefined ? options.member : await findSlackMember({ prisma, user });
  if (!member?.registered || !member.profile) throw new AppError("forbidden", {}, { key: "member.notRegistered" });
  const columns = profileColumns(profile);
  const personChanged =
    member.displayName !== profile.displayName || member.email !== profile.email || member.locale !== profile.locale;
  const profileChanged = !sameProfile(member.profile, columns);
  if (!personChanged && !profileChanged) return member;

  const personId = member.personId;
  const c = columns;
  const people = personChanged
    ? Prisma.sql`, person AS (
        UPDATE people SET display_name = ${profile.displayName}, email = ${profile.email},
               locale = ${profile.locale}::"Locale", updated_at = now()
        WHERE id = ${personId}::uuid)`
    : Prisma.empty;
  const profiles = profileChanged
    ? Prisma.sql`, profile AS (
        UPDATE profiles SET department = ${c.department}, joined_year = ${c.joinedYear}::int,
               left_year = ${c.leftYear}::int, left_on = ${c.leftOn ? isoDate(c.leftOn) : null}::date,
               current_employer = ${c.currentEmployer}, title = ${c.title}, skills = ${c.skills}::text[],
               job_alerts = ${c.jobAlerts}, gig_alerts = ${c.gigAlerts}, event_alerts = ${c.eventAlerts},
               open_to_return = ${c.openToReturn}, happy_to_refer = ${c.happyToRefer}, listed = ${c.listed},
               directory_fields = ${c.directoryFields}::text[]::"ProfileField"[],
               hr_fields = ${c.hrFields}::text[]::"ProfileField"[], updated_at = now()
        WHERE person_id = ${personId}::uuid)`
    : Prisma.empty;
  // The search columns follow through the triggers on profiles and people (a new display
  // name reaches them through the people trigger, which runs once this statement is done).
  await prisma.$executeRaw`
    WITH audit AS (
      INSERT INTO audit_log (id, actor_id, action, subject_type, subject_id)
      VALUES (gen_random_uuid(), ${personId}::uuid, 'member.profile_updated', 'person', ${personId})) ${people} ${profiles}
    SELECT 1`;
  const now = new Date();
  return {
    ...member,
    displayName: profile.displayName,
    email: profile.email,
    locale: profile.locale,
    profile: profileChanged ? { ...member.profile, ...columns, updatedAt: now } : member.profile,
  };
}

type Columns = ReturnType<typeof profileColumns>;

function sameProfile(p: Profile, c: Columns): boolean {
  return (
    p.department === c.department &&
    p.joinedYear === c.joinedYear &&
    p.leftYear === c.leftYear &&
    (p.leftOn?.getTime() ?? null) === (c.leftOn?.getTime() ?? null) &&
    p.currentEmployer === c.currentEmployer &&
    p.title === c.title &&
    sameList(p.skills, c.skills) &&
    p.jobAlerts === c.jobAlerts &&
    p.gigAlerts === c.gigAlerts &&
    p.eventAlerts === c.eventAlerts &&
    p.openToReturn === c.openToReturn &&
    p.happyToRefer === c.happyToRefer &&
    p.listed === c.listed &&
    sameList(p.directoryFields, c.directoryFields) &&
    sameList(p.hrFields, c.hrFields)
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}
