// Buttons in survey DMs (post-exit survey, homecoming wish) that open the
// survey's modal; value = the SurveyResponse id. Only its addressee may open it.
import type { App } from "@slack/bolt";
import { getSurveyForm } from "../../../../core/surveys/get-survey-form.js";
import { surveyModal } from "../../blocks/survey-modal.js";
import type { SlackDeps } from "../../deps.js";
import { requireVerified } from "../../subcommands/context.js";
import { onButton } from "./helpers.js";

export const SURVEY_ACTIONS = ["open_survey", "open_homecoming_wish"] as const;

export function register(app: App, deps: SlackDeps): void {
  for (const actionId of SURVEY_ACTIONS) {
    app.action(
      actionId,
      onButton(deps, async ({ actor, reply, value, triggerId, args }) => {
        const member = await requireVerified({ actor, reply });
        if (!member) return;
        const form = await getSurveyForm({
          prisma: deps.prisma,
          personId: member.member.personId,
          surveyResponseId: value,
        });
        await args.client.views.open({
          trigger_id: triggerId,
          view: surveyModal(actor.locale, form, member.member.timeZone ?? deps.defaultTimeZone) as never,
        });
      }),
    );
  }
}
