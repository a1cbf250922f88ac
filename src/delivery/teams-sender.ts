// Sends Teams outbox rows proactively, to the conversation reference stored when
// the bot last saw that conversation. Cards are rendered at send time.
import { CardFactory, type CloudAdapter, type ConversationReference, MessageFactory } from "botbuilder";
import type { Db } from "../core/db.js";
import type { OutboxMessage } from "../generated/prisma/client.js";
import type { Locale } from "../i18n/index.js";
import { renderTeamsOutbox } from "../platforms/teams/render-outbox.js";
import { RenderCache } from "./render-slack.js";
import { DeliveryError, type Sender, type SendHooks, type SendOutcome } from "./sender.js";

function statusOf(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.status ?? e?.response?.status;
}

export class TeamsSender implements Sender {
  private readonly cache = new RenderCache();

  constructor(
    private readonly options: {
      prisma: Db;
      adapter: CloudAdapter;
      appId: string | undefined;
      defaultLocale: Locale;
      timeZone: string;
    },
  ) {}

  async send(row: OutboxMessage, hooks: SendHooks = {}): Promise<SendOutcome> {
    const { prisma, adapter } = this.options;
    const conversation = await prisma.teamsConversationRef.findUnique({ where: { conversationId: row.target } });
    if (!conversation) throw new DeliveryError("permanent", `no stored conversation reference for ${row.target}`);
    const card = await renderTeamsOutbox({
      prisma,
      payload: row.payload,
      locale: this.options.defaultLocale,
      timeZone: this.options.timeZone,
      cache: this.cache,
    });
    if (!card) return { status: "skipped", reason: "the subject no longer exists" };
    let activityId: string | undefined;
    try {
      // The adapter hands errors thrown inside the turn to its onTurnError (which would
      // swallow them), so the send's own failure is carried out of the turn by hand.
      let failure: unknown;
      await adapter.continueConversationAsync(
        this.options.appId ?? "",
        conversation.reference as Partial<ConversationReference>,
        async (context) => {
          try {
            await hooks.beforeSend?.();
            const response = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
            activityId = response?.id;
          } catch (err) {
            failure = err;
          }
        },
      );
      if (failure) throw failure;
    } catch (err) {
      const status = statusOf(err);
      if (status === 429) {
        const retryAfter = Number(
          (err as { response?: { headers?: { get?: (n: string) => string } } }).response?.headers?.get?.("retry-after"),
        );
        throw new DeliveryError(
          "rate_limited",
          "Teams throttled the bot",
          Number.isFinite(retryAfter) ? retryAfter * 1000 : 2000,
          { cause: err },
        );
      }
      // 403: the bot was removed from the conversation or blocked; 404: the conversation is gone.
      if (status === 400 || status === 403 || status === 404) {
        throw new DeliveryError("permanent", `Teams refused the message (${status})`, undefined, { cause: err });
      }
      throw new DeliveryError("transient", `Teams send failed: ${(err as Error)?.message ?? String(err)}`, undefined, {
        cause: err,
      });
    }
    return activityId
      ? { status: "sent", ref: { platform: "teams", teamsConversationId: row.target, teamsActivityId: activityId } }
      : { status: "sent" };
  }
}
