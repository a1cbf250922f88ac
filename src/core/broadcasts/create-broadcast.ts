// HR or a community manager sends a message to a segment of members: one Slack
// DM per member, each an outbox row with its own idempotency key, all queued in
// one transaction. The same request submitted twice sends once. The audit log
// records the segment and how many were reached, never who.
import { createHash } from "node:crypto";
import { z } from "zod";
import { enqueueOutbox, type OutboxRow } from "../../delivery/outbox.js";
import { applyOnce, type Db } from "../db.js";
import { zText } from "../postings/posting-input.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput } from "../validation.js";
import { segmentMembers, ZSegment } from "./segment.js";

export const BROADCAST_MAX_LENGTH = 3000;
const SENDER_NAME_MAX = 100;
const CHUNK = 500;

const ZBroadcast = z.object({ segment: ZSegment, message: zText(BROADCAST_MAX_LENGTH) });

/** A stable id for a broadcast request, shaped as a UUID so it can name the outbox rows' subject. */
export function broadcastIdFor(requestKey: string): string {
  const hex = createHash("sha256").update(`broadcast:${requestKey}`).digest("hex").slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function createBroadcast(options: {
  prisma: Db;
  actorId: string;
  segment: unknown;
  message: unknown;
  /** Identity of the submission (e.g. the Teams activity id); the same key sends once. */
  requestKey: string;
  /** Shown to members as the sender ("from …"); null for none. */
  senderName: string | null;
}): Promise<{ broadcastId: string; recipients: number; duplicate: boolean }> {
  const { prisma, actorId } = options;
  const { segment, message } = parseInput(ZBroadcast, { segment: options.segment, message: options.message });
  if (!options.requestKey) throw new TypeError("createBroadcast needs a requestKey");
  const senderName = options.senderName?.normalize("NFC").trim().slice(0, SENDER_NAME_MAX) || null;
  const broadcastId = broadcastIdFor(options.requestKey);

  const { result, duplicate } = await applyOnce(prisma, `broadcast.create:${options.requestKey}`, async (tx) => {
    await requireRole(tx, actorId, ["hr", "cm"]);
    const members = await segmentMembers(tx, segment);
    const rows: OutboxRow[] = members.map((m) => ({
      platform: "slack",
      operation: "dm",
      target: m.userId,
      recipientId: m.personId,
      idempotencyKey: `broadcast:${broadcastId}:${m.personId}`,
      subjectType: "broadcast",
      subjectId: broadcastId,
      rateKey: `slack:${m.teamId}:dm`,
      payload: { type: "slack.broadcast", broadcastId, text: message, senderName },
    }));
    for (let i = 0; i < rows.length; i += CHUNK) await enqueueOutbox(tx, rows.slice(i, i + CHUNK));
    await tx.auditLog.create({
      data: {
        actorId,
        action: "broadcast.created",
        subjectType: "broadcast",
        subjectId: broadcastId,
        details: { segment, recipients: members.length },
      },
    });
    return { broadcastId, recipients: members.length };
  });
  if (duplicate) await requireRole(prisma, actorId, ["hr", "cm"]);
  return { ...result, duplicate };
}
