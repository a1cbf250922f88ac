// Answering the person who acted: through the request's response_url when it
// has one (works in any channel, even where the bot is not a member), else as
// a message in the bot's DM with them (e.g. from App Home).
import type { RespondFn, webApi } from "@slack/bolt";
import { AppError, toAppError } from "../../core/errors.js";
import type { Logger } from "../../logger.js";
import type { SlackActor } from "./actor.js";
import type { SlackMessage } from "./blocks/common.js";
import { textMessage } from "./blocks/common.js";
import { escapeMrkdwn } from "./escape.js";

export type Reply = (message: SlackMessage, options?: { replaceOriginal?: boolean }) => Promise<void>;

export function makeReply(args: {
  respond?: RespondFn | undefined;
  hasResponseUrl: boolean;
  client: webApi.WebClient;
  userId: string;
}): Reply {
  return async (message, options = {}) => {
    if (args.respond && args.hasResponseUrl) {
      await args.respond({
        response_type: "ephemeral",
        replace_original: options.replaceOriginal ?? false,
        text: message.text,
        blocks: message.blocks as never,
      });
      return;
    }
    await args.client.chat.postMessage({ channel: args.userId, text: message.text, blocks: message.blocks as never });
  };
}

/** Run a handler; an AppError becomes a localized reply, anything else a logged internal error with a reference. */
export async function answering(
  logger: Logger,
  actor: Pick<SlackActor, "locale" | "userId">,
  reply: Reply,
  fn: () => Promise<void>,
): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const ref = Math.random().toString(36).slice(2, 10);
    const appError = toAppError(err, ref);
    if (appError.code === "internal") logger.error({ err, ref, userId: actor.userId }, "Slack handler failed");
    else logger.info({ code: appError.code, key: appError.key, userId: actor.userId }, "refused a Slack request");
    await reply(textMessage(`:warning: ${escapeMrkdwn(appError.localized(actor.locale))}`)).catch((replyErr: unknown) =>
      logger.error({ err: replyErr, ref }, "could not tell the user about an error"),
    );
  }
}

export { AppError };
