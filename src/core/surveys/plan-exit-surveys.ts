// Post-exit surveys (退職後アンケート): for each configured offset (e.g. 90 and
// 180 days after the day a member left), one SurveyResponse and one DM
// inviting them, keyed so that reruns and concurrent replicas create them once.
// Only registered, verified members (active, unwithdrawn consent, a Slack identity)
// with a leaving date are asked, and only while the survey is at most two weeks
// overdue: enabling the feature (or a long outage) does not survey people who
// left long ago.
//
// The leaving date is HR's: the left_on of the member's roster row (roster_entries,
// linked by person_id) when it has one; the date the member entered in their profile
// is only the fallback (no linked row, or a row without a date). The survey key names
// the offset, not the date, so a date corrected later never surveys anyone twice.
import { enqueueOutbox, type OutboxRow } from "../../delivery/outbox.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { CONSENT_PURPOSE } from "../members/consent.js";
import { createSurveyResponses, ensureSurvey, POST_EXIT_SURVEY } from "./survey-definitions.js";

const DAY_MS = 86_400_000;
/** A survey more overdue than this is not sent at all. */
export const EXIT_SURVEY_LOOKBACK_MS = 14 * DAY_MS;

export interface PlanExitSurveysResult {
  /** New SurveyResponse rows. */
  created: number;
  /** New DM rows. */
  queued: number;
}

export function exitSurveyKey(personId: string, offsetMs: number): string {
  return `post_exit:${personId}:${offsetMs}`;
}

/** When the survey at `offsetMs` is due for someone who left on `leftOn` (a date, stored as UTC midnight). */
export function exitSurveyDueAt(leftOn: Date, offsetMs: number): Date {
  return new Date(leftOn.getTime() + offsetMs);
}

/** The day a member left, as surveys count it: HR's roster first, what they entered as the fallback. */
export function effectiveLeftOn(member: {
  rosterLeftOn: Date | null | undefined;
  profileLeftOn: Date | null | undefined;
}): Date | null {
  return member.rosterLeftOn ?? member.profileLeftOn ?? null;
}

export async function planExitSurveys(options: {
  prisma: Db;
  now: Date;
  offsetsMs: readonly number[];
  horizonMs: number;
}): Promise<PlanExitSurveysResult> {
  const { prisma, now, horizonMs } = options;
  const offsets = [...new Set(options.offsetsMs)].filter((o) => Number.isInteger(o) && o > 0);
  if (offsets.length === 0) return { created: 0, queued: 0 };
  const earliest = now.getTime() - EXIT_SURVEY_LOOKBACK_MS;
  const latest = now.getTime() + horizonMs;
  // leftOn is a calendar date: query a day wider on each side, then decide exactly below.
  const ranges = offsets.map((offset) => ({
    gte: new Date(earliest - offset - DAY_MS),
    lte: new Date(latest - offset + DAY_MS),
  }));
  // Either date may be the one that counts; which one does is decided below (effectiveLeftOn).
  const candidates: Prisma.PersonWhereInput[] = [
    { rosterEntry: { is: { OR: ranges.map((leftOn) => ({ leftOn })) } } },
    { profile: { is: { OR: ranges.map((leftOn) => ({ leftOn })) } } },
  ];
  return prisma.$transaction(
    async (tx) => {
      const people = await tx.person.findMany({
        where: {
          status: "active",
          membership: "verified",
          slackIdentities: { some: {} },
          consents: { some: { purpose: CONSENT_PURPOSE, withdrawnAt: null } },
          profile: { isNot: null },
          OR: candidates,
        },
        orderBy: { id: "asc" },
        select: {
          id: true,
          profile: { select: { leftOn: true } },
          rosterEntry: { select: { leftOn: true } },
          slackIdentities: { select: { teamId: true, userId: true }, orderBy: { createdAt: "asc" }, take: 1 },
        },
      });
      const invites: { personId: string; teamId: string; userId: string; dueAt: Date; key: string }[] = [];
      for (const person of people) {
        const leftOn = effectiveLeftOn({
          rosterLeftOn: person.rosterEntry?.leftOn,
          profileLeftOn: person.profile?.leftOn,
        });
        const identity = person.slackIdentities[0];
        if (!leftOn || !identity) continue;
        for (const offset of offsets) {
          const dueAt = exitSurveyDueAt(leftOn, offset);
          if (dueAt.getTime() <= earliest || dueAt.getTime() > latest) continue;
          invites.push({ personId: person.id, ...identity, dueAt, key: exitSurveyKey(person.id, offset) });
        }
      }
      if (invites.length === 0) return { created: 0, queued: 0 };

      const surveyId = await ensureSurvey(tx, POST_EXIT_SURVEY);
      const { created, responseIds } = await createSurveyResponses(tx, surveyId, invites);
      const rows: OutboxRow[] = [];
      for (const i of invites) {
        const responseId = responseIds.get(i.key);
        if (!responseId) continue;
        rows.push({
          idempotencyKey: `survey:${responseId}`,
          platform: "slack",
          operation: "dm",
          target: i.userId,
          recipientId: i.personId,
          subjectType: "survey_response",
          subjectId: responseId,
          rateKey: `slack:${i.teamId}:dm`,
          notBefore: i.dueAt,
          payload: { type: "slack.survey_invite", surveyResponseId: responseId },
        });
      }
      const queued = await enqueueOutbox(tx, rows);
      return { created, queued };
    },
    // May wait behind another replica's run of this job (and PGlite has one connection).
    { maxWait: 15_000, timeout: 60_000 },
  );
}
