// The surveys the bot sends, and their questions. A Survey row is created (once)
// the first time a survey is planned; its questions JSON is parsed with zod
// whenever it is read, so an old or hand-edited row cannot break a modal.
import { z } from "zod";
import type { SurveyKind } from "../../generated/prisma/client.js";
import type { Tx } from "../db.js";

export const ZSurveyQuestion = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  type: z.enum(["text", "choice"]),
  options: z.array(z.string().min(1).max(75)).min(1).max(10).optional(),
  required: z.boolean().optional(),
});
export const ZSurveyQuestions = z.array(ZSurveyQuestion).min(1).max(10);
export type TSurveyQuestion = z.infer<typeof ZSurveyQuestion>;

export interface SurveyDefinition {
  key: string;
  kind: SurveyKind;
  questions: TSurveyQuestion[];
}

/** Longest answer to any question. */
export const MAX_ANSWER_LENGTH = 1000;

export const POST_EXIT_SURVEY: SurveyDefinition = {
  key: "post_exit",
  kind: "post_exit",
  questions: [
    { key: "satisfaction", type: "choice", options: ["1", "2", "3", "4", "5"], required: true },
    { key: "would_return", type: "choice", options: ["yes", "maybe", "no"], required: true },
    { key: "comment", type: "text" },
  ],
};

export const HOMECOMING_WISH_SURVEY: SurveyDefinition = {
  key: "homecoming_wish",
  kind: "homecoming_wish",
  questions: [{ key: "who", type: "text", required: true }],
};

/** The survey's id, creating its row the first time (safe when two jobs race to create it). */
export async function ensureSurvey(tx: Tx, def: SurveyDefinition): Promise<string> {
  await tx.survey.createMany({
    data: [{ key: def.key, kind: def.kind, questions: def.questions }],
    skipDuplicates: true,
  });
  const survey = await tx.survey.findUniqueOrThrow({ where: { key: def.key }, select: { id: true } });
  return survey.id;
}

/** A stored survey's questions (zod-checked). */
export function surveyQuestions(raw: unknown): TSurveyQuestion[] {
  return ZSurveyQuestions.parse(raw);
}

/** The offset encoded in a post-exit dedupe key (`post_exit:<person>:<offsetMs>`), else null. */
export function offsetOfDedupeKey(dedupeKey: string): number | null {
  const match = /^post_exit:[^:]+:(\d+)$/.exec(dedupeKey);
  return match ? Number(match[1]) : null;
}

export interface SurveyInvite {
  personId: string;
  /** The response's dedupe key: one response per (survey, person, slot). */
  key: string;
  dueAt: Date;
  eventId?: string;
}

/**
 * Create the survey responses for these invites (existing ones are kept) and
 * return each invite's response id by key — only where the response still
 * belongs to that person (erasure unlinks it).
 */
export async function createSurveyResponses(
  tx: Tx,
  surveyId: string,
  invites: SurveyInvite[],
): Promise<{ created: number; responseIds: Map<string, string> }> {
  const { count: created } = await tx.surveyResponse.createMany({
    data: invites.map((i) => ({
      surveyId,
      personId: i.personId,
      eventId: i.eventId ?? null,
      dedupeKey: i.key,
      dueAt: i.dueAt,
    })),
    skipDuplicates: true,
  });
  const responses = await tx.surveyResponse.findMany({
    where: { dedupeKey: { in: invites.map((i) => i.key) } },
    select: { id: true, dedupeKey: true, personId: true },
  });
  const owners = new Map(invites.map((i) => [i.key, i.personId]));
  const responseIds = new Map(
    responses.filter((r) => r.personId === owners.get(r.dedupeKey)).map((r) => [r.dedupeKey, r.id]),
  );
  return { created, responseIds };
}
