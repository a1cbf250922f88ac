// A member answers a survey they were sent (post-exit survey, homecoming wish).
// Only the person it was sent to may answer; answering again replaces the
// earlier answers (one row per question). Every answer is checked against the
// survey's own questions: known keys only, choices from their options, text
// up to 1000 characters. A homecoming wish also queues, at most once per event
// and day, a card to the Teams conversation the event was scheduled in — sent
// ten minutes later, so that it gathers the wishes of that day, not one card per answer.
import { z } from "zod";
import { enqueueOutbox } from "../../delivery/outbox.js";
import type { SurveyKind } from "../../generated/prisma/client.js";
import type { Db, Tx } from "../db.js";
import { AppError, type FieldProblem } from "../errors.js";
import { wallTimeAt } from "../time-zone.js";
import { parseInput, zOptionalText } from "../validation.js";
import { MAX_ANSWER_LENGTH, surveyQuestions, type TSurveyQuestion } from "./survey-definitions.js";

/** How long answered wishes are gathered before the Teams card goes out. */
export const WISHES_BATCH_DELAY_MS = 10 * 60_000;

export interface SubmitSurveyAnswersResult {
  surveyResponseId: string;
  surveyKey: string;
  kind: SurveyKind;
  eventId: string | null;
  /** Earlier answers were replaced. */
  resubmitted: boolean;
  /** Answers stored (empty optional questions are not stored). */
  answered: number;
}

const ZId = z.uuid();

/** The response's id, or not_found (a malformed id is not found either). */
export function parseSurveyResponseId(value: unknown): string {
  const parsed = ZId.safeParse(value);
  if (!parsed.success) throw new AppError("not_found", {}, { key: "survey.notFound" });
  return parsed.data;
}

/** Checked answers by question key; every problem is reported under its question. */
export function validateSurveyAnswers(questions: TSurveyQuestion[], answers: unknown): Map<string, string> {
  if (typeof answers !== "object" || answers === null || Array.isArray(answers)) {
    throw new AppError("validation", {}, { fields: { input: { key: "validation.invalid" } } });
  }
  const given = answers as Record<string, unknown>;
  const fields: Record<string, FieldProblem> = {};
  const known = new Set(questions.map((q) => q.key));
  for (const key of Object.keys(given)) if (!known.has(key)) fields[key] = { key: "survey.unknownQuestion" };
  const values = new Map<string, string>();
  for (const q of questions) {
    let value: string | null;
    try {
      value = parseInput(z.object({ [q.key]: zOptionalText(MAX_ANSWER_LENGTH) }), { [q.key]: given[q.key] ?? null })[
        q.key
      ] as string | null;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      Object.assign(fields, err.fields);
      continue;
    }
    if (value === null) {
      if (q.required) fields[q.key] = { key: "validation.required" };
      continue;
    }
    if (q.type === "choice" && !(q.options ?? []).includes(value)) {
      fields[q.key] = { key: "survey.invalidChoice" };
      continue;
    }
    values.set(q.key, value);
  }
  if (Object.keys(fields).length > 0) throw new AppError("validation", {}, { fields });
  return values;
}

function localDate(instant: Date, timeZone: string): string {
  const w = wallTimeAt(instant, timeZone);
  return `${String(w.year).padStart(4, "0")}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

async function queueWishesCard(tx: Tx, eventId: string, now: Date): Promise<void> {
  const event = await tx.event.findUnique({
    where: { id: eventId },
    select: { status: true, timeZone: true, originConversation: { select: { conversationId: true } } },
  });
  const conversationId = event?.originConversation?.conversationId;
  if (event?.status !== "scheduled" || !conversationId) return;
  await enqueueOutbox(tx, [
    {
      idempotencyKey: `homecoming_wishes:${eventId}:${localDate(now, event.timeZone)}`,
      platform: "teams",
      operation: "post",
      target: conversationId,
      subjectType: "event",
      subjectId: eventId,
      rateKey: `teams:conversation:${conversationId}`,
      notBefore: new Date(now.getTime() + WISHES_BATCH_DELAY_MS),
      payload: { type: "teams.homecoming_wishes", eventId },
    },
  ]);
}

export async function submitSurveyAnswers(options: {
  prisma: Db;
  personId: string;
  surveyResponseId: string;
  answers: Record<string, string>;
  now?: Date;
}): Promise<SubmitSurveyAnswersResult> {
  const { prisma, personId } = options;
  const id = parseSurveyResponseId(options.surveyResponseId);
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    // Lock the response: two submissions at once apply one after the other.
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM survey_responses WHERE id = ${id}::uuid FOR UPDATE`;
    const response = locked[0]
      ? await tx.surveyResponse.findUnique({
          where: { id },
          select: {
            id: true,
            personId: true,
            eventId: true,
            submittedAt: true,
            survey: { select: { key: true, kind: true, questions: true } },
          },
        })
      : null;
    if (!response) throw new AppError("not_found", {}, { key: "survey.notFound" });
    if (response.personId === null || response.personId !== personId) {
      throw new AppError("forbidden", {}, { key: "survey.notYours" });
    }
    const values = validateSurveyAnswers(surveyQuestions(response.survey.questions), options.answers);

    await tx.surveyAnswer.deleteMany({ where: { responseId: id } });
    await tx.surveyAnswer.createMany({
      data: [...values].map(([questionKey, value]) => ({ responseId: id, questionKey, value })),
    });
    await tx.surveyResponse.update({ where: { id }, data: { submittedAt: now } });
    if (response.survey.kind === "homecoming_wish" && response.eventId) {
      await queueWishesCard(tx, response.eventId, now);
    }
    return {
      surveyResponseId: id,
      surveyKey: response.survey.key,
      kind: response.survey.kind,
      eventId: response.eventId,
      resubmitted: response.submittedAt !== null,
      answered: values.size,
    };
  });
}
