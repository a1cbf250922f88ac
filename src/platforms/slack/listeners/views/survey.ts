// A survey modal (post-exit survey, homecoming wish) was submitted.
import type { App } from "@slack/bolt";
import { AppError } from "../../../../core/errors.js";
import { findSlackMember } from "../../../../core/members/find-member.js";
import { submitSurveyAnswers } from "../../../../core/surveys/submit-survey-answers.js";
import { type Locale, t } from "../../../../i18n/index.js";
import { requireAllowedView } from "../../authorize.js";
import { HOMECOMING_WISH_CALLBACK, SURVEY_CALLBACK, type SurveyMetadata } from "../../blocks/survey-modal.js";
import type { SlackDeps } from "../../deps.js";
import { parseMetadata, readViewState } from "../../view-state.js";
import { ackWithError, type ViewArgs } from "./helpers.js";

export function register(app: App, deps: SlackDeps): void {
  const handler = async (args: ViewArgs) => {
    const { body, view, client } = args;
    const metadata = parseMetadata<SurveyMetadata>(view.private_metadata);
    const teamId = body.user.team_id ?? body.team?.id ?? "";
    const member = await findSlackMember({ prisma: deps.prisma, user: { teamId, userId: body.user.id } });
    const locale: Locale =
      member?.locale ?? (metadata.locale === "en" ? "en" : metadata.locale === "ja" ? "ja" : deps.defaultLocale);
    const blocks = Array.isArray(metadata.questions) ? metadata.questions.filter((q) => typeof q === "string") : [];
    const answers: Record<string, string> = {};
    for (const [key, value] of Object.entries(readViewState(view.state))) {
      if (typeof value === "string") answers[key] = value;
    }
    let result: Awaited<ReturnType<typeof submitSurveyAnswers>>;
    try {
      const operation = view.callback_id === HOMECOMING_WISH_CALLBACK ? "homecoming_wish" : "survey";
      await requireAllowedView(deps, client, { teamId, userId: body.user.id }, `slack.view.${operation}`);
      if (!member?.registered) throw new AppError("forbidden", {}, { key: "member.notRegistered" });
      result = await submitSurveyAnswers({
        prisma: deps.prisma,
        personId: member.personId,
        surveyResponseId: typeof metadata.surveyResponseId === "string" ? metadata.surveyResponseId : "",
        answers,
      });
    } catch (err) {
      await ackWithError(args, deps.logger, locale, err, blocks[0] ?? "input", blocks);
      return;
    }
    await args.ack();
    const text = t(locale, result.kind === "homecoming_wish" ? "survey.wishThanks" : "survey.thanks");
    await client.chat
      .postMessage({
        channel: body.user.id,
        text,
        blocks: [{ type: "section", text: { type: "mrkdwn", text, verbatim: true } }] as never,
      })
      .catch((err: unknown) => deps.logger.warn({ err }, "survey answers saved, but the thanks could not be sent"));
  };
  app.view(SURVEY_CALLBACK, handler);
  app.view(HOMECOMING_WISH_CALLBACK, handler);
}
