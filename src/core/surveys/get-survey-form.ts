// What a survey modal shows: the survey's questions, the event it is about
// (homecoming wishes) and the member's earlier answers, for the person it was
// sent to only.
import type { SurveyKind } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { parseSurveyResponseId } from "./submit-survey-answers.js";
import { surveyQuestions, type TSurveyQuestion } from "./survey-definitions.js";

export interface SurveyForm {
  surveyResponseId: string;
  surveyKey: string;
  kind: SurveyKind;
  questions: TSurveyQuestion[];
  event: { title: string; startsAt: Date; timeZone: string } | null;
  /** Earlier answers by question key (empty when not yet answered). */
  answers: Record<string, string>;
  submittedAt: Date | null;
}

export async function getSurveyForm(options: {
  prisma: Db;
  personId: string;
  surveyResponseId: string;
}): Promise<SurveyForm> {
  const id = parseSurveyResponseId(options.surveyResponseId);
  const response = await options.prisma.surveyResponse.findUnique({
    where: { id },
    select: {
      id: true,
      personId: true,
      submittedAt: true,
      survey: { select: { key: true, kind: true, questions: true } },
      event: { select: { title: true, startsAt: true, timeZone: true } },
      answers: { select: { questionKey: true, value: true } },
    },
  });
  if (!response) throw new AppError("not_found", {}, { key: "survey.notFound" });
  if (response.personId === null || response.personId !== options.personId) {
    throw new AppError("forbidden", {}, { key: "survey.notYours" });
  }
  return {
    surveyResponseId: response.id,
    surveyKey: response.survey.key,
    kind: response.survey.kind,
    questions: surveyQuestions(response.survey.questions),
    event: response.event,
    answers: Object.fromEntries(response.answers.map((a) => [a.questionKey, a.value])),
    submittedAt: response.submittedAt,
  };
}
