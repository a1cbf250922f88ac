// RSVP buttons, in /alumni events lists and on announcements in the alumni channel.
import type { App } from "@slack/bolt";
import { fieldError } from "../../../../core/errors.js";
import { setRsvp } from "../../../../core/events/set-rsvp.js";
import { type MessageKey, t } from "../../../../i18n/index.js";
import { textMessage } from "../../blocks/common.js";
import type { SlackDeps } from "../../deps.js";
import { escapeMrkdwn } from "../../escape.js";
import { requireVerified } from "../../subcommands/context.js";
import { onButton } from "./helpers.js";

export function register(app: App, deps: SlackDeps): void {
  app.action(
    /^event_rsvp_(going|maybe|not_going)$/,
    onButton(deps, async ({ actor, reply, value, args }) => {
      const member = await requireVerified({ actor, reply });
      if (!member) return;
      const response = (args.action as { action_id: string }).action_id.replace("event_rsvp_", "");
      if (!/^\d{1,9}$/.test(value)) throw fieldError("event", "event.badNumber");
      const result = await setRsvp({
        prisma: deps.prisma,
        personId: member.member.personId,
        eventNumber: Number(value),
        response,
      });
      await reply(
        textMessage(
          t(actor.locale, "rsvp.recorded", {
            number: result.eventNumber,
            title: escapeMrkdwn(result.eventTitle),
            answer: t(actor.locale, `rsvp.${result.response}` as MessageKey),
          }),
        ),
      );
    }),
  );
}
