// The erasure confirmation buttons.
import type { App } from "@slack/bolt";
import { eraseMember } from "../../../../core/members/erase-member.js";
import { getMemberHome } from "../../../../core/members/get-member-home.js";
import { t } from "../../../../i18n/index.js";
import { textMessage } from "../../blocks/common.js";
import { homeView } from "../../blocks/home.js";
import type { SlackDeps } from "../../deps.js";
import { requireMember } from "../../subcommands/context.js";
import { onButton } from "./helpers.js";

export function register(app: App, deps: SlackDeps): void {
  app.action(
    "delete_confirm",
    onButton(deps, async ({ actor, reply, args }) => {
      const member = await requireMember({ actor, reply });
      if (!member) return;
      await eraseMember({ prisma: deps.prisma, personId: member.member.personId });
      deps.actors.forget(actor.teamId, actor.userId);
      deps.logger.info({ personId: member.member.personId }, "member erased their data");
      await reply(textMessage(t(actor.locale, "delete.done")), { replaceOriginal: true });
      const home = await getMemberHome({ prisma: deps.prisma, personId: null });
      await args.client.views
        .publish({ user_id: actor.userId, view: homeView(actor.locale, null, home) as never })
        .catch((err: unknown) => deps.logger.warn({ err }, "could not refresh App Home after erasure"));
    }),
  );
  app.action(
    "delete_cancel",
    onButton(deps, async ({ actor, reply }) => {
      await reply(textMessage(t(actor.locale, "delete.cancelled")), { replaceOriginal: true });
    }),
  );
}
