// Everything stored about a member, as one JSON document (the right of access).
// Other people's identities are left out: who blocked you stays private.
//
// That promise includes what HR's roster holds about them (APPI: a request for
// disclosure covers all retained personal data about the person, and this export is
// how the product answers it): the roster row they are linked to, as HR recorded it
// (including 退職区分 and 再雇用可否), and the join requests they made (what they
// entered, the outcome and HR's reason; not who in HR decided). Roster rows are never
// shown to other alumni; only the person they describe gets theirs, here. Values are
// exported as JSON strings, never as spreadsheet cells, so nothing in them is evaluated.
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
      rosterEntry: {
        select: {
          employeeNumber: true,
          familyName: true,
          givenName: true,
          familyNameKana: true,
          givenNameKana: true,
          workEmail: true,
          personalEmail: true,
          department: true,
          joinedOn: true,
          leftOn: true,
          leaveReason: true,
          rehireEligible: true,
          updatedAt: true,
        },
      },
      joinRequests: {
        select: {
          number: true,
          status: true,
          personalEmail: true,
          employeeNumber: true,
          familyName: true,
          reason: true,
          createdAt: true,
          decidedAt: true,
        },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  if (person?.status !== "active") throw new AppError("forbidden", {}, { key: "member.notRegistered" });
  const { profile, rosterEntry: roster } = person;
  const day = (d: Date | null) => d?.toISOString().slice(0, 10) ?? null;
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
      leftOn: day(profile.leftOn),
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
    /** HR's record of their employment, from the leavers roster they were matched to; null if none. */
    rosterRecord: roster && {
      employeeNumber: roster.employeeNumber,
      familyName: roster.familyName,
      givenName: roster.givenName,
      familyNameKana: roster.familyNameKana,
      givenNameKana: roster.givenNameKana,
      workEmail: roster.workEmail,
      personalEmail: roster.personalEmail,
      department: roster.department,
      joinedOn: day(roster.joinedOn),
      leftOn: day(roster.leftOn),
      leaveReason: roster.leaveReason,
      rehireEligible: roster.rehireEligible,
      updatedAt: roster.updatedAt,
    },
    joinRequests: person.joinRequests,
  };
}

export type MemberDataExport = Awaited<ReturnType<typeof exportMemberData>>;
