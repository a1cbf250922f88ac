// Activities as Microsoft Teams sends them to the bot's /api/messages, and a poster.
//
// Shapes follow what the Teams channel delivers: channelId "msteams", `from` with the user's
// "29:..." id and Entra object id, `conversation` with conversationType/tenantId (isGroup for
// channels and group chats), the bot as `recipient` ("28:..."), a `clientInfo` entity, and
// channelData.tenant (plus team/channel in channels). In channels and group chats the bot only
// hears messages that @mention it: the text then starts with `<at>alumni-bridge</at> ` and a
// `mention` entity names the bot. Action.Submit arrives as a message with `value` and no text;
// Action.Execute as an `adaptiveCard/action` invoke whose HTTP answer carries the card response.
// Without credentials (sandbox), CloudAdapter accepts requests without an Authorization header.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { timeZoneOffsetMinutes, wallTimeAt } from "../core/time-zone.js";

export interface TeamsUser {
  /** "29:..." */
  id: string;
  aadObjectId: string;
  name: string;
}

export type TeamsConversationType = "personal" | "channel" | "groupChat";

export interface TeamsConversationOption {
  id: string;
  conversationType: TeamsConversationType;
  tenantId?: string;
  name?: string;
}

export interface MentionEntity {
  type: "mention";
  text: string;
  mentioned: { id: string; name: string };
}

/** Text to put in a message and the entity that goes with it. */
export interface Mention {
  text: string;
  entity: MentionEntity;
}

export interface TeamsTeamOption {
  id: string;
  name?: string;
  aadGroupId?: string;
}

export interface TeamsActivityOptions {
  /** Default: the user's personal chat with the bot (a stable id per user). */
  conversation?: TeamsConversationOption;
  /** Prefix `<at>bot</at> ` and add the mention entity. Default: true outside personal chats. */
  mentionBot?: boolean;
  /** Other @mentions in the text (see mentionUser). */
  mentions?: Mention[];
  /** Default "ja-JP". */
  locale?: string;
  value?: unknown;
  /** The activity (e.g. the card message) this one answers. */
  replyToId?: string;
  id?: string;
  /** Channel conversations: the team (default: the requester's team). */
  team?: TeamsTeamOption;
  /** Merged over the generated channelData. */
  channelData?: Record<string, unknown>;
}

export interface ConversationUpdateOptions extends Omit<TeamsActivityOptions, "value" | "mentionBot" | "mentions"> {
  /** Who made the change. Default: the first human in membersAdded, else a team owner. */
  from?: TeamsUser;
  membersRemoved?: { id: string; aadObjectId?: string; name?: string }[];
  /** channelData.eventType; default "teamMemberAdded" in channels, none elsewhere. */
  eventType?: string;
}

/** An Activity's JSON, as posted. */
export interface TeamsActivity {
  type: string;
  id: string;
  [key: string]: unknown;
}

export interface TeamsHttpResult {
  status: number;
  text: string;
  json?: unknown;
}

export type TeamsSent = TeamsHttpResult & { activity: TeamsActivity };

export interface TeamsRequesterOptions {
  /** Full URL of the bot's /api/messages. */
  url: string;
  /** Where the bot's answers go: the fake connector's url. */
  serviceUrl: string;
  tenantId: string;
  /** Default "28:alumni-bridge-bot". */
  botId?: string;
  /** Default "alumni-bridge". */
  botName?: string;
  /** Default team for channel conversations. */
  team?: TeamsTeamOption;
  /** IANA zone of the simulated client, for localTimestamp/localTimezone; default "Asia/Tokyo". */
  timeZone?: string;
}

const CARD_ACTION_INVOKE = "adaptiveCard/action";

let seq = 0;
/** Teams message ids are epoch milliseconds; these are unique and increasing within a run. */
function newMessageId(): string {
  seq += 1;
  return String(Date.now() * 1000 + (seq % 1000));
}

function stableHex(input: string, length: number): string {
  return createHash("sha256").update(input).digest("hex").slice(0, length);
}

/** A new user with Teams-shaped ids. */
export function teamsUser(name: string): TeamsUser {
  return { id: `29:1${randomBytes(24).toString("base64url")}`, aadObjectId: randomUUID(), name };
}

/** An @mention of a user: put `text` in the message and pass the mention in `opts.mentions`. */
export function mentionUser(user: Pick<TeamsUser, "id" | "name">): Mention {
  const text = `<at>${user.name}</at>`;
  return { text, entity: { type: "mention", text, mentioned: { id: user.id, name: user.name } } };
}

/** A personal (1:1) conversation id, stable per user like Teams'. */
export function personalConversationId(user: Pick<TeamsUser, "id">): string {
  return `a:1${Buffer.from(stableHex(`personal:${user.id}`, 48), "hex").toString("base64url")}`;
}

/** ISO 8601 with the zone's offset, e.g. 2025-01-02T09:00:00.123+09:00. */
function localTimestamp(date: Date, timeZone: string): string {
  const w = wallTimeAt(date, timeZone);
  const offsetMin = timeZoneOffsetMinutes(timeZone, date);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const abs = Math.abs(offsetMin);
  const off = `${offsetMin < 0 ? "-" : "+"}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}.${pad(date.getUTCMilliseconds(), 3)}${off}`;
}

export class TeamsRequester {
  readonly url: string;
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly botId: string;
  readonly botName: string;
  readonly team: TeamsTeamOption;
  readonly timeZone: string;

  constructor(opts: TeamsRequesterOptions) {
    this.url = opts.url;
    this.serviceUrl = opts.serviceUrl;
    this.tenantId = opts.tenantId;
    this.botId = opts.botId ?? "28:alumni-bridge-bot";
    this.botName = opts.botName ?? "alumni-bridge";
    this.team = opts.team ?? {
      id: "19:b1d2c3e4f5a60718293a4b5c6d7e8f90@thread.tacv2",
      name: "Alumni HR",
      aadGroupId: "0b6f2a1c-5d3e-4f7a-8b9c-1d2e3f4a5b6c",
    };
    this.timeZone = opts.timeZone ?? "Asia/Tokyo";
  }

  /** The bot as an account (e.g. for conversationUpdate's membersAdded when the bot is installed). */
  get bot(): { id: string; name: string } {
    return { id: this.botId, name: this.botName };
  }

  /** The bot's @mention as Teams writes it. */
  botMention(): Mention {
    return mentionUser({ id: this.botId, name: this.botName });
  }

  /** A channel conversation: a new thread (post) in the channel, or the given thread's root message id. */
  channel(opts: { channelId?: string; threadId?: string } = {}): TeamsConversationOption {
    const channelId = opts.channelId ?? this.team.id;
    return {
      id: `${channelId};messageid=${opts.threadId ?? newMessageId()}`,
      conversationType: "channel",
      tenantId: this.tenantId,
    };
  }

  /** A group chat with a stable id for the given name. */
  groupChat(name = "alumni-hr-chat"): TeamsConversationOption {
    return {
      id: `19:${stableHex(`group:${name}`, 32)}@thread.v2`,
      conversationType: "groupChat",
      tenantId: this.tenantId,
    };
  }

  /** The user's 1:1 chat with the bot. */
  personal(user: Pick<TeamsUser, "id">): TeamsConversationOption {
    return { id: personalConversationId(user), conversationType: "personal", tenantId: this.tenantId };
  }

  // ---- builders ----

  private base(type: string, from: TeamsUser, opts: Omit<TeamsActivityOptions, "mentionBot" | "mentions"> = {}) {
    const conversationOpt = opts.conversation ?? this.personal(from);
    const locale = opts.locale ?? "ja-JP";
    const now = new Date();
    const conversation: Record<string, unknown> = {
      conversationType: conversationOpt.conversationType,
      tenantId: conversationOpt.tenantId ?? this.tenantId,
      id: conversationOpt.id,
    };
    if (conversationOpt.conversationType !== "personal") conversation.isGroup = true;
    if (conversationOpt.name !== undefined) conversation.name = conversationOpt.name;

    const channelData: Record<string, unknown> = { tenant: { id: conversation.tenantId } };
    if (conversationOpt.conversationType === "channel") {
      const team = opts.team ?? this.team;
      const channelId = conversationOpt.id.split(";messageid=")[0] as string;
      channelData.teamsChannelId = channelId;
      channelData.teamsTeamId = team.id;
      channelData.channel = { id: channelId };
      channelData.team = { ...team };
    }
    Object.assign(channelData, opts.channelData);

    const region = locale.split("-")[1];
    const activity: TeamsActivity = {
      type,
      id: opts.id ?? (type === "message" ? newMessageId() : `f:${randomUUID()}`),
      timestamp: now.toISOString(),
      localTimestamp: localTimestamp(now, this.timeZone),
      localTimezone: this.timeZone,
      serviceUrl: this.serviceUrl,
      channelId: "msteams",
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      conversation,
      recipient: { id: this.botId, name: this.botName },
      locale,
      entities: [
        {
          type: "clientInfo",
          locale,
          ...(region ? { country: region.toUpperCase() } : {}),
          platform: "Web",
          timezone: this.timeZone,
        },
      ],
      channelData,
    };
    if (opts.replyToId !== undefined) activity.replyToId = opts.replyToId;
    return activity;
  }

  /** A typed message. */
  buildMessage(from: TeamsUser, text: string, opts: TeamsActivityOptions = {}): TeamsActivity {
    const activity = this.base("message", from, opts);
    const conversationType = (activity.conversation as { conversationType: string }).conversationType;
    const mentionBot = opts.mentionBot ?? conversationType !== "personal";
    const entities = activity.entities as Record<string, unknown>[];
    const mentionEntities: MentionEntity[] = [];
    let fullText = text;
    if (mentionBot) {
      const m = this.botMention();
      fullText = `${m.text} ${text}`;
      mentionEntities.push(m.entity);
    }
    for (const m of opts.mentions ?? []) mentionEntities.push(m.entity);
    activity.text = fullText;
    activity.textFormat = "plain";
    activity.attachments = [];
    activity.entities = [...mentionEntities, ...entities];
    if (opts.value !== undefined) activity.value = opts.value;
    return activity;
  }

  /**
   * A file sent to the bot in a personal chat, as Teams delivers it: a message whose attachment
   * of type `file.download.info` carries a short-lived download URL (see fake-file-host.ts).
   */
  buildFileMessage(
    from: TeamsUser,
    file: { name: string; downloadUrl: string; uniqueId: string; fileType: string },
    opts: TeamsActivityOptions = {},
  ): TeamsActivity {
    const activity = this.buildMessage(from, "", { ...opts, mentionBot: false });
    activity.text = "";
    activity.attachments = [
      {
        contentType: "application/vnd.microsoft.teams.file.download.info",
        contentUrl: file.downloadUrl.split("?")[0],
        name: file.name,
        content: { downloadUrl: file.downloadUrl, uniqueId: file.uniqueId, fileType: file.fileType },
      },
    ];
    return activity;
  }

  /** Action.Submit from a card: a message with `value` and no text. */
  buildSubmit(from: TeamsUser, value: unknown, opts: Omit<TeamsActivityOptions, "value"> = {}): TeamsActivity {
    const activity = this.base("message", from, opts);
    activity.textFormat = "plain";
    activity.value = value;
    return activity;
  }

  /** Action.Execute (Universal Actions): an adaptiveCard/action invoke. */
  buildInvoke(
    from: TeamsUser,
    action: { verb: string; data?: unknown; title?: string },
    opts: Omit<TeamsActivityOptions, "value"> = {},
  ): TeamsActivity {
    const activity = this.base("invoke", from, opts);
    activity.name = CARD_ACTION_INVOKE;
    const act: Record<string, unknown> = { type: "Action.Execute", verb: action.verb, data: action.data ?? {} };
    if (action.title !== undefined) act.title = action.title;
    activity.value = { action: act, trigger: "manual" };
    return activity;
  }

  /** Members added (or removed): the bot installed in a chat/team, or people joining a team. */
  buildConversationUpdate(
    membersAdded: { id: string; aadObjectId?: string; name?: string }[],
    opts: ConversationUpdateOptions = {},
  ): TeamsActivity {
    const human = membersAdded.find((m): m is TeamsUser => m.id !== this.botId && typeof m.aadObjectId === "string");
    const from: TeamsUser = opts.from ??
      human ?? { id: "29:1teamowner", aadObjectId: "00000000-0000-4000-8000-000000000001", name: "Team Owner" };
    const activity = this.base("conversationUpdate", from, opts);
    activity.membersAdded = membersAdded.map((m) => ({ ...m }));
    if (opts.membersRemoved) activity.membersRemoved = opts.membersRemoved.map((m) => ({ ...m }));
    const channelData = activity.channelData as Record<string, unknown>;
    const conversationType = (activity.conversation as { conversationType: string }).conversationType;
    const eventType = opts.eventType ?? (conversationType === "channel" ? "teamMemberAdded" : undefined);
    if (eventType !== undefined) channelData.eventType = eventType;
    if (conversationType === "channel") {
      channelData.settings = { selectedChannel: { id: channelData.teamsChannelId } };
      // A team's conversationUpdate is about the team's General channel, not a thread.
      (activity.conversation as Record<string, unknown>).id = channelData.teamsChannelId;
    }
    delete activity.locale;
    activity.entities = [];
    return activity;
  }

  /** The app installed ("add") or removed ("remove") by a user. */
  buildInstallationUpdate(
    from: TeamsUser,
    action: "add" | "remove",
    opts: Omit<TeamsActivityOptions, "value"> = {},
  ): TeamsActivity {
    const activity = this.base("installationUpdate", from, opts);
    activity.action = action;
    activity.entities = [];
    return activity;
  }

  // ---- posting ----

  async post(activity: TeamsActivity, opts: { authorization?: string } = {}): Promise<TeamsHttpResult> {
    const headers: Record<string, string> = {
      "Content-Type": "application/json; charset=utf-8",
      "User-Agent": "Microsoft-SkypeBotApi (Microsoft-BotFramework/3.0)",
    };
    if (opts.authorization !== undefined) headers.Authorization = opts.authorization;
    const res = await fetch(this.url, { method: "POST", headers, body: JSON.stringify(activity) });
    const text = await res.text();
    const result: TeamsHttpResult = { status: res.status, text };
    if (text.length > 0) {
      try {
        result.json = JSON.parse(text);
      } catch {
        // not JSON
      }
    }
    return result;
  }

  private async send(activity: TeamsActivity, authorization?: string): Promise<TeamsSent> {
    const opts = authorization === undefined ? {} : { authorization };
    return { ...(await this.post(activity, opts)), activity };
  }

  message(
    from: TeamsUser,
    text: string,
    opts: TeamsActivityOptions & { authorization?: string } = {},
  ): Promise<TeamsSent> {
    return this.send(this.buildMessage(from, text, opts), opts.authorization);
  }

  sendFile(
    from: TeamsUser,
    file: { name: string; downloadUrl: string; uniqueId: string; fileType: string },
    opts: TeamsActivityOptions & { authorization?: string } = {},
  ): Promise<TeamsSent> {
    return this.send(this.buildFileMessage(from, file, opts), opts.authorization);
  }

  submit(
    from: TeamsUser,
    value: unknown,
    opts: Omit<TeamsActivityOptions, "value"> & { authorization?: string } = {},
  ): Promise<TeamsSent> {
    return this.send(this.buildSubmit(from, value, opts), opts.authorization);
  }

  invoke(
    from: TeamsUser,
    action: { verb: string; data?: unknown; title?: string },
    opts: Omit<TeamsActivityOptions, "value"> & { authorization?: string } = {},
  ): Promise<TeamsSent> {
    return this.send(this.buildInvoke(from, action, opts), opts.authorization);
  }

  conversationUpdate(
    membersAdded: { id: string; aadObjectId?: string; name?: string }[],
    opts: ConversationUpdateOptions & { authorization?: string } = {},
  ): Promise<TeamsSent> {
    return this.send(this.buildConversationUpdate(membersAdded, opts), opts.authorization);
  }

  installationUpdate(
    from: TeamsUser,
    action: "add" | "remove" = "add",
    opts: Omit<TeamsActivityOptions, "value"> & { authorization?: string } = {},
  ): Promise<TeamsSent> {
    return this.send(this.buildInstallationUpdate(from, action, opts), opts.authorization);
  }
}
