// The weekly digest for HR: every Monday at 09:00 (DEFAULT_TIMEZONE), one post
// to each Teams conversation where someone said "notify here", about the week
// that just ended. One outbox row per (week, conversation): reruns and
// concurrent replicas queue it once, and a digest missed while the bot was
// down is queued when it comes back (the latest slot is always looked at).
import { enqueueOutbox } from "../../delivery/outbox.js";
import type { Db } from "../db.js";
import { latestDigestSlot } from "./digest-week.js";

export interface PlanWeeklyDigestResult {
  /** The week the due digest covers (YYYY-MM-DD, a Monday). */
  weekStart: string;
  conversations: number;
  created: number;
}

export function digestKey(weekStart: string, conversationId: string): string {
  return `digest:${weekStart}:${conversationId}`;
}

export async function planWeeklyDigest(options: {
  prisma: Db;
  now: Date;
  horizonMs: number;
  timeZone: string;
}): Promise<PlanWeeklyDigestResult> {
  const { prisma, now, horizonMs, timeZone } = options;
  const { postAt, weekStart } = latestDigestSlot(new Date(now.getTime() + horizonMs), timeZone);
  const conversations = await prisma.teamsConversationRef.findMany({
    where: { notifyHere: true },
    orderBy: { conversationId: "asc" },
    select: { conversationId: true },
  });
  const created = await prisma.$transaction(
    (tx) =>
      enqueueOutbox(
        tx,
        conversations.map(({ conversationId }) => ({
          idempotencyKey: digestKey(weekStart, conversationId),
          platform: "teams" as const,
          operation: "post" as const,
          target: conversationId,
          rateKey: `teams:conversation:${conversationId}`,
          notBefore: postAt,
          payload: { type: "teams.weekly_digest" as const, weekStart },
        })),
      ),
    { maxWait: 15_000, timeout: 60_000 },
  );
  return { weekStart, conversations: conversations.length, created };
}
