// `profile`: the profile editor modal, showing everything stored and who may see it.
import { openRegistration } from "../modals.js";
import { type CommandContext, requireMember } from "./context.js";

export async function profile(ctx: CommandContext): Promise<void> {
  if (!(await requireMember(ctx))) return;
  await openRegistration(ctx);
}
