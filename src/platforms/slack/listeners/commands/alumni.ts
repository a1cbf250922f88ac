// /alumni: ack at once (Slack's 3-second rule), then parse, call, render.
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { PREFETCHED_MEMBER, type PrefetchedMember } from "../../actor.js";
import { allowedOrTold } from "../../authorize.js";
import type { SlackDeps } from "../../deps.js";
import { parseAlumniCommand } from "../../parse.js";
import { answering, makeReply } from "../../reply.js";
import { help } from "../../subcommands/help.js";
import { subcommands } from "../../subcommands/index.js";

export function alumniCommand(deps: SlackDeps) {
  return async ({
    ack,
    command,
    client,
    respond,
    context,
  }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const reply = makeReply({
      respond,
      hasResponseUrl: Boolean(command.response_url),
      client,
      userId: command.user_id,
    });
    // Until we know who this is (the database may be down), errors are answered in the default language.
    const provisional = { locale: deps.defaultLocale, userId: command.user_id };
    await answering(deps.logger, provisional, reply, async () => {
      const prefetched = context[PREFETCHED_MEMBER] as PrefetchedMember | undefined;
      const actor = await deps.actors.resolve(client, command.team_id, command.user_id, prefetched);
      provisional.locale = actor.locale;
      const parsed = parseAlumniCommand(command.text);
      const ctx = { deps, client, actor, args: parsed.args, triggerId: command.trigger_id, reply };
      const name = parsed.unknown !== undefined ? "help" : parsed.name;
      if (!(await allowedOrTold(ctx, `slack.command.${name}`))) return;
      if (parsed.unknown !== undefined) {
        await help(ctx, parsed.unknown);
        return;
      }
      deps.logger.debug({ subcommand: parsed.name, userId: command.user_id }, "alumni command");
      await subcommands[parsed.name](ctx);
    });
  };
}
