// One rule for what a viewer may see of a member: only the fields the member
// allowed for that audience (the directory, or HR). A mention names the
// person, so it comes only with the name.
import type { ProfileField } from "../../generated/prisma/enums.js";
import type { Db, Tx } from "../db.js";
import type { DirectoryEntry } from "./search-directory.js";

export interface ProfileFacts {
  personId: string;
  slackUserId: string | null;
  displayName: string | null;
  email: string | null;
  department: string | null;
  joinedYear: number | null;
  leftYear: number | null;
  currentEmployer: string | null;
  title: string | null;
  skills: string[];
  jobAlerts: boolean;
  gigAlerts: boolean;
  eventAlerts: boolean;
  openToReturn: boolean;
  happyToRefer: boolean;
}

export function visibleProfile(facts: ProfileFacts, shown: ProfileField[]): DirectoryEntry {
  const allows = (f: ProfileField) => shown.includes(f);
  const entry: DirectoryEntry = {
    personId: facts.personId,
    slackUserId: allows("display_name") ? facts.slackUserId : null,
    shown,
  };
  if (allows("display_name") && facts.displayName) entry.displayName = facts.displayName;
  if (allows("email") && facts.email) entry.email = facts.email;
  if (allows("department") && facts.department) entry.department = facts.department;
  if (allows("years")) {
    entry.joinedYear = facts.joinedYear;
    entry.leftYear = facts.leftYear;
  }
  if (allows("employer") && facts.currentEmployer) entry.employer = facts.currentEmployer;
  if (allows("title") && facts.title) entry.title = facts.title;
  if (allows("skills") && facts.skills.length) entry.skills = facts.skills;
  if (allows("interests")) {
    entry.interests = {
      jobAlerts: facts.jobAlerts,
      gigAlerts: facts.gigAlerts,
      eventAlerts: facts.eventAlerts,
      openToReturn: facts.openToReturn,
      happyToRefer: facts.happyToRefer,
    };
  }
  return entry;
}

/** What HR may see of a person right now; null when they erased themselves or withdrew consent. */
export async function hrViewOfPerson(prisma: Db | Tx, personId: string | null): Promise<DirectoryEntry | null> {
  if (!personId) return null;
  const person = await prisma.person.findUnique({
    where: { id: personId },
    select: {
      id: true,
      status: true,
      displayName: true,
      email: true,
      profile: true,
      slackIdentities: { select: { userId: true }, orderBy: { createdAt: "asc" }, take: 1 },
      consents: { where: { withdrawnAt: null }, select: { id: true }, take: 1 },
    },
  });
  if (!person || person.status !== "active" || !person.profile || person.consents.length === 0) return null;
  const p = person.profile;
  return visibleProfile(
    {
      personId: person.id,
      slackUserId: person.slackIdentities[0]?.userId ?? null,
      displayName: person.displayName,
      email: person.email,
      department: p.department,
      joinedYear: p.joinedYear,
      leftYear: p.leftYear,
      currentEmployer: p.currentEmployer,
      title: p.title,
      skills: p.skills,
      jobAlerts: p.jobAlerts,
      gigAlerts: p.gigAlerts,
      eventAlerts: p.eventAlerts,
      openToReturn: p.openToReturn,
      happyToRefer: p.happyToRefer,
    },
    p.hrFields,
  );
}
