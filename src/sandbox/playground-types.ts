// The playground page's API (served in sandbox mode under /playground/api/).
// The page (src/sandbox/playground/*.js) and the server (playground.ts) share
// these shapes. Every action becomes a request signed and shaped like Slack's
// or Teams' own, sent to the bot's real /slack/events or /api/messages.

export type PageLocale = "ja" | "en";

/** GET /playground/api/personas */
export interface PersonasResponse {
  slack: SlackPersona[];
  teams: TeamsPersona[];
  alumniChannel: { id: string; name: string };
  /** The page's starting language (DEFAULT_LOCALE). */
  locale: PageLocale;
}

export interface SlackPersona {
  /** Slack user id, e.g. U0SANDBOX1 */
  id: string;
  name: string;
  /** The persona's own Slack language (the bot answers in it until they choose one when joining). */
  locale: PageLocale;
}

export interface TeamsPersona {
  /** Stable key: "hr" or "cm". */
  key: string;
  name: string;
  /** What the persona may do, as shown to the user: "admin" (HR admin) or "cm". */
  role: "admin" | "cm";
}

/** A Block Kit view (modal or App Home) as the bot last set it. */
export interface SlackView {
  id: string;
  type: "modal" | "home";
  title?: { type: "plain_text"; text: string };
  submit?: { type: "plain_text"; text: string } | null;
  close?: { type: "plain_text"; text: string } | null;
  callback_id?: string;
  private_metadata?: string;
  blocks: Record<string, unknown>[];
  /** From the last view_submission ack with response_action "errors": block_id → message. */
  errors?: Record<string, string>;
  [key: string]: unknown;
}

export interface SlackMessageView {
  /** ts for real messages; "e…" ids for ephemeral ones. */
  id: string;
  /** Only the persona sees it (chat.postEphemeral or an ephemeral response_url post). */
  ephemeral: boolean;
  /** "bot" for the app; "user" for what a persona typed (the slash command echo). */
  from: "bot" | "user";
  /** Display name of the author. */
  author: string;
  text: string;
  blocks?: Record<string, unknown>[];
  /** Files shared with the message (files.uploadV2), downloadable from GET /playground/api/files?id=… */
  files?: { id: string; name: string; title: string; size: number }[];
  /** Edited by chat.update or replace_original. */
  edited: boolean;
  /** Milliseconds since epoch (for display). */
  at: number;
}

export interface SlackConversationView {
  id: string;
  kind: "channel" | "dm";
  name: string;
  messages: SlackMessageView[];
}

export interface TeamsItemView {
  /** Activity id (bot) or the user's message id. */
  id: string;
  from: "bot" | "user";
  author: string;
  text?: string;
  /** "plain" | "markdown" | "xml" as the bot set it; markdown is shown as simple markdown. */
  textFormat?: string;
  /** Adaptive Card JSON contents (the latest version: updates and Action.Execute answers applied). */
  cards: Record<string, unknown>[];
  edited: boolean;
  at: number;
}

/** GET /playground/api/state?slack=<userId>&teams=<key>[&since=<version>] → 200 this, or 204 when unchanged since `since`. */
export interface StateResponse {
  version: number;
  slack: {
    user: string;
    conversations: SlackConversationView[];
    home: SlackView | null;
    /** The top of the persona's modal stack; null when no modal is open. */
    modal: SlackView | null;
  };
  teams: {
    persona: string;
    conversationId: string;
    items: TeamsItemView[];
  };
  /** The moment the scheduler last ran "as of" from the page (ISO), if ever. */
  asOf: string | null;
  /** Whether the demo data is already there. */
  demoSeeded: boolean;
}

/** Every POST answers `{ ok: true, ... }` (200) or `{ ok: false, error: string }` (400/404/502), error localized to the request's `locale`. */
export interface ApiError {
  ok: false;
  error: string;
}

/** POST /playground/api/slack/command — `text` as typed, e.g. "/alumni jobs". */
export interface SlackCommandRequest {
  user: string;
  channel: string;
  text: string;
  locale: PageLocale;
}

/** POST /playground/api/slack/action — a button (or select) in a message, App Home or modal. */
export interface SlackActionRequest {
  user: string;
  locale: PageLocale;
  /** Where the element is: a message (channel + message id) or a view (viewId). */
  channel?: string;
  messageId?: string;
  viewId?: string;
  actionId: string;
  blockId?: string;
  value?: string;
  /** "button" (default), "static_select", "overflow", ... */
  type?: string;
  selectedOption?: { value: string; text?: string };
  /** For actions inside a modal: the modal's current state.values. */
  values?: Record<string, Record<string, unknown>>;
}

/** POST /playground/api/slack/submit — a modal's submit button. `values` is Slack's state.values. */
export interface SlackSubmitRequest {
  user: string;
  viewId: string;
  values: Record<string, Record<string, unknown>>;
  locale: PageLocale;
}

/** Answer to a submission: the ack as Slack would have seen it. */
export interface SlackSubmitResponse {
  ok: true;
  /** The bot's ack body ({} when empty). */
  ack: Record<string, unknown>;
  /** The modal still open afterwards (null when closed). */
  modal: SlackView | null;
}

/** POST /playground/api/slack/close — the modal's close button (sends view_closed when the view asks for it). */
export interface SlackCloseRequest {
  user: string;
  viewId: string;
  locale: PageLocale;
}

/** POST /playground/api/slack/home — the persona opens the app's Home tab (app_home_opened). */
export interface SlackHomeRequest {
  user: string;
  locale: PageLocale;
}

/** POST /playground/api/teams/message — typed text in the persona's chat with the bot. */
export interface TeamsMessageRequest {
  persona: string;
  text: string;
  locale: PageLocale;
}

/**
 * POST /playground/api/teams/submit — a card's Action.Submit (sent as a message with `value`,
 * replyToId = the card's activity) or Action.Execute (an adaptiveCard/action invoke; the
 * answered card replaces the clicked one).
 */
export interface TeamsSubmitRequest {
  persona: string;
  /** The activity whose card was clicked. */
  activityId: string;
  kind: "submit" | "execute";
  verb?: string;
  /** The action's data merged with the card's input values. */
  data: Record<string, unknown>;
  locale: PageLocale;
}

/** POST /playground/api/seed — add the demo data (a second press adds nothing). */
export interface SeedResponse {
  ok: true;
  created: boolean;
  members: number;
  postings: number;
  events: number;
}

/** POST /playground/api/time — run the scheduler as of `asOf` and send what is due by then. */
export interface TimeRequest {
  asOf: string;
  locale: PageLocale;
}

export interface TimeResponse {
  ok: true;
  asOf: string;
  /** What each scheduler job queued, by job name. */
  jobs: { job: string; ok: boolean; result?: object; error?: string }[];
  /** Queued messages due by `asOf` that were released to go out now. */
  released: number;
}
