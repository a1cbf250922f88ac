// A member refers a candidate (for a posting or in general). The candidate must
// have agreed to be introduced. HR hears about it in Teams via the outbox.
import { z } from "zod";
import { enqueueOutbox, hrConversationsFor } from "../../delivery/outbox.js";
import type { Db } from "../db.js";
import { fieldError } from "../errors.js";
import { findOpenPosting } from "../postings/find-posting.js";
import { parseInput, zLine, zOptionalLine, zOptionalText } from "../validation.js";

export const ZReferralInput = z.object({
  candidateName: zLine(100),
  candidateContact: zLine(200),
  relationship: zOptionalLine(200),
  note: zOptionalText(1000),
  candidateConsented: z.boolean(),
});

export async function createReferral(options: {
  prisma: Db;
  referrerId: string;
  postingNumber: number | null;
  input: unknown;
  now?: Date;
}): Promise<{ number: number; postingNumber: number | null; postingTitle: string | null }> {
  const input = parseInput(ZReferralInput, options.input);
  if (!input.candidateConsented) throw fieldError("candidateConsented", "referral.consentRequired");
  const { prisma, referrerId } = options;
  return prisma.$transaction(async (tx) => {
    const posting =
      options.postingNumber === null
        ? null
        : await findOpenPosting({ prisma: tx, number: options.postingNumber, now: options.now });
    const referral = await tx.referral.create({
      data: {
        postingId: posting?.id ?? null,
        referrerId,
        candidateName: input.candidateName,
        candidateContact: input.candidateContact,
        relationship: input.relationship,
        note: input.note,
        candidateConsented: true,
        history: { create: { fromStatus: null, toStatus: "received", changedById: referrerId } },
      },
      select: { id: true, number: true },
    });
    const conversations = await hrConversationsFor(tx, posting?.id ?? null);
    await enqueueOutbox(
      tx,
      conversations.map((conversationId) => ({
        idempotencyKey: `referral:${referral.id}:hr:${conversationId}`,
        platform: "teams" as const,
        operation: "post" as const,
        target: conversationId,
        subjectType: "referral",
        subjectId: referral.id,
        rateKey: `teams:conversation:${conversationId}`,
        payload: { type: "hr.referral" as const, referralId: referral.id, postingId: posting?.id ?? null },
      })),
    );
    await tx.auditLog.create({
      data: { actorId: referrerId, action: "referral.created", subjectType: "referral", subjectId: referral.id },
    });
    return { number: referral.number, postingNumber: posting?.number ?? null, postingTitle: posting?.title ?? null };
  });
}
