// Writing to the transactional outbox: always inside the caller's transaction,
// always with an idempotency key, so a retried operation never queues twice.
import type { Tx } from "../core/db.js";
import type { OutboxOperation, Platform } from "../generated/prisma/client.js";
import { type TOutboxPayload, ZOutboxPayload } from "./messages.js";

export interface OutboxRow {
  idempotencyKey: string;
  platform: Platform;
  operation: OutboxOperation;
  target: string;
  payload: TOutboxPayload;
  recipientId?: string | null;
  subjectType?: string;
  subjectId?: string;
  rateKey?: string;
  notBefore?: Date;
}

/** Queue rows; rows whose idempotency key already exists are left alone. Returns how many were new. */
export async function enqueueOutbox(tx: Tx, rows: OutboxRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await tx.outboxMessage.createMany({
    data: rows.map((row) => ({
      idempotencyKey: row.idempotencyKey,
      platform: row.platform,
      operation: row.operation,
      kind: row.payload.type,
      target: row.target,
      recipientId: row.recipientId ?? null,
      subjectType: row.subjectType ?? null,
      subjectId: row.subjectId ?? null,
      payload: ZOutboxPayload.parse(row.payload),
      rateKey: row.rateKey ?? `${row.platform}:${row.target}`,
      notBefore: row.notBefore ?? new Date(),
      nextAttemptAt: row.notBefore ?? new Date(),
    })),
    skipDuplicates: true,
  });
  return result.count;
}

/**
 * The Teams conversations that hear about a posting's interests and referrals:
 * the one it was created in; without one (or for referrals without a posting),
 * every conversation where an hr or admin said `notify here`.
 */
export async function hrConversationsFor(tx: Tx, postingId: string | null): Promise<string[]> {
  if (postingId) {
    const posting = await tx.posting.findUnique({
      where: { id: postingId },
      select: { originConversation: { select: { conversationId: true } } },
    });
    if (posting?.originConversation) return [posting.originConversation.conversationId];
  }
  const refs = await tx.teamsConversationRef.findMany({
    where: { notifyHere: true },
    select: { conversationId: true },
    orderBy: { createdAt: "asc" },
  });
  return refs.map((r) => r.conversationId);
}

/**
 * Queue an edit of a subject's channel announcement, in the channel it was
 * announced in, sent only after the announcement itself (the edit needs its ts).
 * Nothing is queued when the subject was never announced (or that was cancelled).
 */
export async function enqueueAnnouncementEdit(
  tx: Tx,
  edit: {
    /** Idempotency key of the announcement row. */
    announceKey: string;
    idempotencyKey: string;
    subjectType: string;
    subjectId: string;
    payload: TOutboxPayload;
    notBefore?: Date;
  },
): Promise<boolean> {
  const announcement = await tx.outboxMessage.findUnique({
    where: { idempotencyKey: edit.announceKey },
    select: { id: true, target: true, status: true },
  });
  if (!announcement || announcement.status === "cancelled" || announcement.status === "dead") return false;
  await enqueueOutbox(tx, [
    {
      idempotencyKey: edit.idempotencyKey,
      platform: "slack",
      operation: "update",
      target: announcement.target,
      subjectType: edit.subjectType,
      subjectId: edit.subjectId,
      rateKey: `slack:channel:${announcement.target}`,
      payload: edit.payload,
      ...(edit.notBefore ? { notBefore: edit.notBefore } : {}),
    },
  ]);
  await tx.outboxMessage.updateMany({
    where: { idempotencyKey: edit.idempotencyKey, dependsOnId: null },
    data: { dependsOnId: announcement.id },
  });
  return true;
}
