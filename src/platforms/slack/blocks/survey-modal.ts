// Survey modals (post-exit survey, homecoming wish), built from the survey's
// own questions in the member's language. Block ids and action ids are the
// question keys, so validation errors land under the right question.
import type { SurveyForm } from "../../../core/surveys/get-survey-form.js";
import { MAX_ANSWER_LENGTH, type TSurveyQuestion } from "../../../core/surveys/survey-definitions.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { escapeMrkdwn } from "../escape.js";
import { type Block, context, plain, section, slackDate } from "./common.js";

export const SURVEY_CALLBACK = "alumni_survey";
export const HOMECOMING_WISH_CALLBACK = "alumni_homecoming_wish";

export interface SurveyMetadata {
  locale: Locale;
  surveyResponseId: string;
  /** The question keys shown (their block ids), for placing errors. */
  questions: string[];
}

/** A catalogue text, or `fallback` when the survey has a question we have no text for. */
function text(locale: Locale, key: string, fallback: string, params: Record<string, string | number> = {}): string {
  const value = t(locale, key as MessageKey, params);
  return value === key ? fallback : value;
}

function questionBlock(locale: Locale, surveyKey: string, q: TSurveyQuestion, initial: string | undefined): Block {
  const base = `survey.${surveyKey}.${q.key}`;
  let element: Block;
  if (q.type === "choice") {
    const options = (q.options ?? []).map((value) => ({
      text: plain(text(locale, `${base}.${value}`, value), 75),
      value,
    }));
    const selected = options.find((o) => o.value === initial);
    element = {
      type: options.length <= 10 ? "radio_buttons" : "static_select",
      options,
      ...(selected ? { initial_option: selected } : {}),
    };
  } else {
    element = {
      type: "plain_text_input",
      multiline: true,
      max_length: MAX_ANSWER_LENGTH,
      ...(initial ? { initial_value: initial.slice(0, MAX_ANSWER_LENGTH) } : {}),
    };
  }
  return {
    type: "input",
    block_id: q.key,
    label: plain(text(locale, base, q.key), 2000),
    optional: q.required !== true,
    element: { action_id: q.key, ...element },
  };
}

export function surveyModal(locale: Locale, form: SurveyForm, timeZone: string): Block {
  const wish = form.kind === "homecoming_wish";
  const metadata: SurveyMetadata = {
    locale,
    surveyResponseId: form.surveyResponseId,
    questions: form.questions.map((q) => q.key),
  };
  const intro = text(locale, `survey.${form.surveyKey}.intro`, "", {
    title: form.event ? escapeMrkdwn(form.event.title) : "",
    date: form.event ? slackDate(form.event.startsAt, locale, timeZone) : "",
  });
  return {
    type: "modal",
    callback_id: wish ? HOMECOMING_WISH_CALLBACK : SURVEY_CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain(t(locale, wish ? "survey.wishTitle" : "survey.title"), 24),
    submit: plain(t(locale, "survey.submit"), 24),
    close: plain(t(locale, "common.cancel"), 24),
    blocks: [
      ...(intro ? [section(intro)] : []),
      ...(form.submittedAt ? [context([t(locale, "survey.alreadyAnswered")])] : []),
      ...form.questions.map((q) => questionBlock(locale, form.surveyKey, q, form.answers[q.key])),
    ],
  };
}
