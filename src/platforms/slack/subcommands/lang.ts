// `lang ja|en`: the language the bot uses with this member.
import { fieldError } from "../../../core/errors.js";
import { setLocale } from "../../../core/members/set-locale.js";
import { t } from "../../../i18n/index.js";
import { textMessage } from "../blocks/common.js";
import { type CommandContext, requireMember } from "./context.js";

export async function lang(ctx: CommandContext): Promise<void> {
  const actor = await requireMember(ctx);
  if (!actor) return;
  const wanted = ctx.args.trim().toLowerCase();
  if (wanted !== "ja" && wanted !== "en") throw fieldError("locale", "lang.usage");
  const locale = await setLocale({ prisma: ctx.deps.prisma, personId: actor.member.personId, locale: wanted });
  await ctx.reply(textMessage(t(locale, "lang.done")));
}
