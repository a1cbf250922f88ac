// Reminder DMs before an event, one per member who answered going or maybe, per
// configured offset (e.g. 7 days, 1 day, 1 hour before). Each is an outbox row
// keyed by (event, person, offset), queued up to `horizonMs` ahead with
// notBefore = its send time, so running this twice — or on two replicas at
// once — queues it once. It looks at every upcoming event, so reminders missed
// while the bot was down are still queued when it comes back; of several
// reminders all already due, only the nearest one is sent (no burst of stale
// "in 7 days" DMs). An offset already past when the event was created is
// skipped. Reminders still queued for members who now answer "not going" (or
// for cancelled events) are withdrawn in the same transaction.
import { enqueueOutbox, type OutboxRow } from "../../delivery/outbox.js";
import type { Db } from "../db.js";
import { answeredRsvpsSelect, recipientsOf, reviveWithdrawnDms, withdrawStaleEventDms } from "./stale-event-dms.js";

export interface PlanEventRemindersResult {
  /** Upcoming events looked at. */
  events: number;
  /** New reminder rows queued. */
  created: number;
  /** Queued reminders withdrawn (now not going, event cancelled or started). */
  cancelled: number;
  /** Withdrawn reminders queued again (the member answers going/maybe again). */
  revived: number;
}

export function reminderKey(eventId: string, personId: string, offsetMs: number): string {
  return `reminder:${eventId}:${personId}:${offsetMs}`;
}

/** The offsets whose reminder should exist at `now` for an event (see the file comment). */
export function dueReminderOffsets(
  event: { startsAt: Date; createdAt: Date },
  offsetsMs: readonly number[],
  now: Date,
  horizonMs: number,
): number[] {
  const start = event.startsAt.getTime();
  if (start <= now.getTime()) return [];
  const offsets = [...new Set(offsetsMs)].filter((o) => Number.isInteger(o) && o > 0).sort((a, b) => a - b);
  const out: number[] = [];
  // Smallest offset first: once one is already due, every larger one is superseded.
  for (const offset of offsets) {
    const sendAt = start - offset;
    if (sendAt > now.getTime() + horizonMs) continue;
    if (sendAt < event.createdAt.getTime()) continue;
    out.push(offset);
    if (sendAt <= now.getTime()) break;
  }
  return out;
}

export async function planEventReminders(options: {
  prisma: Db;
  now: Date;
  offsetsMs: readonly number[];
  horizonMs: number;
}): Promise<PlanEventRemindersResult> {
  const { prisma, now, offsetsMs, horizonMs } = options;
  const maxOffset = Math.max(0, ...offsetsMs);
  return prisma.$transaction(
    async (tx) => {
      const cancelled = await withdrawStaleEventDms(tx, "slack.event_reminder", now);
      const events =
        maxOffset === 0
          ? []
          : await tx.event.findMany({
              where: {
                status: "scheduled",
                startsAt: { gt: now, lte: new Date(now.getTime() + maxOffset + horizonMs) },
              },
              orderBy: [{ startsAt: "asc" }, { id: "asc" }],
              select: { id: true, startsAt: true, createdAt: true, rsvps: answeredRsvpsSelect },
            });
      const rows: OutboxRow[] = [];
      for (const event of events) {
        const offsets = dueReminderOffsets(event, offsetsMs, now, horizonMs);
        if (offsets.length === 0) continue;
        for (const r of recipientsOf(event.rsvps)) {
          for (const offsetMs of offsets) {
            rows.push({
              idempotencyKey: reminderKey(event.id, r.personId, offsetMs),
              platform: "slack",
              operation: "dm",
              target: r.userId,
              recipientId: r.personId,
              subjectType: "event",
              subjectId: event.id,
              rateKey: `slack:${r.teamId}:dm`,
              notBefore: new Date(event.startsAt.getTime() - offsetMs),
              payload: { type: "slack.event_reminder", eventId: event.id, offsetMs },
            });
          }
        }
      }
      const created = await enqueueOutbox(tx, rows);
      const revived = await reviveWithdrawnDms(
        tx,
        rows.map((r) => r.idempotencyKey),
        now,
      );
      return { events: events.length, created, cancelled, revived };
      // May wait behind another replica's run of this job (and PGlite has one connection).
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}
