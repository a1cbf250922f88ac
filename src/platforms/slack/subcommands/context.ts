// What a subcommand handler gets: the parsed request, the actor, and a reply.
import type { webApi } from "@slack/bolt";
import type { SlackActor } from "../actor.js";
import { joinFirstMessage } from "../blocks/messages.js";
import type { SlackDeps } from "../deps.js";
import type { Reply } from "../reply.js";

export interface CommandContext {
  deps: SlackDeps;
  client: webApi.WebClient;
  actor: SlackActor;
  args: string;
  triggerId: string;
  reply: Reply;
}

export type SubcommandHandler = (ctx: CommandContext) => Promise<void>;

/** Member-only actions: an unregistered user is told to join first (with a Join button). */
export async function requireMember(
  ctx: Pick<CommandContext, "actor" | "reply">,
): Promise<(SlackActor & { member: NonNullable<SlackActor["member"]> }) | null> {
  if (ctx.actor.registered && ctx.actor.member)
    return ctx.actor as SlackActor & { member: NonNullable<SlackActor["member"]> };
  await ctx.reply(joinFirstMessage(ctx.actor.locale));
  return null;
}
