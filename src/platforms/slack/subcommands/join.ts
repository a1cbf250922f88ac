// `join`: the registration modal; members get their profile editor instead (a member whose
// request to join was rejected applies again).
import { openRegistration } from "../modals.js";
import type { CommandContext } from "./context.js";

export async function join(ctx: CommandContext): Promise<void> {
  await openRegistration({ ...ctx, purpose: "join" });
}
