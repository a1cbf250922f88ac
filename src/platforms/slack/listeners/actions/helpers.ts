// Shared by the button listeners: who clicked, and how to answer them.
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { PREFETCHED_MEMBER, type PrefetchedMember, type SlackActor } from "../../actor.js";
import { allowedOrTold } from "../../authorize.js";
import type { SlackDeps } from "../../deps.js";
import { answering, makeReply, type Reply } from "../../reply.js";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

export interface ButtonContext {
  actor: SlackActor;
  reply: Reply;
  value: string;
  triggerId: string;
  args: ButtonArgs;
}

/** ack() first, then resolve the actor and run `fn`, answering errors in the actor's language. */
export function onButton(deps: SlackDeps, fn: (ctx: ButtonContext) => Promise<void>) {
  return async (args: ButtonArgs): Promise<void> => {
    await args.ack();
    const { body, client, respond } = args;
    const teamId = body.user.team_id ?? body.team?.id ?? "";
    const reply = makeReply({ respond, hasResponseUrl: Boolean(body.response_url), client, userId: body.user.id });
    const action = args.action as { value?: string; selected_option?: { value: string } };
    const value = action.value ?? action.selected_option?.value ?? "";
    const provisional = { locale: deps.defaultLocale, userId: body.user.id };
    await answering(deps.logger, provisional, reply, async () => {
      const prefetched = args.context[PREFETCHED_MEMBER] as PrefetchedMember | undefined;
      const actor = await deps.actors.resolve(client, teamId, body.user.id, prefetched);
      provisional.locale = actor.locale;
      if (!(await allowedOrTold({ actor, reply }, actionOperation(args.action)))) return;
      await fn({ actor, reply, value, triggerId: body.trigger_id, args });
    });
  };
}

/** The authorization matrix's operation for a button (the three RSVP buttons are one operation). */
export function actionOperation(action: unknown): string {
  const id = (action as { action_id?: string }).action_id ?? "";
  return `slack.action.${id.startsWith("event_rsvp_") ? "event_rsvp" : id}`;
}
