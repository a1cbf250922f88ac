// Who is this platform user to us? A member is a person with a profile and a
// consent that has not been withdrawn.
import type { Profile } from "../../generated/prisma/client.js";
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
  profile: Profile | null;
}

export async function findSlackMember(options: { prisma: Db | Tx; user: SlackUserRef }): Promise<Member | null> {
  const identity = await options.prisma.slackIdentity.findUnique({
    where: { teamId_userId: { teamId: options.user.teamId, userId: options.user.userId } },
    select: {
      person: {
        include: {
          profile: true,
          consents: { where: { withdrawnAt: null }, select: { id: true }, take: 1 },
        },
      },
    },
  });
  const person = identity?.person;
  if (person?.status !== "active") return null;
  return {
    personId: person.id,
    displayName: person.displayName,
    email: person.email,
    locale: person.locale,
    timeZone: person.timeZone,
    registered: person.profile !== null && person.consents.length > 0,
    profile: person.profile,
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
