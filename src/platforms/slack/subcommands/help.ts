import { helpMessage } from "../blocks/messages.js";
import type { CommandContext } from "./context.js";

export async function help(ctx: CommandContext, unknown?: string): Promise<void> {
  await ctx.reply(
    helpMessage(ctx.actor.locale, { registered: ctx.actor.registered, ...(unknown !== undefined ? { unknown } : {}) }),
  );
}
