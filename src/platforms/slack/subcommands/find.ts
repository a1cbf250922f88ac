// `find <words>`: directory search.
import { fieldError } from "../../../core/errors.js";
import { searchDirectory } from "../../../core/members/search-directory.js";
import { directoryMessage } from "../blocks/directory.js";
import { splitWords } from "../parse.js";
import { type CommandContext, requireVerified } from "./context.js";

export async function find(ctx: CommandContext): Promise<void> {
  const actor = await requireVerified(ctx);
  if (!actor) return;
  const words = splitWords(ctx.args);
  if (words.length === 0) throw fieldError("words", "directory.needWords");
  const result = await searchDirectory({
    prisma: ctx.deps.prisma,
    viewerId: actor.member.personId,
    teamId: actor.teamId,
    words,
  });
  await ctx.reply(directoryMessage(actor.locale, words, result));
}
