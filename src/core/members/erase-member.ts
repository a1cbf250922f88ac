// Erasure (the right to be forgotten), at once: personal data leaves every table;
// an anonymous tombstone keeps counts (interests, RSVPs, referrals) true. Consent
// is marked withdrawn; queued messages to the member are cancelled and emptied.
import { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";

export interface ErasureSummary {
  personId: string;
  cancelledMessages: number;
}

export async function eraseMember(options: { prisma: Db; personId: string; now?: Date }): Promise<ErasureSummary> {
  const { prisma, personId } = options;
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const person = await tx.person.findUnique({ where: { id: personId }, select: { status: true } });
    if (person?.status !== "active") throw new AppError("forbidden", {}, { key: "member.notRegistered" });

    await tx.person.update({
      where: { id: personId },
      data: { status: "erased", erasedAt: now, displayName: null, email: null, locale: null, timeZone: null },
    });
    await tx.slackIdentity.deleteMany({ where: { personId } });
    await tx.teamsIdentity.deleteMany({ where: { personId } });
    await tx.profile.deleteMany({ where: { personId } });
    await tx.memberBlock.deleteMany({ where: { OR: [{ blockerId: personId }, { blockedId: personId }] } });
    await tx.roleGrant.deleteMany({ where: { personId } });
    await tx.consent.updateMany({ where: { personId, withdrawnAt: null }, data: { withdrawnAt: now } });
    // The referrer's own words about the candidate may identify the referrer; the
    // candidate's contact stays with HR, who is processing it with the candidate's consent.
    await tx.referral.updateMany({ where: { referrerId: personId }, data: { relationship: null, note: null } });
    await tx.referralStatusChange.updateMany({ where: { changedById: personId }, data: { note: null } });
    await tx.surveyAnswer.deleteMany({ where: { response: { personId } } });
    await tx.surveyResponse.updateMany({ where: { personId }, data: { personId: null } });
    await tx.teamsConversationRef.deleteMany({ where: { personId } });

    const cancelled = await tx.outboxMessage.updateMany({
      where: { recipientId: personId, status: { in: ["pending", "sending"] } },
      data: { status: "cancelled", leaseOwner: null, leaseExpiresAt: null, lastError: "recipient erased" },
    });
    // Messages to the member (sent or not) no longer say where or what.
    const mine = await tx.outboxMessage.findMany({ where: { recipientId: personId }, select: { id: true } });
    await tx.platformMessageRef.deleteMany({ where: { outboxMessageId: { in: mine.map((m) => m.id) } } });
    await tx.outboxMessage.updateMany({
      where: { recipientId: personId },
      data: { payload: { erased: true }, target: "erased" },
    });
    await tx.auditLog.updateMany({ where: { actorId: personId }, data: { details: Prisma.DbNull } });
    await tx.auditLog.create({
      data: { actorId: personId, action: "member.erased", subjectType: "person", subjectId: personId },
    });
    return { personId, cancelledMessages: cancelled.count };
  });
}
