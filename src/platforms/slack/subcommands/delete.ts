// `delete`: asks for confirmation; the button erases (listeners/actions/delete.ts).
import { deleteConfirmMessage } from "../blocks/messages.js";
import { type CommandContext, requireMember } from "./context.js";

export async function deleteData(ctx: CommandContext): Promise<void> {
  const actor = await requireMember(ctx);
  if (!actor) return;
  await ctx.reply(deleteConfirmMessage(actor.locale));
}
