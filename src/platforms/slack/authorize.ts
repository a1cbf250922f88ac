// Every Slack command, button and modal submission is allowed or refused by the
// one authorization matrix (src/core/roles/authorization-matrix.ts), before its
// handler runs. On Slack a person is a stranger (another workspace), a newcomer,
// joined but not verified yet (pending or rejected) or a member; blocks and roles
// change nothing here.
import type { webApi } from "@slack/bolt";
import { AppError } from "../../core/errors.js";
import { findSlackMember } from "../../core/members/find-member.js";
import { outcomeFor, type Persona } from "../../core/roles/authorization-matrix.js";
import { type MessageKey, t } from "../../i18n/index.js";
import type { SlackActor } from "./actor.js";
import { textMessage } from "./blocks/common.js";
import { joinFirstMessage } from "./blocks/messages.js";
import type { SlackDeps } from "./deps.js";
import type { Reply } from "./reply.js";

/** Stranger, newcomer, joined but not verified yet (pending or rejected), or member. */
export function slackPersona(actor: Pick<SlackActor, "stranger" | "registered" | "verified">): Persona {
  if (actor.stranger) return "stranger";
  if (!actor.registered) return "unregistered";
  return actor.verified ? "member" : "pending";
}

/** The refusal's message key, or null when the matrix allows it. */
export function slackRefusal(operationId: string, persona: Persona): MessageKey | null {
  const outcome = outcomeFor(operationId, [persona]);
  return outcome.allowed ? null : outcome.key;
}

/** Commands and buttons: true when allowed; else the refusal is the answer (the Join prompt for newcomers). */
export async function allowedOrTold(ctx: { actor: SlackActor; reply: Reply }, operationId: string): Promise<boolean> {
  const key = slackRefusal(operationId, slackPersona(ctx.actor));
  if (!key) return true;
  await ctx.reply(
    key === "member.joinFirst" ? joinFirstMessage(ctx.actor.locale) : textMessage(t(ctx.actor.locale, key)),
  );
  return false;
}

/** Modal submissions: throws the refusal (shown inside the modal) unless the matrix allows it. */
export async function requireAllowedView(
  deps: SlackDeps,
  client: webApi.WebClient,
  user: { teamId: string; userId: string },
  operationId: string,
): Promise<void> {
  const stranger = await deps.actors.isStranger(client, user.teamId);
  const member = stranger ? null : await findSlackMember({ prisma: deps.prisma, user });
  const registered = member?.registered === true;
  const verified = registered && member?.membership === "verified";
  const key = slackRefusal(operationId, slackPersona({ stranger, registered, verified }));
  if (key) throw new AppError("forbidden", {}, { key });
}
