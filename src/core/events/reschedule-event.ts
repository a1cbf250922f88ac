// A community manager moves an event. Its Slack announcement is edited, everyone
// who answered gets a DM, and reminders still waiting move with it (those whose
// new time has already passed are cancelled).
import { z } from "zod";
import { enqueueAnnouncementEdit, enqueueOutbox } from "../../delivery/outbox.js";
import type { Event } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { AppError, fieldError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput } from "../validation.js";
import { isTooFar, isTooSoon, MAX_EVENT_YEARS_AHEAD, MIN_EVENT_LEAD_MS } from "./parse-event-datetime.js";

const ZMove = z.object({ eventNumber: z.number().int().min(1), startsAt: z.date() });

export async function rescheduleEvent(options: {
  prisma: Db;
  actorId: string;
  eventNumber: number;
  startsAt: Date;
  now?: Date;
}): Promise<{ changed: boolean; notified: number; event: Event }> {
  const { eventNumber, startsAt } = parseInput(ZMove, { eventNumber: options.eventNumber, startsAt: options.startsAt });
  const { prisma, actorId } = options;
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["cm"]);
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM events WHERE number = ${eventNumber} FOR UPDATE`;
    const found = locked[0] ? await tx.event.findUnique({ where: { id: locked[0].id } }) : null;
    if (!found) throw new AppError("not_found", { number: eventNumber }, { key: "event.notFound" });
    if (found.status !== "scheduled")
      throw new AppError("conflict", { number: eventNumber }, { key: "event.cancelled" });
    if (found.startsAt <= now) throw new AppError("conflict", { number: eventNumber }, { key: "event.past" });
    if (isTooSoon(startsAt, now))
      throw fieldError("startsAt", "event.pastDate", { minutes: MIN_EVENT_LEAD_MS / 60_000 });
    if (isTooFar(startsAt, now)) throw fieldError("startsAt", "event.tooFar", { years: MAX_EVENT_YEARS_AHEAD });
    if (found.startsAt.getTime() === startsAt.getTime()) return { changed: false, notified: 0, event: found };

    const shift = startsAt.getTime() - found.startsAt.getTime();
    const event = await tx.event.update({
      where: { id: found.id },
      data: {
        startsAt,
        endsAt: found.endsAt ? new Date(found.endsAt.getTime() + shift) : null,
        version: { increment: 1 },
      },
    });

    // Reminders still waiting move with the event (their payload carries the offset).
    const pending = await tx.outboxMessage.findMany({
      where: { subjectId: event.id, kind: "slack.event_reminder", status: "pending" },
      select: { id: true, payload: true },
    });
    for (const row of pending) {
      const offsetMs = (row.payload as { offsetMs?: number }).offsetMs ?? 0;
      const at = new Date(startsAt.getTime() - offsetMs);
      await tx.outboxMessage.update({
        where: { id: row.id },
        data:
          at.getTime() > now.getTime()
            ? { notBefore: at, nextAttemptAt: at }
            : { status: "cancelled", lastError: "the event moved; this reminder's time has passed" },
      });
    }

    await enqueueAnnouncementEdit(tx, {
      announceKey: `event:${event.id}:announce`,
      idempotencyKey: `event:${event.id}:update:v${event.version}`,
      subjectType: "event",
      subjectId: event.id,
      payload: { type: "slack.event_update", eventId: event.id, version: event.version },
    });

    const answered = await tx.$queryRaw<{ person_id: string; team_id: string; user_id: string }[]>`
      SELECT DISTINCT ON (p.id) p.id AS person_id, si.team_id, si.user_id
      FROM rsvps r
      JOIN people p ON p.id = r.person_id AND p.status = 'active' AND p.membership_status = 'verified'
      JOIN slack_identities si ON si.person_id = p.id
      WHERE r.event_id = ${event.id}::uuid AND r.response IN ('going', 'maybe')
      ORDER BY p.id, si.created_at`;
    const notified = await enqueueOutbox(
      tx,
      answered.map((m) => ({
        idempotencyKey: `event:${event.id}:changed:v${event.version}:${m.person_id}`,
        platform: "slack" as const,
        operation: "dm" as const,
        target: m.user_id,
        recipientId: m.person_id,
        subjectType: "event",
        subjectId: event.id,
        rateKey: `slack:${m.team_id}:dm`,
        payload: { type: "slack.event_changed" as const, eventId: event.id, version: event.version },
      })),
    );
    await tx.auditLog.create({
      data: {
        actorId,
        action: "event.rescheduled",
        subjectType: "event",
        subjectId: event.id,
        details: { from: found.startsAt.toISOString(), to: startsAt.toISOString() },
      },
    });
    return { changed: true, notified, event };
  });
}
