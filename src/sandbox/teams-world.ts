// What each sandbox persona sees in their Teams chat with the bot, rebuilt from
// what the bot sent the fake Bot Connector (activities, updates, deletes, and
// conversations it created) plus what the persona typed and the cards that
// Action.Execute answers put in place of the clicked ones.
import { adaptiveCards, type FakeConnector } from "./fake-connector.js";
import type { TeamsItemView } from "./playground-types.js";

/** What survives a restart of the sandbox: each chat's items. */
export interface TeamsWorldSnapshot {
  items: [string, TeamsItemView[]][];
  aliases: [string, string][];
}

export class TeamsWorld {
  private sentCursor = 0;
  private updateCursor = 0;
  private deleteCursor = 0;
  private localChanges = 0;
  private readonly items = new Map<string, TeamsItemView[]>();
  /** Conversation ids the bot created → the conversation of the persona it was created with. */
  private readonly aliases = new Map<string, string>();

  constructor(
    private readonly connector: FakeConnector,
    private readonly options: {
      botName: string;
      /** The personal conversation of the persona with this Teams user id, if any. */
      conversationOfUser(userId: string): string | undefined;
    },
  ) {}

  get version(): number {
    return this.connector.calls.length + this.localChanges;
  }

  save(): TeamsWorldSnapshot {
    this.catchUp();
    return { items: [...this.items], aliases: [...this.aliases] };
  }

  restore(snapshot: TeamsWorldSnapshot): void {
    for (const [id, items] of snapshot.items) this.items.set(id, items);
    for (const [from, to] of snapshot.aliases) this.aliases.set(from, to);
    this.localChanges++;
  }

  /** A message the persona typed. */
  addUserMessage(conversationId: string, item: { id: string; author: string; text: string }): void {
    this.catchUp();
    this.list(conversationId).push({ ...item, from: "user", cards: [], edited: false, at: Date.now() });
    this.localChanges++;
  }

  /** Action.Execute answered with a card: it replaces the clicked one (as the Teams client does). */
  replaceCard(conversationId: string, activityId: string, card: Record<string, unknown>): void {
    this.catchUp();
    const item = this.list(conversationId).find((i) => i.id === activityId);
    if (!item) return;
    item.cards = [card];
    item.edited = true;
    this.localChanges++;
  }

  item(conversationId: string, activityId: string): TeamsItemView | undefined {
    this.catchUp();
    return this.items.get(conversationId)?.find((i) => i.id === activityId);
  }

  snapshot(conversationId: string): TeamsItemView[] {
    this.catchUp();
    return [...(this.items.get(conversationId) ?? [])];
  }

  private list(conversationId: string): TeamsItemView[] {
    let list = this.items.get(conversationId);
    if (!list) {
      list = [];
      this.items.set(conversationId, list);
    }
    return list;
  }

  private resolve(conversationId: string): string {
    const known = this.aliases.get(conversationId);
    if (known) return known;
    const created = this.connector.conversationsCreated.find((c) => c.id === conversationId);
    const members = (created?.parameters.members ?? []) as { id?: string }[];
    for (const member of members) {
      const own = member.id ? this.options.conversationOfUser(member.id) : undefined;
      if (own) {
        this.aliases.set(conversationId, own);
        return own;
      }
    }
    return conversationId;
  }

  private catchUp(): void {
    for (const activity of this.connector.sentAfter(this.sentCursor)) {
      this.sentCursor++;
      if (activity.type !== "message") continue;
      const list = this.list(this.resolve(activity.conversationId));
      list.push({
        id: activity.id,
        from: "bot",
        author: this.options.botName,
        ...(typeof activity.text === "string" && activity.text !== "" ? { text: activity.text } : {}),
        ...(activity.textFormat ? { textFormat: activity.textFormat } : {}),
        cards: adaptiveCards(activity),
        edited: false,
        at: Date.now(),
      });
      if (list.length > 500) list.splice(0, list.length - 500);
    }
    const updates = this.connector.updates;
    while (this.updateCursor < updates.length) {
      const update = updates[this.updateCursor++];
      if (!update) continue;
      const item = this.items.get(this.resolve(update.conversationId))?.find((i) => i.id === update.id);
      if (!item) continue;
      if (typeof update.text === "string") item.text = update.text;
      if (update.attachments) item.cards = adaptiveCards(update);
      item.edited = true;
    }
    const deletes = this.connector.deletes;
    while (this.deleteCursor < deletes.length) {
      const removed = deletes[this.deleteCursor++];
      if (!removed) continue;
      const list = this.items.get(this.resolve(removed.conversationId));
      const index = list?.findIndex((i) => i.id === removed.activityId) ?? -1;
      if (list && index >= 0) list.splice(index, 1);
    }
  }
}
