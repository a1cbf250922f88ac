// `jobs [words]` and `gigs [words]`: open postings, newest first.
import { listOpenPostings } from "../../../core/postings/list-open-postings.js";
import { postingsMessage } from "../blocks/postings.js";
import { splitWords } from "../parse.js";
import { type CommandContext, requireVerified } from "./context.js";

export function postings(kind: "job" | "gig") {
  return async (ctx: CommandContext): Promise<void> => {
    const actor = await requireVerified(ctx);
    if (!actor) return;
    const words = splitWords(ctx.args);
    const result = await listOpenPostings({ prisma: ctx.deps.prisma, kind, words });
    await ctx.reply(postingsMessage(actor.locale, kind, words, result));
  };
}
