// Sends Slack outbox rows: renders each at send time (render-slack.ts), posts or
// edits it, and turns Slack's answers into the dispatcher's three failure kinds.
//
// The WebClient must not retry or wait by itself: the dispatcher owns retries
// (backoff per row, pauses per rate key shared by every replica). So it is made
// with `retryConfig: { retries: 0 }` (a failure is reported at once) and
// `rejectRateLimitedCalls: true` (an HTTP 429 rejects with WebAPIRateLimitedError
// carrying Retry-After instead of pausing the client's queue and retrying) —
// see createSlackDeliveryClient. Do not reuse Bolt's app.client for delivery.
import { webApi } from "@slack/bolt";
import type { Db } from "../core/db.js";
import type { OutboxMessage } from "../generated/prisma/client.js";
import type { Locale } from "../i18n/index.js";
import { RenderCache, renderSlackOutbox } from "./render-slack.js";
import { ANNOUNCEMENT_PURPOSE, DeliveryError, type Sender, type SendHooks, type SendOutcome } from "./sender.js";

/**
 * PlatformMessageRef.purpose of a subject's channel announcement. The dispatcher
 * stores the ref of every sent `post` of kind slack.posting_announcement or
 * slack.event_announcement with this purpose; `update` rows edit that message.
 */
export { ANNOUNCEMENT_PURPOSE };

/** The Slack client for delivery: no client-side retries, 429s rejected at once (see the top of this file). */
export function createSlackDeliveryClient(options: { token: string; apiUrl?: string }): webApi.WebClient {
  return new webApi.WebClient(options.token, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
}

/**
 * Slack `error` codes that will fail the same way however often they are retried
 * (wrong or archived channel, deactivated user, a message Slack refuses). Any
 * other platform error — internal_error, fatal_error, service_unavailable, and
 * auth errors an operator can still fix by rotating the token — is transient and
 * left to the dispatcher's bounded retries.
 */
export const PERMANENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "channel_is_archived",
  "user_not_found",
  "users_not_found",
  "user_disabled",
  "account_inactive",
  "cannot_dm_bot",
  "messages_tab_disabled",
  "invalid_blocks",
  "invalid_blocks_format",
  "invalid_attachments",
  "msg_too_long",
  "msg_blocks_too_long",
  "too_many_attachments",
  "no_text",
  "invalid_arguments",
  "invalid_arg_name",
  "message_not_found",
  "cant_update_message",
  "edit_window_closed",
  "restricted_action",
  "restricted_action_read_only_channel",
  "restricted_action_thread_only_channel",
  "restricted_action_non_threadable_channel",
  "team_access_not_granted",
]);

/** Used when Slack says ratelimited without saying for how long. */
const DEFAULT_RETRY_AFTER_MS = 30_000;

/** The DeliveryError for whatever a WebClient call threw (@slack/web-api 8 errors carry `code`). */
export function slackDeliveryError(err: unknown, what: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const coded = err as Partial<webApi.WebAPICallError> | null | undefined;
  switch (coded?.code) {
    case webApi.ErrorCode.RateLimitedError: {
      const retryAfterSec = (err as webApi.WebAPIRateLimitedError).retryAfter;
      return new DeliveryError("rate_limited", `${what}: rate limited for ${retryAfterSec} s`, retryAfterSec * 1000, {
        cause: err,
      });
    }
    case webApi.ErrorCode.PlatformError: {
      const data = (err as webApi.WebAPIPlatformError).data;
      const code = data.error;
      if (code === "ratelimited" || code === "rate_limited") {
        const retryAfterSec = Number(data.response_metadata?.retryAfter);
        const retryAfterMs = Number.isFinite(retryAfterSec) && retryAfterSec > 0 ? retryAfterSec * 1000 : undefined;
        return new DeliveryError("rate_limited", `${what}: ${code}`, retryAfterMs ?? DEFAULT_RETRY_AFTER_MS, {
          cause: err,
        });
      }
      const kind = PERMANENT_SLACK_ERRORS.has(code) ? "permanent" : "transient";
      return new DeliveryError(kind, `${what}: ${code}`, undefined, { cause: err });
    }
    case webApi.ErrorCode.HTTPError: {
      const status = (err as webApi.WebAPIHTTPError).statusCode;
      return new DeliveryError("transient", `${what}: HTTP ${status}`, undefined, { cause: err });
    }
    case webApi.ErrorCode.RequestError: {
      const original = (err as webApi.WebAPIRequestError).original;
      return new DeliveryError("transient", `${what}: request failed: ${original?.message ?? "unknown"}`, undefined, {
        cause: err,
      });
    }
    default:
      return new DeliveryError("transient", `${what}: ${err instanceof Error ? err.message : String(err)}`, undefined, {
        cause: err,
      });
  }
}

export class SlackSender implements Sender {
  private readonly prisma: Db;
  private readonly client: webApi.WebClient;
  private readonly defaultLocale: Locale;
  private readonly cache = new RenderCache();

  constructor(options: {
    prisma: Db;
    /** Made with createSlackDeliveryClient (no client-side retries, 429s rejected). */
    client: webApi.WebClient;
    defaultLocale: Locale;
  }) {
    this.prisma = options.prisma;
    this.client = options.client;
    this.defaultLocale = options.defaultLocale;
  }

  async send(row: OutboxMessage, hooks: SendHooks = {}): Promise<SendOutcome> {
    if (row.platform !== "slack") {
      throw new DeliveryError("permanent", `outbox row ${row.id} is for ${row.platform}, not Slack`);
    }
    if (row.operation !== "post" && row.operation !== "dm" && row.operation !== "update") {
      throw new DeliveryError("permanent", `Slack sender does not do "${row.operation}" (${row.kind})`);
    }
    const message = await renderSlackOutbox({
      prisma: this.prisma,
      row,
      defaultLocale: this.defaultLocale,
      cache: this.cache,
    });
    if (!message) return { status: "skipped", reason: `${row.kind}: subject or recipient no longer there` };

    if (row.operation === "update") {
      const ref = await this.announcementOf(row);
      try {
        await hooks.beforeSend?.();
        await this.client.chat.update({
          channel: ref.channel,
          ts: ref.ts,
          text: message.text,
          blocks: message.blocks as never,
        });
      } catch (err) {
        throw slackDeliveryError(err, `chat.update ${row.kind}`);
      }
      return { status: "sent" };
    }

    // post (a channel) or dm (target is a user id: Slack posts to the app's DM with them).
    let result: webApi.ChatPostMessageResponse;
    try {
      await hooks.beforeSend?.();
      result = await this.client.chat.postMessage({
        channel: row.target,
        text: message.text,
        blocks: message.blocks as never,
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (err) {
      throw slackDeliveryError(err, `chat.postMessage ${row.kind}`);
    }
    if (!result.channel || !result.ts) return { status: "sent" };
    return { status: "sent", ref: { platform: "slack", slackChannel: result.channel, slackTs: result.ts } };
  }

  /** Where the row's subject was announced; not yet known → transient, so the update waits for the announcement. */
  private async announcementOf(row: OutboxMessage): Promise<{ channel: string; ts: string }> {
    if (!row.subjectType || !row.subjectId) {
      throw new DeliveryError("permanent", `update ${row.id} (${row.kind}) names no subject`);
    }
    const ref = await this.prisma.platformMessageRef.findFirst({
      where: {
        platform: "slack",
        subjectType: row.subjectType,
        subjectId: row.subjectId,
        purpose: ANNOUNCEMENT_PURPOSE,
        slackChannel: { not: null },
        slackTs: { not: null },
      },
      orderBy: { createdAt: "desc" },
      select: { slackChannel: true, slackTs: true },
    });
    if (!ref?.slackChannel || !ref.slackTs) {
      throw new DeliveryError(
        "transient",
        `update ${row.kind}: the ${row.subjectType} ${row.subjectId} has no Slack announcement yet`,
      );
    }
    return { channel: ref.slackChannel, ts: ref.slackTs };
  }
}
