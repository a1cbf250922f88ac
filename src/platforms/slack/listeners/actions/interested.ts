// "Interested" on a posting: idempotent; HR is told once.
import type { App } from "@slack/bolt";
import { expressInterest } from "../../../../core/postings/express-interest.js";
import { parsePostingNumber } from "../../../../core/postings/find-posting.js";
import { t } from "../../../../i18n/index.js";
import { textMessage } from "../../blocks/common.js";
import type { SlackDeps } from "../../deps.js";
import { escapeMrkdwn } from "../../escape.js";
import { requireVerified } from "../../subcommands/context.js";
import { onButton } from "./helpers.js";

export function register(app: App, deps: SlackDeps): void {
  app.action(
    "posting_interested",
    onButton(deps, async ({ actor, reply, value }) => {
      const member = await requireVerified({ actor, reply });
      if (!member) return;
      const result = await expressInterest({
        prisma: deps.prisma,
        personId: member.member.personId,
        postingNumber: parsePostingNumber(value),
      });
      const params = { number: result.postingNumber, title: escapeMrkdwn(result.postingTitle) };
      await reply(textMessage(t(actor.locale, result.created ? "interest.recorded" : "interest.already", params)));
    }),
  );
}
