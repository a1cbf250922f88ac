// What each sandbox persona would see in Slack, rebuilt from the calls the bot
// made to the fake Slack Web API: channel and DM messages (posted, edited,
// deleted), ephemeral messages and response_url answers, App Home views and the
// stack of open modals. Whose modal a views.open call opens is known from its
// trigger_id, which the playground issued for that persona's click or command.

import type { FakeSlack, SlackCall } from "./fake-slack.js";
import type { SlackConversationView, SlackMessageView, SlackView } from "./playground-types.js";

/** Where a response_url answer lands. */
interface ResponseTarget {
  user: string;
  conversation: string;
  /** The message the click came from (replace_original / delete_original act on it). */
  source?: string;
}

interface StoredMessage extends SlackMessageView {
  /** Only this user sees it. */
  visibleTo?: string;
}

type Block = Record<string, unknown>;

/** What survives a restart of the sandbox: the conversations and App Homes (open modals do not). */
export interface SlackWorldSnapshot {
  conversations: [string, StoredMessage[]][];
  homes: [string, SlackView][];
  seq: number;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function blocksOf(v: unknown): Block[] | undefined {
  return Array.isArray(v) ? (v as Block[]) : undefined;
}

export class SlackWorld {
  private callCursor = 0;
  private postCursor = 0;
  private localChanges = 0;
  private ephemeralSeq = 0;
  private readonly conversations = new Map<string, StoredMessage[]>();
  private readonly triggers = new Map<string, string>();
  private readonly responseTargets = new Map<string, ResponseTarget>();
  /** view id → owner and the view as last set. */
  private readonly views = new Map<string, { user: string; view: SlackView }>();
  private readonly stacks = new Map<string, string[]>();
  private readonly homes = new Map<string, SlackView>();

  constructor(
    private readonly fake: FakeSlack,
    private readonly options: { alumniChannel: string; botName: string; userName(id: string): string },
  ) {}

  /** Changes whenever anything a persona could see may have changed. */
  get version(): number {
    return this.fake.calls.length + this.fake.responsePosts.length + this.localChanges;
  }

  /** Everything worth keeping across a restart; ephemeral messages go, as in Slack after a reload. */
  save(): SlackWorldSnapshot {
    this.catchUp();
    const conversations = [...this.conversations].map(([id, messages]): [string, StoredMessage[]] => [
      id,
      messages.filter((m) => !m.ephemeral),
    ]);
    return { conversations, homes: [...this.homes], seq: this.ephemeralSeq };
  }

  /** Start from what an earlier run saved. */
  restore(snapshot: SlackWorldSnapshot): void {
    for (const [id, messages] of snapshot.conversations) this.conversations.set(id, messages);
    for (const [user, view] of snapshot.homes) this.homes.set(user, view);
    this.ephemeralSeq = Math.max(this.ephemeralSeq, snapshot.seq);
    this.localChanges++;
  }

  /** A conversation id as the page names it: DMs are "D" + the user id. */
  conversationOf(channel: string): string {
    return /^[UW]/.test(channel) ? `D${channel}` : channel;
  }

  /** A trigger_id issued for this user's request: the views it opens are theirs. */
  newTrigger(user: string, id: string): string {
    this.triggers.set(id, user);
    return id;
  }

  /** A response_url id for this user's request in `conversation`, optionally from message `source`. */
  newResponseTarget(target: ResponseTarget): string {
    this.ephemeralSeq += 1;
    const id = `${target.user}.${this.ephemeralSeq}`;
    this.responseTargets.set(id, target);
    return id;
  }

  /** What the persona typed, shown to them only (Slack does not post slash commands). */
  echo(user: string, conversation: string, text: string): void {
    this.catchUp();
    this.push(conversation, {
      id: this.nextEphemeralId(),
      ephemeral: true,
      visibleTo: user,
      from: "user",
      author: this.options.userName(user),
      text,
      edited: false,
      at: Date.now(),
    });
  }

  message(conversation: string, id: string): StoredMessage | undefined {
    this.catchUp();
    return this.conversations.get(conversation)?.find((m) => m.id === id);
  }

  /** The view (modal or home) with this id, if `user` may act on it. */
  view(user: string, viewId: string): SlackView | undefined {
    this.catchUp();
    const entry = this.views.get(viewId);
    if (entry?.user === user) return entry.view;
    const home = this.homes.get(user);
    return home?.id === viewId ? home : undefined;
  }

  topModal(user: string): SlackView | null {
    this.catchUp();
    const stack = this.stacks.get(user) ?? [];
    const top = stack.at(-1);
    return (top && this.views.get(top)?.view) || null;
  }

  /** Apply a view_submission's ack (Slack closes, updates, pushes or shows errors). */
  applySubmissionAck(user: string, viewId: string, ack: Record<string, unknown>): void {
    this.catchUp();
    const stack = this.stacks.get(user) ?? [];
    const index = stack.indexOf(viewId);
    if (index < 0) return;
    this.localChanges++;
    const action = str(ack.response_action);
    const current = this.views.get(viewId);
    if (action === "errors" && current) {
      const errors = (ack.errors ?? {}) as Record<string, string>;
      current.view = { ...current.view, errors };
    } else if (action === "update" && typeof ack.view === "object" && ack.view !== null) {
      this.views.set(viewId, { user, view: { ...(ack.view as SlackView), id: viewId, type: "modal" } });
    } else if (action === "push" && typeof ack.view === "object" && ack.view !== null) {
      const id = `VPUSH${++this.ephemeralSeq}`;
      this.views.set(id, { user, view: { ...(ack.view as SlackView), id, type: "modal" } });
      stack.push(id);
    } else if (action === "clear") {
      this.stacks.set(user, []);
    } else {
      // An empty ack closes the view that was submitted.
      stack.splice(index, 1);
    }
  }

  /** The persona closed a modal (×). */
  close(user: string, viewId: string): void {
    this.catchUp();
    const stack = this.stacks.get(user) ?? [];
    const index = stack.indexOf(viewId);
    if (index >= 0) {
      stack.splice(index, 1);
      this.localChanges++;
    }
  }

  /** Everything `user` sees now. */
  snapshot(user: string): { conversations: SlackConversationView[]; home: SlackView | null; modal: SlackView | null } {
    this.catchUp();
    const visible = (list: StoredMessage[]) =>
      list.filter((m) => m.visibleTo === undefined || m.visibleTo === user).map(({ visibleTo: _visibleTo, ...m }) => m);
    const channel = this.options.alumniChannel;
    const dm = `D${user}`;
    return {
      conversations: [
        { id: channel, kind: "channel", name: "alumni", messages: visible(this.conversations.get(channel) ?? []) },
        { id: dm, kind: "dm", name: this.options.botName, messages: visible(this.conversations.get(dm) ?? []) },
      ],
      home: this.homes.get(user) ?? null,
      modal: this.topModal(user),
    };
  }

  /** A message the app wrote: its text and blocks as given. */
  private fromBot(content: Record<string, unknown>, at: number) {
    const blocks = blocksOf(content.blocks);
    return {
      from: "bot" as const,
      author: this.options.botName,
      text: str(content.text) ?? "",
      ...(blocks ? { blocks } : {}),
      edited: false,
      at,
    };
  }

  private nextEphemeralId(): string {
    this.ephemeralSeq += 1;
    return `e${this.ephemeralSeq}`;
  }

  private push(conversation: string, message: StoredMessage): void {
    let list = this.conversations.get(conversation);
    if (!list) {
      list = [];
      this.conversations.set(conversation, list);
    }
    list.push(message);
    // A long sandbox session keeps the newest 500 per conversation.
    if (list.length > 500) list.splice(0, list.length - 500);
  }

  private replace(conversation: string, id: string, content: { text?: string; blocks?: Block[] }): void {
    const message = this.conversations.get(conversation)?.find((m) => m.id === id);
    if (!message) return;
    message.text = content.text ?? message.text;
    if (content.blocks !== undefined) message.blocks = content.blocks;
    else if (content.text !== undefined) delete message.blocks;
    message.edited = true;
  }

  private remove(conversation: string, id: string): void {
    const list = this.conversations.get(conversation);
    const index = list?.findIndex((m) => m.id === id) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
  }

  /** Read the calls and response_url posts made since the last look. */
  private catchUp(): void {
    const calls = this.fake.calls;
    while (this.callCursor < calls.length) {
      const call = calls[this.callCursor++] as SlackCall;
      if (call.error || !call.result) continue;
      this.applyCall(call);
    }
    const posts = this.fake.responsePosts;
    while (this.postCursor < posts.length) {
      const post = posts[this.postCursor++];
      if (post) this.applyResponsePost(post.id, post.body);
    }
  }

  private applyCall(call: SlackCall): void {
    const { args, result } = call;
    switch (call.method) {
      case "chat.postMessage": {
        const conversation = this.conversationOf(str(result?.channel) ?? str(args.channel) ?? "");
        const ts = str(result?.ts);
        if (!ts) return;
        this.push(conversation, { id: ts, ephemeral: false, ...this.fromBot(args, call.at) });
        return;
      }
      case "chat.postEphemeral": {
        const user = str(args.user);
        if (!user) return;
        this.push(this.conversationOf(str(args.channel) ?? user), {
          id: this.nextEphemeralId(),
          ephemeral: true,
          visibleTo: user,
          ...this.fromBot(args, call.at),
        });
        return;
      }
      case "chat.update": {
        const ts = str(args.ts);
        const blocks = blocksOf(args.blocks);
        if (ts) {
          this.replace(this.conversationOf(str(args.channel) ?? ""), ts, {
            ...(str(args.text) !== undefined ? { text: str(args.text) } : {}),
            ...(blocks ? { blocks } : {}),
          });
        }
        return;
      }
      case "chat.delete": {
        const ts = str(args.ts);
        if (ts) this.remove(this.conversationOf(str(args.channel) ?? ""), ts);
        return;
      }
      case "files.completeUploadExternal": {
        const channel = str(args.channel_id) ?? str(args.channels);
        const files = Array.isArray(result?.files) ? (result.files as Record<string, unknown>[]) : [];
        if (!channel || files.length === 0) return;
        this.push(this.conversationOf(channel), {
          id: `f${str(files[0]?.id) ?? this.nextEphemeralId()}`,
          ephemeral: false,
          ...this.fromBot({ text: args.initial_comment }, call.at),
          files: files.map((f) => ({
            id: str(f.id) ?? "",
            name: str(f.name) ?? "file",
            title: str(f.title) ?? str(f.name) ?? "file",
            size: typeof f.size === "number" ? f.size : 0,
          })),
        });
        return;
      }
      case "views.open":
      case "views.push": {
        const user = this.triggers.get(str(args.trigger_id) ?? "");
        const view = result?.view as SlackView | undefined;
        if (!user || !view) return;
        this.views.set(view.id, { user, view });
        const stack = call.method === "views.open" ? [] : (this.stacks.get(user) ?? []);
        stack.push(view.id);
        this.stacks.set(user, stack);
        return;
      }
      case "views.update": {
        const view = result?.view as SlackView | undefined;
        if (!view) return;
        const externalId = str(args.external_id);
        const id =
          str(args.view_id) ?? [...this.views.entries()].find(([, v]) => v.view.external_id === externalId)?.[0];
        const entry = id ? this.views.get(id) : undefined;
        if (!entry || !id) return;
        // Slack refuses updates to a closed view; so does the playground (it is gone).
        if (!(this.stacks.get(entry.user) ?? []).includes(id)) return;
        entry.view = { ...view, id };
        return;
      }
      case "views.publish": {
        const user = str(args.user_id);
        const view = result?.view as SlackView | undefined;
        if (user && view) this.homes.set(user, { ...view, type: "home" });
        return;
      }
      default:
        return;
    }
  }

  private applyResponsePost(id: string, body: Record<string, unknown>): void {
    const target = this.responseTargets.get(id);
    if (!target) return;
    const { user, conversation, source } = target;
    const blocks = blocksOf(body.blocks);
    const text = str(body.text);
    if (body.delete_original === true || body.delete_original === "true") {
      if (source) this.remove(conversation, source);
      return;
    }
    if ((body.replace_original === true || body.replace_original === "true") && source) {
      this.replace(conversation, source, { ...(text !== undefined ? { text } : {}), ...(blocks ? { blocks } : {}) });
      return;
    }
    const inChannel = body.response_type === "in_channel";
    this.push(conversation, {
      id: inChannel ? `r${id}` : this.nextEphemeralId(),
      ephemeral: !inChannel,
      ...(inChannel ? {} : { visibleTo: user }),
      ...this.fromBot(body, Date.now()),
    });
  }
}
