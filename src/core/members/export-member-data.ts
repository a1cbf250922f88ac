// Everything stored about a member, as one JSON document (the right of access).
// Other people's identities are left out: who blocked you stays private.
import type { Db } from "../db.js";
import { AppError } from "../errors.js";

export async function exportMemberData(options: { prisma: Db; personId: string; now?: Date }) {
  const { prisma, personId } = options;
  const person = await prisma.person.findUnique({
    where: { id: personId },
    include: {
      slackIdentities: { select: { teamId: true, userId: true, createdAt: true } },
      teamsIdentities: { select: { tenantId: true, aadObjectId: true, createdAt: true } },
      roles: { select: { role: true, grantedAt: true, revokedAt: true } },
      consents: {
        select: { purpose: true, version: true, textHash: true, locale: true, givenAt: true, withdrawnAt: true },
      },
      profile: true,
      blocksMade: {
        select: { createdAt: true, blocked: { select: { slackIdentities: { select: { userId: true } } } } },
      },
      interests: { select: { createdAt: true, posting: { select: { number: true, kind: true, title: true } } } },
      referralsMade: {
        select: {
          number: true,
          candidateName: true,
          candidateContact: true,
          relationship: true,
          note: true,
          candidateConsented: true,
          status: true,
          createdAt: true,
          posting: { select: { number: true, title: true } },
        },
      },
      rsvps: {
        select: { response: true, updatedAt: true, event: { select: { number: true, title: true, startsAt: true } } },
      },
      surveyResponses: {
        select: {
          dueAt: true,
          sentAt: true,
          submittedAt: true,
          survey: { select: { key: true } },
          answers: { select: { questionKey: true, value: true } },
        },
      },
      auditEntries: { select: { at: true, action: true }, orderBy: { at: "asc" } },
    },
  });
  if (person?.status !== "active") throw new AppError("forbidden", {}, { key: "member.notRegistered" });
  const { profile } = person;
  return {
    exportedAt: (options.now ?? new Date()).toISOString(),
    person: {
      id: person.id,
      displayName: person.displayName,
      email: person.email,
      locale: person.locale,
      timeZone: person.timeZone,
      createdAt: person.createdAt,
      updatedAt: person.updatedAt,
    },
    slackIdentities: person.slackIdentities,
    teamsIdentities: person.teamsIdentities,
    roles: person.roles,
    consents: person.consents,
    profile: profile && {
      department: profile.department,
      joinedYear: profile.joinedYear,
      leftYear: profile.leftYear,
      leftOn: profile.leftOn?.toISOString().slice(0, 10) ?? null,
      currentEmployer: profile.currentEmployer,
      title: profile.title,
      skills: profile.skills,
      jobAlerts: profile.jobAlerts,
      gigAlerts: profile.gigAlerts,
      eventAlerts: profile.eventAlerts,
      openToReturn: profile.openToReturn,
      happyToRefer: profile.happyToRefer,
      listedInDirectory: profile.listed,
      directoryFields: profile.directoryFields,
      hrFields: profile.hrFields,
      createdAt: profile.createdAt,
      updatedAt: profile.updatedAt,
    },
    blocks: person.blocksMade.map((b) => ({
      slackUserIds: b.blocked.slackIdentities.map((s) => s.userId),
      createdAt: b.createdAt,
    })),
    interests: person.interests,
    referrals: person.referralsMade,
    rsvps: person.rsvps,
    surveyResponses: person.surveyResponses,
    activity: person.auditEntries,
  };
}

export type MemberDataExport = Awaited<ReturnType<typeof exportMemberData>>;
