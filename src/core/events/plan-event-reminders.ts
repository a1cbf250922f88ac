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
import { ZOutboxPayload } from "../../delivery/messages.js";
import type { Db } from "../db.js";
import { WITHDRAWN, withdrawStaleEventDms } from "./stale-event-dms.js";

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
              select: { id: true, startsAt: true, createdAt: true },
            });
      let created = 0;
      let revived = 0;
      // Set-based, per event and offset: one INSERT for every member going or maybe (the
      // idempotency key makes a rerun, or another replica's run, add nothing) and one UPDATE that
      // brings back reminders withdrawn because of a "not going" answer that has changed since.
      for (const event of events) {
        for (const offsetMs of dueReminderOffsets(event, offsetsMs, now, horizonMs)) {
          const sendAt = new Date(event.startsAt.getTime() - offsetMs);
          const payload = JSON.stringify(
            ZOutboxPayload.parse({ type: "slack.event_reminder", eventId: event.id, offsetMs }),
          );
          const keyPrefix = `reminder:${event.id}:`;
          const keySuffix = `:${offsetMs}`;
          created += await tx.$executeRaw`
            INSERT INTO outbox_messages (id, idempotency_key, platform, operation, kind, target, recipient_id,
                                         subject_type, subject_id, payload, rate_key, not_before, next_attempt_at,
                                         created_at, updated_at)
            SELECT gen_random_uuid(), ${keyPrefix} || r.person_id || ${keySuffix}, 'slack', 'dm',
                   'slack.event_reminder', si.user_id, r.person_id, 'event', ${event.id}::uuid, ${payload}::jsonb,
                   'slack:' || si.team_id || ':dm', ${sendAt}, ${sendAt}, now(), now()
            FROM rsvps r
            JOIN people p ON p.id = r.person_id AND p.status = 'active' AND p.membership_status = 'verified'
            JOIN LATERAL (
              SELECT team_id, user_id FROM slack_identities WHERE person_id = r.person_id
              ORDER BY created_at LIMIT 1
            ) si ON true
            WHERE r.event_id = ${event.id}::uuid AND r.response IN ('going', 'maybe')
            ON CONFLICT (idempotency_key) DO NOTHING`;
          revived += await tx.$executeRaw`
            UPDATE outbox_messages o
            SET status = 'pending', last_error = NULL, updated_at = now()
            FROM rsvps r
            JOIN people p ON p.id = r.person_id AND p.status = 'active' AND p.membership_status = 'verified'
            WHERE o.idempotency_key = ${keyPrefix} || r.person_id || ${keySuffix}
              AND r.event_id = ${event.id}::uuid AND r.response IN ('going', 'maybe')
              AND EXISTS (SELECT 1 FROM slack_identities si WHERE si.person_id = r.person_id)
              AND o.status = 'cancelled' AND o.last_error = ${WITHDRAWN.notGoing}
              AND o.attempts = 0 AND o.not_before > ${now}`;
        }
      }
      return { events: events.length, created, cancelled, revived };
      // May wait behind another replica's run of this job (and PGlite has one connection).
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}
