// What a subcommand handler gets: the parsed request, the actor, and a reply.
import type { webApi } from "@slack/bolt";
import { t } from "../../../i18n/index.js";
import type { SlackActor } from "../actor.js";
import { textMessage } from "../blocks/common.js";
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

/**
 * What only verified alumni may do (the directory, postings, events, referrals, RSVPs and
 * every button on an announcement, old ones included): a member still pending or rejected
 * is told so, and nothing is done. The authorization matrix refuses these first; this is
 * the handler's own second line, so no path forgets it.
 */
export async function requireVerified(
  ctx: Pick<CommandContext, "actor" | "reply">,
): Promise<(SlackActor & { member: NonNullable<SlackActor["member"]> }) | null> {
  const actor = await requireMember(ctx);
  if (!actor) return null;
  if (actor.verified && actor.member.membership === "verified") return actor;
  await ctx.reply(textMessage(t(ctx.actor.locale, "membership.notVerified")));
  return null;
}
