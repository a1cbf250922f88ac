// Post-exit survey results for HR, per survey and offset (e.g. 90 and 180 days
// after leaving): how many were invited, sent and answered, how each choice
// question was answered, and the latest free-text comments — never who
// answered. (Homecoming wishes go to the event's Teams conversation instead.)
import type { SurveyKind } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { offsetOfDedupeKey, surveyQuestions } from "./survey-definitions.js";

export const LATEST_COMMENTS = 10;
const DAY_MS = 86_400_000;

export interface SurveySummary {
  surveyKey: string;
  kind: SurveyKind;
  /** Days after leaving (null when the invitation carries no offset). */
  offsetDays: number | null;
  offsetMs: number | null;
  /** Invitations created. */
  invited: number;
  /** Invitations delivered. */
  sent: number;
  answered: number;
  /** Per choice question: how many chose each option (every option listed, in order). */
  choices: Record<string, Record<string, number>>;
  /** Latest free-text answers, newest first; anonymous (no person, no time). */
  comments: { question: string; text: string }[];
}

export async function summarizeSurveyResults(options: {
  prisma: Db;
  actorId: string;
  kind?: SurveyKind;
}): Promise<SurveySummary[]> {
  const { prisma, actorId } = options;
  const kind = options.kind ?? "post_exit";
  await requireRole(prisma, actorId, ["hr"]);
  const [surveys, responses, delivered] = await Promise.all([
    prisma.survey.findMany({ where: { kind }, select: { id: true, key: true, kind: true, questions: true } }),
    prisma.surveyResponse.findMany({
      where: { survey: { kind } },
      select: {
        id: true,
        surveyId: true,
        dedupeKey: true,
        sentAt: true,
        submittedAt: true,
        answers: { select: { questionKey: true, value: true } },
      },
    }),
    prisma.outboxMessage.findMany({
      where: { kind: "slack.survey_invite", status: "sent", subjectType: "survey_response" },
      select: { subjectId: true },
    }),
  ]);
  const sentIds = new Set(delivered.map((d) => d.subjectId));
  const surveyById = new Map(surveys.map((s) => [s.id, { ...s, questions: surveyQuestions(s.questions) }]));
  const groups = new Map<string, SurveySummary & { dated: { question: string; text: string; at: Date }[] }>();
  for (const r of responses) {
    const survey = surveyById.get(r.surveyId);
    if (!survey) continue;
    const offsetMs = offsetOfDedupeKey(r.dedupeKey);
    const groupKey = `${survey.key}\u0000${offsetMs ?? ""}`;
    let group = groups.get(groupKey);
    if (!group) {
      group = {
        surveyKey: survey.key,
        kind: survey.kind,
        offsetMs,
        offsetDays: offsetMs === null ? null : Math.round(offsetMs / DAY_MS),
        invited: 0,
        sent: 0,
        answered: 0,
        choices: Object.fromEntries(
          survey.questions
            .filter((q) => q.type === "choice")
            .map((q) => [q.key, Object.fromEntries((q.options ?? []).map((o) => [o, 0]))]),
        ),
        comments: [],
        dated: [],
      };
      groups.set(groupKey, group);
    }
    group.invited += 1;
    if (r.sentAt || sentIds.has(r.id)) group.sent += 1;
    if (!r.submittedAt) continue;
    group.answered += 1;
    for (const a of r.answers) {
      const question = survey.questions.find((q) => q.key === a.questionKey);
      if (question?.type === "choice") {
        const counts = group.choices[question.key];
        if (counts && a.value in counts) counts[a.value] = (counts[a.value] ?? 0) + 1;
      } else if (question?.type === "text") {
        group.dated.push({ question: question.key, text: a.value, at: r.submittedAt });
      }
    }
  }
  return [...groups.values()]
    .sort((a, b) => a.surveyKey.localeCompare(b.surveyKey) || (a.offsetMs ?? 0) - (b.offsetMs ?? 0))
    .map(({ dated, ...summary }) => ({
      ...summary,
      comments: dated
        .sort((a, b) => b.at.getTime() - a.at.getTime())
        .slice(0, LATEST_COMMENTS)
        // No time either: with few answers, when someone answered can tell who they are.
        .map((c) => ({ question: c.question, text: c.text })),
    }));
}
