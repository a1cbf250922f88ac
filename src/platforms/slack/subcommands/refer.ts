// `refer [posting-id]`: the referral modal, for a posting or in general.
import { parsePostingNumber } from "../../../core/postings/find-posting.js";
import { openReferral } from "../modals.js";
import { type CommandContext, requireVerified } from "./context.js";

export async function refer(ctx: CommandContext): Promise<void> {
  if (!(await requireVerified(ctx))) return;
  const postingNumber = ctx.args ? parsePostingNumber(ctx.args) : null;
  await openReferral({ ...ctx, postingNumber });
}
