// Requests as Slack sends them to the app's /slack/events, signed with the real scheme:
// X-Slack-Signature = 'v0=' + hex(HMAC-SHA256(signingSecret, `v0:${timestamp}:${rawBody}`)).
// Slash commands are form-encoded fields; interactivity (block_actions, view_submission) is a
// form-encoded `payload=<JSON>`; Events API envelopes are JSON.
import { createHmac, randomBytes } from "node:crypto";
import type { FakeSlack } from "./fake-slack.js";

export function signSlack(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${rawBody}`).digest("hex")}`;
}

export interface SlackPostOptions {
  retryNum?: number;
  retryReason?: string;
  /** seconds; default now */
  timestamp?: number;
  /** override, to test bad ones */
  signature?: string;
}

export interface SlackHttpResult {
  status: number;
  text: string;
  json?: unknown;
}

export type SlackSent = SlackHttpResult & { body: string };

export interface SlackRequesterOptions {
  /** full URL of the app's /slack/events */
  url: string;
  signingSecret: string;
  teamId: string;
  /** used for response_url */
  fakeSlack?: FakeSlack;
  /** default "alumni-test" */
  teamDomain?: string;
  /** default "A0ALUMNI1" */
  apiAppId?: string;
  /** the deprecated verification token Slack still puts in payloads; default "fake-verification-token" */
  verificationToken?: string;
}

// ---- state.values helpers (view_submission / block_actions `state.values[blockId][actionId]`) ----

const option = (value: string) => ({ text: { type: "plain_text", text: value, emoji: true }, value });

export function plainText(value: string | null) {
  return { type: "plain_text_input", value };
}
export function email(value: string | null) {
  return { type: "email_text_input", value };
}
export function number(value: string | number | null) {
  return { type: "number_input", value: value === null ? null : String(value) };
}
export function checkboxes(values: string[]) {
  return { type: "checkboxes", selected_options: values.map(option) };
}
export function staticSelect(value: string | null) {
  return { type: "static_select", selected_option: value === null ? null : option(value) };
}
export function multiStaticSelect(values: string[]) {
  return { type: "multi_static_select", selected_options: values.map(option) };
}
export function radio(value: string | null) {
  return { type: "radio_buttons", selected_option: value === null ? null : option(value) };
}

let seq = 0;
function unique(): string {
  seq += 1;
  return `${Date.now()}${seq}`;
}
export function triggerId(): string {
  return `${Math.floor(Date.now() / 1000)}${seq}.1234567890.${randomBytes(16).toString("hex")}`;
}

export class SlackRequester {
  private readonly url: string;
  private readonly signingSecret: string;
  private readonly teamId: string;
  private readonly fakeSlack: FakeSlack | undefined;
  private readonly teamDomain: string;
  private readonly apiAppId: string;
  private readonly token: string;

  constructor(opts: SlackRequesterOptions) {
    this.url = opts.url;
    this.signingSecret = opts.signingSecret;
    this.teamId = opts.teamId;
    this.fakeSlack = opts.fakeSlack;
    this.teamDomain = opts.teamDomain ?? "alumni-test";
    this.apiAppId = opts.apiAppId ?? "A0ALUMNI1";
    this.token = opts.verificationToken ?? "fake-verification-token";
  }

  async post(rawBody: string, contentType: string, opts: SlackPostOptions = {}): Promise<SlackHttpResult> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      "Content-Type": contentType,
      "X-Slack-Request-Timestamp": String(timestamp),
      "X-Slack-Signature": opts.signature ?? signSlack(this.signingSecret, timestamp, rawBody),
      "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    };
    if (opts.retryNum !== undefined) {
      headers["X-Slack-Retry-Num"] = String(opts.retryNum);
      headers["X-Slack-Retry-Reason"] = opts.retryReason ?? "http_timeout";
    }
    const res = await fetch(this.url, { method: "POST", headers, body: rawBody });
    const text = await res.text();
    const result: SlackHttpResult = { status: res.status, text };
    if (text.length > 0) {
      try {
        result.json = JSON.parse(text);
      } catch {
        // not JSON (e.g. an empty 200 ack or plain text)
      }
    }
    return result;
  }

  private async send(rawBody: string, contentType: string, opts?: SlackPostOptions): Promise<SlackSent> {
    return { ...(await this.post(rawBody, contentType, opts)), body: rawBody };
  }

  private responseUrl(id?: string): string {
    if (this.fakeSlack) return this.fakeSlack.responseUrl(id);
    return `https://hooks.slack.com/actions/${this.teamId}/${unique()}/${id ?? randomBytes(12).toString("hex")}`;
  }

  private postInteractive(payload: Record<string, unknown>, opts?: SlackPostOptions): Promise<SlackSent> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.send(body, "application/x-www-form-urlencoded", opts);
  }

  private user(userId: string) {
    const name = userId.toLowerCase();
    return { id: userId, username: name, name, team_id: this.teamId };
  }

  /** Slash command, form-encoded in the field order Slack uses. */
  command(
    userId: string,
    text: string,
    extra: { channelId?: string; command?: string; triggerId?: string; responseUrlId?: string } = {},
    opts?: SlackPostOptions,
  ): Promise<SlackSent> {
    const channelId = extra.channelId ?? `D${userId}`;
    const form = new URLSearchParams({
      token: this.token,
      team_id: this.teamId,
      team_domain: this.teamDomain,
      channel_id: channelId,
      channel_name: channelId.startsWith("D") ? "directmessage" : "general",
      user_id: userId,
      user_name: userId.toLowerCase(),
      command: extra.command ?? "/alumni",
      text,
      api_app_id: this.apiAppId,
      is_enterprise_install: "false",
      response_url: this.responseUrl(extra.responseUrlId),
      trigger_id: extra.triggerId ?? triggerId(),
    });
    return this.send(form.toString(), "application/x-www-form-urlencoded", opts);
  }

  /**
   * block_actions. From a message when `extra.view` is absent (container type "message", with
   * channel, message and response_url), else from a view (container type "view", with view).
   */
  blockAction(
    userId: string,
    action: {
      actionId: string;
      value?: string;
      blockId?: string;
      type?: string;
      selectedOption?: { value: string; text?: string };
      /** The button's visible text (default: the action id). */
      text?: string;
    },
    extra: {
      channelId?: string;
      messageTs?: string;
      /** The message the element is in (default: an empty bot message). */
      message?: Record<string, unknown>;
      /** The message is ephemeral (only the clicking user sees it). */
      isEphemeral?: boolean;
      view?: Record<string, unknown>;
      triggerId?: string;
      responseUrlId?: string;
    } = {},
    opts?: SlackPostOptions,
  ): Promise<SlackSent> {
    const actionTs = `${Math.floor(Date.now() / 1000)}.${String(Date.now() % 1000).padStart(3, "0")}${String(seq % 1000).padStart(3, "0")}`;
    const type = action.type ?? (action.selectedOption ? "static_select" : "button");
    const act: Record<string, unknown> = {
      type,
      action_id: action.actionId,
      block_id: action.blockId ?? "actions",
      action_ts: actionTs,
    };
    if (type === "button") act.text = { type: "plain_text", text: action.text ?? action.actionId, emoji: true };
    if (action.value !== undefined) act.value = action.value;
    if (action.selectedOption) {
      act.selected_option = {
        text: { type: "plain_text", text: action.selectedOption.text ?? action.selectedOption.value, emoji: true },
        value: action.selectedOption.value,
      };
    }

    const payload: Record<string, unknown> = {
      type: "block_actions",
      user: this.user(userId),
      api_app_id: this.apiAppId,
      token: this.token,
      trigger_id: extra.triggerId ?? triggerId(),
      team: { id: this.teamId, domain: this.teamDomain },
      enterprise: null,
      is_enterprise_install: false,
    };
    if (extra.view) {
      const view = extra.view;
      payload.container = { type: "view", view_id: view.id };
      payload.view = { team_id: this.teamId, state: { values: {} }, ...view };
      payload.state = (view.state as Record<string, unknown> | undefined) ?? { values: {} };
    } else {
      const channelId = extra.channelId ?? `D${userId}`;
      const messageTs = extra.messageTs ?? "1700000000.000100";
      const isEphemeral = extra.isEphemeral ?? false;
      payload.container = { type: "message", message_ts: messageTs, channel_id: channelId, is_ephemeral: isEphemeral };
      payload.channel = { id: channelId, name: channelId.startsWith("D") ? "directmessage" : "general" };
      // Slack leaves the message out of actions on ephemeral messages.
      if (!isEphemeral) {
        payload.message = extra.message ?? {
          type: "message",
          ts: messageTs,
          user: this.fakeSlack?.botUserId,
          text: "",
        };
      }
      payload.state = { values: {} };
      payload.response_url = this.responseUrl(extra.responseUrlId);
    }
    payload.actions = [act];
    return this.postInteractive(payload, opts);
  }

  /** view_submission of a modal; `values` is state.values ({blockId: {actionId: value}}). */
  viewSubmission(
    userId: string,
    view: {
      id?: string;
      callbackId: string;
      privateMetadata?: string;
      values: Record<string, Record<string, unknown>>;
      hash?: string;
      blocks?: unknown[];
      title?: Record<string, unknown>;
      triggerId?: string;
    },
    opts?: SlackPostOptions,
  ): Promise<SlackSent> {
    const viewId = view.id ?? `V${unique()}`;
    const payload = {
      type: "view_submission",
      team: { id: this.teamId, domain: this.teamDomain },
      user: this.user(userId),
      api_app_id: this.apiAppId,
      token: this.token,
      trigger_id: view.triggerId ?? triggerId(),
      view: {
        id: viewId,
        team_id: this.teamId,
        type: "modal",
        blocks: view.blocks ?? [],
        private_metadata: view.privateMetadata ?? "",
        callback_id: view.callbackId,
        state: { values: view.values },
        hash: view.hash ?? `${Math.floor(Date.now() / 1000)}.${randomBytes(4).toString("hex")}`,
        title: view.title ?? { type: "plain_text", text: "Modal", emoji: true },
        clear_on_close: false,
        notify_on_close: false,
        close: null,
        submit: { type: "plain_text", text: "Submit", emoji: true },
        previous_view_id: null,
        root_view_id: viewId,
        app_id: this.apiAppId,
        external_id: "",
        app_installed_team_id: this.teamId,
        bot_id: this.fakeSlack?.botId ?? "B0BOTAPP1",
      },
      response_urls: [],
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.postInteractive(payload, opts);
  }

  /** view_closed: the user closed a modal whose view asked for notify_on_close. */
  viewClosed(userId: string, view: Record<string, unknown>, opts?: SlackPostOptions): Promise<SlackSent> {
    const payload = {
      type: "view_closed",
      team: { id: this.teamId, domain: this.teamDomain },
      user: this.user(userId),
      api_app_id: this.apiAppId,
      token: this.token,
      view: { team_id: this.teamId, state: { values: {} }, ...view },
      is_cleared: false,
      is_enterprise_install: false,
      enterprise: null,
    };
    return this.postInteractive(payload, opts);
  }

  /** Events API `event_callback` envelope. */
  event(event: Record<string, unknown>, extra: { eventId?: string } = {}, opts?: SlackPostOptions): Promise<SlackSent> {
    const now = Math.floor(Date.now() / 1000);
    const envelope = {
      token: this.token,
      team_id: this.teamId,
      api_app_id: this.apiAppId,
      event: { event_ts: `${now}.000100`, ...event },
      type: "event_callback",
      event_id: extra.eventId ?? `Ev${unique()}`,
      event_time: now,
      authorizations: [
        {
          enterprise_id: null,
          team_id: this.teamId,
          user_id: this.fakeSlack?.botUserId ?? "U0BOTUSER",
          is_bot: true,
          is_enterprise_install: false,
        },
      ],
      is_ext_shared_channel: false,
    };
    return this.send(JSON.stringify(envelope), "application/json", opts);
  }
}
