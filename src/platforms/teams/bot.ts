// The Teams bot: every activity is deduplicated (Teams redelivers), its
// conversation reference stored (for proactive messages later), its sender
// resolved with fresh roles; then text goes to a running dialog or a command,
// and card submissions (Action.Execute invokes and Action.Submit messages) go
// to the card-action router.
import {
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  CardFactory,
  type ConversationReference,
  MessageFactory,
  PrivateConversationState,
  TeamsActivityHandler,
  TurnContext,
} from "botbuilder";
import { DialogSet, DialogTurnStatus } from "botbuilder-dialogs";
import { saveConversationRef } from "../../core/conversations/save-conversation-ref.js";
import { toAppError } from "../../core/errors.js";
import { releaseDelivery } from "../../http/deliveries.js";
import { t } from "../../i18n/index.js";
import { localeOf, resolveActor, type TeamsActor, tenantOf } from "./actor.js";
import { isForeignTenant } from "./authorize.js";
import { handleCardAction, messageCard } from "./card-actions.js";
import { CARD_CONTENT_TYPE, type Card } from "./cards/elements.js";
import { runCommand } from "./commands.js";
import type { TeamsDeps } from "./deps.js";
import { SCHEDULE_EVENT_DIALOG, ScheduleEventDialog, type ScheduleEventOptions } from "./dialogs/schedule-event.js";
import { messageText } from "./escape.js";
import { fileAttachmentOf, uploadRosterFile } from "./roster-upload.js";
import { PrismaStorage } from "./storage.js";
import { Completions, type LoadedIdentity, type LoadedTurn, loadTurn, type TurnLoadRequest } from "./turn-load.js";

const CONVERSATION_REF_KEY = Symbol("conversationRefId");
const LOADED_IDENTITY_KEY = Symbol("loadedIdentity");
const LOADED_STATE_KEY = Symbol("loadedState");

type RememberedConversation = NonNullable<TurnLoadRequest["conversation"]>;

export class AlumniTeamsBot extends TeamsActivityHandler {
  readonly state: PrivateConversationState;
  private readonly storage: PrismaStorage;
  /** Deliveries to mark done with the next turn's statement (see Completions). */
  readonly completions: Completions;
  private readonly dialogs: DialogSet;

  constructor(private readonly deps: TeamsDeps) {
    super();
    // Dialog state per user in each conversation: two people in one channel never share a dialog.
    this.storage = new PrismaStorage(deps.prisma);
    this.completions = new Completions(deps.prisma, (err) =>
      deps.logger.warn({ err }, "could not mark Teams deliveries done; retrying"),
    );
    this.state = new PrivateConversationState(this.storage);
    this.dialogs = new DialogSet(this.state.createProperty("dialogState"));
    this.dialogs.add(new ScheduleEventDialog(deps));

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const added = context.activity.membersAdded ?? [];
      if (added.some((m) => m.id === botId)) {
        // The activity's language, like every other reply. Teams (and Microsoft's Agents
        // Playground) often send this conversationUpdate with no locale at all: then both
        // languages, the default first, so nobody is greeted only in a language they may not read.
        const first = localeOf(context, deps.config.defaultLocale);
        const other = localeOf(context, deps.config.defaultLocale === "ja" ? "en" : "ja");
        await context.sendActivity(
          first === other ? t(first, "teams.welcome") : `${t(first, "teams.welcome")}\n\n${t(other, "teams.welcome")}`,
        );
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const activity = context.activity;
    // Invokes must always get an answer; their effects are idempotent on their own.
    const key =
      activity.type !== "invoke" && activity.id ? `teams:activity:${activity.conversation?.id}:${activity.id}` : null;
    const conversation = this.conversationOf(context);
    // Only messages and invokes act for a sender, and only messages run dialogs.
    const sender = activity.type === "message" || activity.type === "invoke" ? this.senderOf(context) : null;
    const stateKey = activity.type === "message" ? (this.state.getStorageKey(context) ?? null) : null;
    // One round trip: the claim, the sender's identity and roles, the dialog state, the stored
    // reference, and marking done the deliveries of turns that ended since the last one.
    const completed = this.completions.take(key);
    let loaded: LoadedTurn;
    try {
      loaded = await loadTurn(this.deps.prisma, { claimKey: key, completed, identity: sender, stateKey, conversation });
    } catch (err) {
      this.completions.restore(completed);
      throw err;
    }
    if (!loaded.claimed) {
      this.deps.logger.info({ key }, "skipped a redelivered Teams activity");
      return;
    }
    if (stateKey) this.storage.prime(stateKey, loaded.state ?? null);
    context.turnState.set(LOADED_IDENTITY_KEY, loaded.identity);
    context.turnState.set(LOADED_STATE_KEY, loaded.state);
    try {
      await this.rememberConversation(context, conversation, loaded.conversation);
      await super.run(context);
      await this.state.saveChanges(context, false);
      if (key) this.completions.add(key);
    } catch (err) {
      if (key) await releaseDelivery(this.deps.prisma, key).catch(() => undefined);
      throw err;
    } finally {
      if (stateKey) this.storage.unprime(stateKey);
    }
  }

  /** The sender's tenant and object id to look up, or null when there is none to look up (resolveActor decides). */
  private senderOf(context: TurnContext): { tenantId: string; aadObjectId: string } | null {
    const aadObjectId = context.activity.from?.aadObjectId?.toLowerCase();
    const tenantId = tenantOf(context);
    if (!aadObjectId || !tenantId || isForeignTenant(context, this.deps.config.teams?.tenantId)) return null;
    return { tenantId, aadObjectId };
  }

  /** The conversation reference to keep for this activity, or null when nothing is kept. */
  private conversationOf(context: TurnContext): RememberedConversation | null {
    const activity = context.activity;
    if (!activity.conversation?.id || !activity.serviceUrl) return null;
    // Nothing is stored about a conversation in another tenant (the bot refuses its users).
    if (isForeignTenant(context, this.deps.config.teams?.tenantId)) return null;
    const reference = TurnContext.getConversationReference(activity) as Partial<ConversationReference>;
    // A channel message's conversation id names its thread (";messageid=…"). We keep the
    // channel itself, so notifications start new posts instead of landing in an old thread.
    const conversationId = activity.conversation.id.split(";")[0] as string;
    if (reference.conversation) reference.conversation = { ...reference.conversation, id: conversationId };
    const conversationType = activity.conversation.conversationType ?? "personal";
    return {
      conversationId,
      tenantId: tenantOf(context) || null,
      conversationType,
      serviceUrl: activity.serviceUrl,
      reference: reference as object,
      // A personal chat has no threads: the last activity id alone is no reason to write the
      // reference again. Channels and group chats keep the latest one, as before.
      ignoreActivityId: conversationType === "personal",
    };
  }

  /** Keep the conversation reference of every conversation the bot sees (written only when it changed). */
  private async rememberConversation(
    context: TurnContext,
    conversation: RememberedConversation | null,
    stored: LoadedTurn["conversation"],
  ): Promise<void> {
    if (!conversation) return;
    if (stored?.same) {
      context.turnState.set(CONVERSATION_REF_KEY, stored.id);
      return;
    }
    const { ignoreActivityId: _, ...fields } = conversation;
    const id = await saveConversationRef({ prisma: this.deps.prisma, ...fields });
    context.turnState.set(CONVERSATION_REF_KEY, id);
  }

  private async actorOf(context: TurnContext): Promise<TeamsActor | null> {
    return resolveActor({
      context,
      prisma: this.deps.prisma,
      adminAadObjectIds: this.deps.config.adminAadObjectIds,
      defaultLocale: this.deps.config.defaultLocale,
      logger: this.deps.logger,
      homeTenantId: this.deps.config.teams?.tenantId,
      preloaded: context.turnState.get(LOADED_IDENTITY_KEY) as LoadedIdentity | null | undefined,
    });
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const locale = localeOf(context, this.deps.config.defaultLocale);
    try {
      const actor = await this.actorOf(context);
      if (!actor) {
        await context.sendActivity(t(locale, "teams.noIdentity"));
        return;
      }
      // A file sent in the personal chat: a roster upload (role checked before it is downloaded).
      const file = fileAttachmentOf(context.activity.attachments);
      if (file) {
        const conversationType = context.activity.conversation?.conversationType ?? "personal";
        const card = await uploadRosterFile({ deps: this.deps, actor, file, conversationType });
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
        return;
      }
      const value = context.activity.value as Record<string, unknown> | undefined;
      if (value && typeof value === "object" && typeof value.verb === "string") {
        // Action.Submit: the same data an Action.Execute would carry.
        const card = await handleCardAction({ deps: this.deps, actor, conversationRefId: this.refId(context) }, value);
        await this.replaceOrSend(context, card);
        return;
      }
      // botbuilder would call text.replace on a message that mentions the bot but has no text.
      if (typeof context.activity.text === "string") TurnContext.removeRecipientMention(context.activity);
      const text = (context.activity.text ?? "").trim();
      // The dialog machinery only when a dialog may be running (the state read ahead says so, or
      // was not read) or one is to begin: a plain command neither loads nor saves dialog state.
      if (this.mayHaveActiveDialog(context)) {
        const dc = await this.dialogs.createContext(context);
        if (dc.activeDialog) {
          const result = await dc.continueDialog();
          if (result.status !== DialogTurnStatus.empty) return;
        }
      }
      const reply = await runCommand({ deps: this.deps, actor, context, text });
      if ("dialog" in reply) {
        const options: ScheduleEventOptions = { actorId: actor.personId, conversationRefId: this.refId(context) };
        const dc = await this.dialogs.createContext(context);
        await dc.beginDialog(SCHEDULE_EVENT_DIALOG, options);
      } else if ("card" in reply) {
        await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(reply.card)));
      } else {
        await context.sendActivity(messageText(reply.text));
      }
    } catch (err) {
      const ref = Math.random().toString(36).slice(2, 10);
      const appError = toAppError(err, ref);
      if (appError.code === "internal") this.deps.logger.error({ err, ref }, "Teams message failed");
      else this.deps.logger.info({ code: appError.code, key: appError.key }, "refused a Teams command");
      await context.sendActivity(messageText(`⚠️ ${appError.localized(locale)}`));
    }
  }

  /** False only when this turn read the dialog state ahead and it holds no dialog. */
  private mayHaveActiveDialog(context: TurnContext): boolean {
    const state = context.turnState.get(LOADED_STATE_KEY) as LoadedTurn["state"];
    if (state === undefined) return true;
    const stack = (state?.value.dialogState as { dialogStack?: unknown[] } | undefined)?.dialogStack;
    return Array.isArray(stack) && stack.length > 0;
  }

  private refId(context: TurnContext): string | null {
    return (context.turnState.get(CONVERSATION_REF_KEY) as string | undefined) ?? null;
  }

  /** Action.Submit: replace the card that was clicked when Teams tells us which one. */
  private async replaceOrSend(context: TurnContext, card: Card): Promise<void> {
    const attachment = CardFactory.adaptiveCard(card);
    const replyToId = context.activity.replyToId;
    if (replyToId) {
      try {
        await context.updateActivity({ ...MessageFactory.attachment(attachment), id: replyToId });
        return;
      } catch (err) {
        this.deps.logger.warn({ err }, "could not update the card; sending a new one");
      }
    }
    await context.sendActivity(MessageFactory.attachment(attachment));
  }

  /** Action.Execute: answer with the card that replaces the one clicked. */
  protected override async onAdaptiveCardInvoke(
    context: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const locale = localeOf(context, this.deps.config.defaultLocale);
    let card: Card;
    try {
      const actor = await this.actorOf(context);
      if (!actor) card = messageCard(t(locale, "teams.actionFailed"), t(locale, "teams.noIdentity"), true);
      else {
        const data = { ...(invokeValue.action.data as Record<string, unknown>), verb: invokeValue.action.verb };
        card = await handleCardAction({ deps: this.deps, actor, conversationRefId: this.refId(context) }, data);
      }
    } catch (err) {
      const appError = toAppError(err, Math.random().toString(36).slice(2, 10));
      // A refusal (e.g. a user of another tenant) is not a failure.
      if (appError.code === "internal") this.deps.logger.error({ err }, "Teams card invoke failed");
      else this.deps.logger.info({ code: appError.code, key: appError.key }, "refused a Teams card action");
      card = messageCard(t(locale, "teams.actionFailed"), appError.localized(locale), true);
    }
    return { statusCode: 200, type: CARD_CONTENT_TYPE, value: card } as AdaptiveCardInvokeResponse;
  }
}
