// A member answers going / maybe / not going. Answering again changes the answer;
// the same answer twice (double click, retry) changes nothing. A full event
// refuses new "going" answers.
import { z } from "zod";
import { enqueueAnnouncementEdit } from "../../delivery/outbox.js";
import type { RsvpResponse } from "../../generated/prisma/client.js";
import type { Db, Tx } from "../db.js";
import { AppError } from "../errors.js";
import { parseInput } from "../validation.js";

const ZRsvp = z.object({
  eventNumber: z.number().int().min(1),
  response: z.enum(["going", "maybe", "not_going"]),
});

export async function setRsvp(options: {
  prisma: Db;
  personId: string;
  eventNumber: number;
  response: unknown;
  now?: Date;
}): Promise<{ changed: boolean; response: RsvpResponse; eventTitle: string; eventNumber: number; startsAt: Date }> {
  const { eventNumber, response } = parseInput(ZRsvp, { eventNumber: options.eventNumber, response: options.response });
  const now = options.now ?? new Date();
  const { prisma, personId } = options;
  return prisma.$transaction(async (tx) => {
    // Lock the event row: concurrent "going" answers must not overfill it.
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM events WHERE number = ${eventNumber} FOR UPDATE`;
    const event = locked[0] ? await tx.event.findUnique({ where: { id: locked[0].id } }) : null;
    if (!event) throw new AppError("not_found", { number: eventNumber }, { key: "event.notFound" });
    if (event.status !== "scheduled")
      throw new AppError("conflict", { number: eventNumber }, { key: "event.cancelled" });
    if (event.startsAt <= now) throw new AppError("conflict", { number: eventNumber }, { key: "event.past" });
    const existing = await tx.rsvp.findUnique({ where: { eventId_personId: { eventId: event.id, personId } } });
    const result = { response, eventTitle: event.title, eventNumber: event.number, startsAt: event.startsAt };
    if (existing?.response === response) return { changed: false, ...result };
    if (response === "going" && event.capacity !== null) {
      const going = await tx.rsvp.count({ where: { eventId: event.id, response: "going" } });
      if (going >= event.capacity) {
        throw new AppError("conflict", { capacity: event.capacity }, { key: "event.full" });
      }
    }
    await tx.rsvp.upsert({
      where: { eventId_personId: { eventId: event.id, personId } },
      create: { eventId: event.id, personId, response },
      update: { response },
    });
    await queueCountsUpdate(tx, event.id, event.version, now);
    return { changed: true, ...result };
  });
}

/** RSVP counts on the announcement change in batches: one edit per 15 s window at most. */
const COUNTS_WINDOW_MS = 15_000;

async function queueCountsUpdate(tx: Tx, eventId: string, version: number, now: Date): Promise<void> {
  const bucket = Math.floor(now.getTime() / COUNTS_WINDOW_MS);
  await enqueueAnnouncementEdit(tx, {
    announceKey: `event:${eventId}:announce`,
    idempotencyKey: `event:${eventId}:counts:${bucket}`,
    subjectType: "event",
    subjectId: eventId,
    notBefore: new Date((bucket + 1) * COUNTS_WINDOW_MS),
    payload: { type: "slack.event_update", eventId, version },
  });
}
