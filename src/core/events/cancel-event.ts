// A community manager cancels an upcoming event. The channel announcement is
// edited to say so, and everyone who answered the RSVP (going, maybe or not
// going) and is still a member gets a Slack DM — all outbox rows in the same
// transaction. Cancelling again changes nothing and queues nothing.
import { z } from "zod";
import { enqueueAnnouncementEdit, enqueueOutbox, type OutboxRow } from "../../delivery/outbox.js";
import type { Event } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput } from "../validation.js";

const ZCancel = z.object({ eventNumber: z.number().int().min(1) });

export interface CancelEventResult {
  changed: boolean;
  /** DMs queued to members who had answered. */
  notified: number;
  event: Event;
}

export async function cancelEvent(options: {
  prisma: Db;
  actorId: string;
  eventNumber: number;
  /** Slack channel the event was announced in; null: no announcement to edit. */
  alumniChannelId: string | null;
  now?: Date;
}): Promise<CancelEventResult> {
  const { eventNumber } = parseInput(ZCancel, { eventNumber: options.eventNumber });
  const { prisma, actorId, alumniChannelId } = options;
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["cm"]);
    // Lock the row: a concurrent cancel (or RSVP) waits, then sees the result.
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM events WHERE number = ${eventNumber} FOR UPDATE`;
    const found = locked[0] ? await tx.event.findUnique({ where: { id: locked[0].id } }) : null;
    if (!found) throw new AppError("not_found", { number: eventNumber }, { key: "event.notFound" });
    if (found.status === "cancelled") return { changed: false, notified: 0, event: found };
    if (found.startsAt <= now) throw new AppError("conflict", { number: eventNumber }, { key: "event.past" });

    const event = await tx.event.update({
      where: { id: found.id },
      data: { status: "cancelled", cancelledAt: now, version: { increment: 1 } },
    });
    // The announcement shows it cancelled (when there is a channel to edit in).
    if (alumniChannelId) {
      await enqueueAnnouncementEdit(tx, {
        announceKey: `event:${event.id}:announce`,
        idempotencyKey: `event:${event.id}:update:v${event.version}`,
        subjectType: "event",
        subjectId: event.id,
        payload: { type: "slack.event_update", eventId: event.id, version: event.version },
      });
    }
    const rows: OutboxRow[] = [];
    // One DM per member who answered; erased members (tombstones without a Slack identity) get none.
    const answered = await tx.rsvp.findMany({
      where: { eventId: event.id, person: { status: "active", membership: "verified" } },
      orderBy: { createdAt: "asc" },
      select: {
        personId: true,
        person: {
          select: {
            slackIdentities: { select: { teamId: true, userId: true }, orderBy: { createdAt: "asc" }, take: 1 },
          },
        },
      },
    });
    let dms = 0;
    for (const { personId, person } of answered) {
      const identity = person.slackIdentities[0];
      if (!identity) continue;
      dms += 1;
      rows.push({
        idempotencyKey: `event:${event.id}:cancelled:${personId}`,
        platform: "slack",
        operation: "dm",
        target: identity.userId,
        recipientId: personId,
        subjectType: "event",
        subjectId: event.id,
        rateKey: `slack:${identity.teamId}:dm`,
        payload: { type: "slack.event_cancelled", eventId: event.id },
      });
    }
    await enqueueOutbox(tx, rows);
    await tx.auditLog.create({
      data: {
        actorId,
        action: "event.cancelled",
        subjectType: "event",
        subjectId: event.id,
        details: { number: event.number, version: event.version, notified: dms },
      },
    });
    return { changed: true, notified: dms, event };
  });
}
