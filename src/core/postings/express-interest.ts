// "Interested": recorded once per member and posting, and HR hears about it in
// Teams (one outbox row per HR conversation, written in the same transaction).
import { enqueueOutbox, hrConversationsFor } from "../../delivery/outbox.js";
import type { Db } from "../db.js";
import { findOpenPosting } from "./find-posting.js";

export async function expressInterest(options: {
  prisma: Db;
  personId: string;
  postingNumber: number;
  now?: Date;
}): Promise<{ created: boolean; postingTitle: string; postingNumber: number }> {
  const { prisma, personId } = options;
  return prisma.$transaction(async (tx) => {
    const posting = await findOpenPosting({ prisma: tx, number: options.postingNumber, now: options.now });
    const inserted = await tx.interest.createMany({
      data: [{ postingId: posting.id, personId }],
      skipDuplicates: true,
    });
    const created = inserted.count === 1;
    if (created) {
      const interest = await tx.interest.findUniqueOrThrow({
        where: { postingId_personId: { postingId: posting.id, personId } },
        select: { id: true },
      });
      const conversations = await hrConversationsFor(tx, posting.id);
      await enqueueOutbox(
        tx,
        conversations.map((conversationId) => ({
          idempotencyKey: `interest:${interest.id}:hr:${conversationId}`,
          platform: "teams" as const,
          operation: "post" as const,
          target: conversationId,
          subjectType: "posting",
          subjectId: posting.id,
          rateKey: `teams:conversation:${conversationId}`,
          payload: { type: "hr.interest" as const, interestId: interest.id, postingId: posting.id, personId },
        })),
      );
    }
    return { created, postingTitle: posting.title, postingNumber: posting.number };
  });
}
