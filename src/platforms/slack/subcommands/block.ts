// `block <@user>` / `unblock <@user>`: hide each other from the directory and intros.
import { fieldError } from "../../../core/errors.js";
import { blockMember } from "../../../core/members/block-member.js";
import { unblockMember } from "../../../core/members/unblock-member.js";
import { t } from "../../../i18n/index.js";
import { textMessage } from "../blocks/common.js";
import { parseUserMention } from "../parse.js";
import { type CommandContext, requireVerified } from "./context.js";

function target(ctx: CommandContext): string {
  const userId = parseUserMention(ctx.args);
  if (!userId) throw fieldError("user", "block.needMention");
  return userId;
}

export async function block(ctx: CommandContext): Promise<void> {
  const actor = await requireVerified(ctx);
  if (!actor) return;
  const userId = target(ctx);
  const { created } = await blockMember({
    prisma: ctx.deps.prisma,
    blockerId: actor.member.personId,
    target: { teamId: actor.teamId, userId },
  });
  await ctx.reply(textMessage(t(actor.locale, created ? "block.done" : "block.already", { user: `<@${userId}>` })));
}

export async function unblock(ctx: CommandContext): Promise<void> {
  const actor = await requireVerified(ctx);
  if (!actor) return;
  const userId = target(ctx);
  const { removed } = await unblockMember({
    prisma: ctx.deps.prisma,
    blockerId: actor.member.personId,
    target: { teamId: actor.teamId, userId },
  });
  await ctx.reply(
    textMessage(t(actor.locale, removed ? "unblock.done" : "unblock.notBlocked", { user: `<@${userId}>` })),
  );
}
