// A community manager schedules an event (homecoming day, meetup, online).
// The request applies once: a dialog confirmed twice, or a redelivered
// activity, returns the event the first one created. When an alumni channel is
// configured, the announcement (with RSVP buttons) is an outbox row written in
// the same transaction.
import { enqueueOutbox } from "../../delivery/outbox.js";
import type { Event } from "../../generated/prisma/client.js";
import { applyOnce, type Db } from "../db.js";
import { fieldError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";
import { parseEventInput } from "./event-input.js";
import { isTooFar, isTooSoon, MAX_EVENT_YEARS_AHEAD, MIN_EVENT_LEAD_MS } from "./parse-event-datetime.js";

export async function scheduleEvent(options: {
  prisma: Db;
  actorId: string;
  input: unknown;
  /** TeamsConversationRef id of the conversation it was scheduled in. */
  originConversationRefId: string | null;
  /** Slack channel to announce in; null: no announcement. */
  alumniChannelId: string | null;
  /** Identity of the request (e.g. the Teams activity id of the confirmation). */
  requestKey: string;
  now?: Date;
}): Promise<{ event: Event; duplicate: boolean }> {
  const { prisma, actorId, alumniChannelId } = options;
  const input = parseEventInput(options.input);
  const now = options.now ?? new Date();
  // Checked before applyOnce too, so that a replayed request key tells nothing to someone without the role.
  await requireRole(prisma, actorId, ["cm"]);

  const { result, duplicate } = await applyOnce(prisma, `event.schedule:${options.requestKey}`, async (tx) => {
    await requireRole(tx, actorId, ["cm"]);
    if (isTooSoon(input.startsAt, now)) {
      throw fieldError("startsAt", "event.pastDate", { minutes: MIN_EVENT_LEAD_MS / 60_000 });
    }
    if (isTooFar(input.startsAt, now)) throw fieldError("startsAt", "event.tooFar", { years: MAX_EVENT_YEARS_AHEAD });

    const event = await tx.event.create({
      data: {
        kind: input.kind,
        title: input.title,
        description: input.description,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        timeZone: input.timeZone,
        place: input.place,
        url: input.url,
        capacity: input.capacity,
        createdById: actorId,
        originConversationId: options.originConversationRefId,
      },
      select: { id: true, number: true },
    });
    if (alumniChannelId) {
      await enqueueOutbox(tx, [
        {
          idempotencyKey: `event:${event.id}:announce`,
          platform: "slack",
          operation: "post",
          target: alumniChannelId,
          subjectType: "event",
          subjectId: event.id,
          rateKey: `slack:channel:${alumniChannelId}`,
          payload: { type: "slack.event_announcement", eventId: event.id },
        },
      ]);
    }
    await tx.auditLog.create({
      data: {
        actorId,
        action: "event.scheduled",
        subjectType: "event",
        subjectId: event.id,
        details: {
          number: event.number,
          kind: input.kind,
          startsAt: input.startsAt.toISOString(),
          timeZone: input.timeZone,
          announced: alumniChannelId !== null,
        },
      },
    });
    // Only the id is stored for replays; the event is read fresh below.
    return { eventId: event.id };
  });
  const event = await prisma.event.findUniqueOrThrow({ where: { id: result.eventId } });
  return { event, duplicate };
}
