// A member answers going / maybe / not going. Answering again changes the answer;
// the same answer twice (double click, retry) changes nothing. A full event
// refuses new "going" answers.
import { randomUUID } from "node:crypto";
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
  const bucket = Math.floor(now.getTime() / COUNTS_WINDOW_MS);
  // Most answers come while this window's counts edit is already queued (the transaction below
  // would then queue nothing): for an event without a capacity, one statement locks the event
  // row as the transaction does, checks it, and writes the answer. Otherwise it writes nothing
  // and returns no row, and the transaction below decides (and says why not, if it refuses).
  const [fast] = await prisma.$queryRaw<{ title: string; number: number; starts_at: Date; written: number }[]>`
    WITH event AS (
      SELECT e.id, e.title, e.number, e.starts_at FROM events e
      WHERE e.number = ${eventNumber} AND e.status = 'scheduled' AND e.starts_at > ${now} AND e.capacity IS NULL
        AND EXISTS (SELECT 1 FROM outbox_messages o
          WHERE o.idempotency_key = 'event:' || e.id::text || ':counts:' || ${String(bucket)}
            AND o.depends_on_id IS NOT NULL)
      FOR UPDATE
    ), written AS (
      INSERT INTO rsvps (id, event_id, person_id, response, updated_at)
      SELECT ${randomUUID()}::uuid, event.id, ${personId}::uuid, ${response}::"RsvpResponse", now() FROM event
      WHERE NOT EXISTS (SELECT 1 FROM rsvps r
        WHERE r.event_id = event.id AND r.person_id = ${personId}::uuid AND r.response = ${response}::"RsvpResponse")
      ON CONFLICT (event_id, person_id) DO UPDATE SET response = EXCLUDED.response, updated_at = EXCLUDED.updated_at
      RETURNING 1
    )
    SELECT event.title, event.number, event.starts_at, (SELECT count(*) FROM written)::int AS written FROM event`;
  if (fast) {
    const result = { response, eventTitle: fast.title, eventNumber: fast.number, startsAt: fast.starts_at };
    return { changed: fast.written === 1, ...result };
  }
  return prisma.$transaction(async (tx) => {
    // Lock the event row: concurrent "going" answers must not overfill it.
    const locked = await tx.$queryRaw<LockedEvent[]>`
      SELECT id, title, number, status::text AS status, starts_at, capacity, version
      FROM events WHERE number = ${eventNumber} FOR UPDATE`;
    const event = locked[0];
    if (!event) throw new AppError("not_found", { number: eventNumber }, { key: "event.notFound" });
    if (event.status !== "scheduled")
      throw new AppError("conflict", { number: eventNumber }, { key: "event.cancelled" });
    if (event.starts_at <= now) throw new AppError("conflict", { number: eventNumber }, { key: "event.past" });
    // One statement, after the lock: the member's answer, the "going" count when a capacity
    // must be checked, whether this window's counts edit is already queued, and the answer
    // written (inserted or changed) unless it is the same or the event is full.
    const counting = response === "going" && event.capacity !== null;
    const keys = countsKeys(event.id, bucket);
    const [state] = await tx.$queryRaw<RsvpState[]>`
      WITH state AS (
        SELECT
          (SELECT r.response::text FROM rsvps r
            WHERE r.event_id = ${event.id}::uuid AND r.person_id = ${personId}::uuid) AS existing,
          CASE WHEN ${counting}::boolean THEN (SELECT count(*)::int FROM rsvps r
            WHERE r.event_id = ${event.id}::uuid AND r.response = 'going') END AS going,
          (SELECT o.status::text FROM outbox_messages o WHERE o.idempotency_key = ${keys.announceKey}) AS announcement,
          EXISTS (SELECT 1 FROM outbox_messages o
            WHERE o.idempotency_key = ${keys.idempotencyKey} AND o.depends_on_id IS NOT NULL) AS edit_queued
      ), written AS (
        INSERT INTO rsvps (id, event_id, person_id, response, updated_at)
        SELECT ${randomUUID()}::uuid, ${event.id}::uuid, ${personId}::uuid, ${response}::"RsvpResponse", now()
        FROM state
        WHERE state.existing IS DISTINCT FROM ${response}
          AND NOT (${counting}::boolean AND state.going >= ${event.capacity ?? 0})
        ON CONFLICT (event_id, person_id) DO UPDATE SET response = EXCLUDED.response, updated_at = EXCLUDED.updated_at
        RETURNING 1
      )
      SELECT state.*, (SELECT count(*) FROM written)::int AS written FROM state`;
    const result = { response, eventTitle: event.title, eventNumber: event.number, startsAt: event.starts_at };
    if (state?.existing === response) return { changed: false, ...result };
    if (!state?.written) {
      // Nothing written: only a full event refuses a new or changed answer.
      throw new AppError("conflict", { capacity: event.capacity ?? 0 }, { key: "event.full" });
    }
    // enqueueAnnouncementEdit would write nothing: the event was never announced (or that was
    // cancelled), or this window's edit is queued already, after the announcement.
    const announced = state?.announcement != null && !["cancelled", "dead"].includes(state.announcement);
    if (announced && !state?.edit_queued) await queueCountsUpdate(tx, event.id, event.version, bucket);
    return { changed: true, ...result };
  });
}

interface LockedEvent {
  id: string;
  title: string;
  number: number;
  status: string;
  starts_at: Date;
  capacity: number | null;
  version: number;
}

interface RsvpState {
  existing: RsvpResponse | null;
  going: number | null;
  announcement: string | null;
  edit_queued: boolean;
  /** 1 when the answer was inserted or changed. */
  written: number;
}

/** RSVP counts on the announcement change in batches: one edit per 15 s window at most. */
const COUNTS_WINDOW_MS = 15_000;

function countsKeys(eventId: string, bucket: number): { announceKey: string; idempotencyKey: string } {
  return { announceKey: `event:${eventId}:announce`, idempotencyKey: `event:${eventId}:counts:${bucket}` };
}

async function queueCountsUpdate(tx: Tx, eventId: string, version: number, bucket: number): Promise<void> {
  await enqueueAnnouncementEdit(tx, {
    ...countsKeys(eventId, bucket),
    subjectType: "event",
    subjectId: eventId,
    notBefore: new Date((bucket + 1) * COUNTS_WINDOW_MS),
    payload: { type: "slack.event_update", eventId, version },
  });
}
