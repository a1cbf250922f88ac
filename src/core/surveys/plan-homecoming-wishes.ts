// A week before a homecoming day, everyone who answered going or maybe gets a
// DM asking whom they would like to see there (a button opens a one-question
// modal). One SurveyResponse and one outbox row per (event, person), keyed so
// that reruns and concurrent replicas create them once. Members who answer
// later in that week are asked too, up to a day before the event. Invitations
// still queued for members who now answer "not going" (or for cancelled
// events) are withdrawn.
import { enqueueOutbox, type OutboxRow } from "../../delivery/outbox.js";
import type { Db } from "../db.js";
import {
  answeredRsvpsSelect,
  recipientsOf,
  reviveWithdrawnDms,
  withdrawStaleEventDms,
} from "../events/stale-event-dms.js";
import { createSurveyResponses, ensureSurvey, HOMECOMING_WISH_SURVEY } from "./survey-definitions.js";

const DAY_MS = 86_400_000;
/** Asked this long before the event starts. */
export const WISH_LEAD_MS = 7 * DAY_MS;
/** Not asked any more when the event is closer than this. */
export const WISH_MIN_LEAD_MS = DAY_MS;

export interface PlanHomecomingWishesResult {
  events: number;
  /** New SurveyResponse rows. */
  created: number;
  /** New DM rows. */
  queued: number;
  cancelled: number;
  revived: number;
}

export function homecomingWishKey(eventId: string, personId: string): string {
  return `homecoming_wish:${eventId}:${personId}`;
}

export async function planHomecomingWishes(options: {
  prisma: Db;
  now: Date;
  horizonMs: number;
}): Promise<PlanHomecomingWishesResult> {
  const { prisma, now, horizonMs } = options;
  return prisma.$transaction(
    async (tx) => {
      const cancelled = await withdrawStaleEventDms(tx, "slack.homecoming_wish", now);
      const events = await tx.event.findMany({
        where: {
          kind: "homecoming_day",
          status: "scheduled",
          startsAt: {
            gt: new Date(now.getTime() + WISH_MIN_LEAD_MS),
            lte: new Date(now.getTime() + WISH_LEAD_MS + horizonMs),
          },
        },
        orderBy: [{ startsAt: "asc" }, { id: "asc" }],
        select: { id: true, startsAt: true, rsvps: answeredRsvpsSelect },
      });
      const invites = events.flatMap((event) =>
        recipientsOf(event.rsvps).map((r) => ({
          ...r,
          eventId: event.id,
          dueAt: new Date(event.startsAt.getTime() - WISH_LEAD_MS),
          key: homecomingWishKey(event.id, r.personId),
        })),
      );
      if (invites.length === 0) return { events: events.length, created: 0, queued: 0, cancelled, revived: 0 };

      const surveyId = await ensureSurvey(tx, HOMECOMING_WISH_SURVEY);
      const { created, responseIds } = await createSurveyResponses(tx, surveyId, invites);
      const rows: OutboxRow[] = [];
      for (const i of invites) {
        const responseId = responseIds.get(i.key);
        if (!responseId) continue;
        rows.push({
          idempotencyKey: i.key,
          platform: "slack",
          operation: "dm",
          target: i.userId,
          recipientId: i.personId,
          subjectType: "event",
          subjectId: i.eventId,
          rateKey: `slack:${i.teamId}:dm`,
          notBefore: i.dueAt,
          payload: { type: "slack.homecoming_wish", eventId: i.eventId, surveyResponseId: responseId },
        });
      }
      const queued = await enqueueOutbox(tx, rows);
      const revived = await reviveWithdrawnDms(
        tx,
        rows.map((r) => r.idempotencyKey),
        now,
      );
      return { events: events.length, created, queued, cancelled, revived };
    },
    // May wait behind another replica's run of this job (and PGlite has one connection).
    { maxWait: 15_000, timeout: 60_000 },
  );
}
