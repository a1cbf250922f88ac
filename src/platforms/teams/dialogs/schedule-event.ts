// `schedule event`: a waterfall that asks one thing at a time, validates each
// answer with the core's own rules, and re-asks with the reason until it is
// right: title, kind, date and time (`2026-12-05 19:00`, `12月5日 19時`, …, in
// DEFAULT_TIMEZONE unless given), place or URL, capacity, description, then a
// confirmation. "cancel" / "キャンセル" at any step stops without saving.
import { randomUUID } from "node:crypto";
import { MessageFactory } from "botbuilder";
import {
  ComponentDialog,
  type DialogContext,
  type DialogTurnResult,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from "botbuilder-dialogs";
import { z } from "zod";
import { AppError, toAppError } from "../../../core/errors.js";
import { EVENT_KINDS, ZEventInput } from "../../../core/events/event-input.js";
import { parseEventDateTime } from "../../../core/events/parse-event-datetime.js";
import { scheduleEvent } from "../../../core/events/schedule-event.js";
import { parseInput } from "../../../core/validation.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { localeOf } from "../actor.js";
import type { TeamsDeps } from "../deps.js";
import { messageText } from "../escape.js";

export const SCHEDULE_EVENT_DIALOG = "scheduleEvent";

export interface ScheduleEventOptions {
  actorId: string;
  conversationRefId: string | null;
}

interface Answers {
  formId: string;
  title?: string;
  kind?: (typeof EVENT_KINDS)[number];
  startsAt?: string;
  place?: string | null;
  url?: string | null;
  capacity?: number | null;
  description?: string | null;
}

const CANCEL_WORDS = new Set(["cancel", "キャンセル", "やめる", "中止", "quit", "stop"]);
const SKIP_WORDS = new Set(["none", "skip", "no", "-", "なし", "無し", "スキップ", "ー", "不要"]);
const YES_WORDS = new Set(["yes", "y", "ok", "はい", "うん", "お願いします", "登録", "登録する"]);
const NO_WORDS = new Set(["no", "n", "いいえ", "やめる", "登録しない"]);
const KIND_WORDS: Record<string, (typeof EVENT_KINDS)[number]> = {
  "1": "homecoming_day",
  homecoming: "homecoming_day",
  "homecoming day": "homecoming_day",
  ホームカミングデー: "homecoming_day",
  ホームカミング: "homecoming_day",
  "2": "meetup",
  meetup: "meetup",
  交流会: "meetup",
  ミートアップ: "meetup",
  "3": "online",
  online: "online",
  オンライン: "online",
};

function norm(text: string | undefined): string {
  return (text ?? "").normalize("NFKC").trim().toLowerCase();
}

const PROMPTS = {
  title: "prompt.title",
  kind: "prompt.kind",
  when: "prompt.when",
  where: "prompt.where",
  capacity: "prompt.capacity",
  description: "prompt.description",
  confirm: "prompt.confirm",
} as const;

export class ScheduleEventDialog extends ComponentDialog {
  constructor(private readonly deps: TeamsDeps) {
    super(SCHEDULE_EVENT_DIALOG);
    // When a validator answers itself, the prompt does not re-ask: so the reason and the question go together.
    const validate =
      (question: (values: Answers) => MessageKey, fn: (text: string, locale: Locale, values: Answers) => unknown) =>
      async (prompt: PromptValidatorContext<string>) => {
        const locale = localeOf(prompt.context, deps.config.defaultLocale);
        const values = (prompt.options as { values?: Answers }).values ?? ({ formId: "" } as Answers);
        try {
          const value = fn(prompt.recognized.value ?? "", locale, values);
          (prompt.recognized as { value: unknown }).value = value;
          return true;
        } catch (err) {
          const appError = toAppError(err, "dialog");
          // One question at a time: the field's own message, without a label from another form.
          const message = Object.values(appError.localizedFields(locale))[0] ?? appError.localized(locale);
          await prompt.context.sendActivity(messageText(`⚠️ ${message}\n${t(locale, question(values))}`));
          return false;
        }
      };
    const field = <K extends keyof typeof ZEventInput.shape>(name: K, raw: unknown) =>
      parseInput(z.object({ [name]: ZEventInput.shape[name] }) as z.ZodType<Record<K, unknown>>, { [name]: raw })[name];

    this.addDialog(
      new TextPrompt(
        PROMPTS.title,
        validate(
          () => "teams.event.askTitle",
          (text) => field("title", text),
        ),
      ),
    );
    this.addDialog(
      new TextPrompt(
        PROMPTS.kind,
        validate(
          () => "teams.event.askKind",
          (text) => {
            const kind = KIND_WORDS[norm(text)];
            if (!kind) throw new AppError("validation", {}, { key: "teams.event.badKind" });
            return kind;
          },
        ),
      ),
    );
    this.addDialog(
      new TextPrompt(
        PROMPTS.when,
        validate(
          () => "teams.event.askWhen",
          (text, locale) =>
            parseEventDateTime({ text, timeZone: deps.config.defaultTimeZone, locale }).startsAt.toISOString(),
        ),
      ),
    );
    this.addDialog(
      new TextPrompt(
        PROMPTS.where,
        validate(
          (values) => (values.kind === "online" ? "teams.event.askUrl" : "teams.event.askPlace"),
          (text, _locale, values) => {
            const answer = text.normalize("NFC").trim();
            const isUrl = /^https?:\/\//i.test(answer);
            if (values.kind === "online" && !isUrl)
              throw new AppError("validation", {}, { key: "teams.event.needUrl" });
            return isUrl ? { url: field("url", answer) } : { place: field("place", answer) };
          },
        ),
      ),
    );
    this.addDialog(
      new TextPrompt(
        PROMPTS.capacity,
        validate(
          () => "teams.event.askCapacity",
          (text) => (SKIP_WORDS.has(norm(text)) ? null : field("capacity", text)),
        ),
      ),
    );
    this.addDialog(
      new TextPrompt(
        PROMPTS.description,
        validate(
          () => "teams.event.askDescription",
          (text) => (SKIP_WORDS.has(norm(text)) ? null : field("description", text)),
        ),
      ),
    );
    this.addDialog(
      new TextPrompt(
        PROMPTS.confirm,
        validate(
          () => "teams.event.askConfirm",
          (text) => {
            const answer = norm(text);
            if (YES_WORDS.has(answer)) return true;
            if (NO_WORDS.has(answer)) return false;
            throw new AppError("validation", {}, { key: "teams.event.yesNo" });
          },
        ),
      ),
    );

    const ask = (id: string, key: MessageKey, suggestions?: string[]) => async (step: WaterfallStepContext) => {
      const locale = localeOf(step.context, deps.config.defaultLocale);
      const text = t(locale, key);
      const prompt = suggestions ? MessageFactory.suggestedActions(suggestions, text) : MessageFactory.text(text);
      return step.prompt(id, { prompt, retryPrompt: prompt, values: step.values as Answers } as never);
    };

    this.addDialog(
      new WaterfallDialog("scheduleEventSteps", [
        async (step) => {
          Object.assign(step.values, { formId: randomUUID() });
          return ask(PROMPTS.title, "teams.event.askTitle")(step);
        },
        async (step) => {
          (step.values as Answers).title = step.result as string;
          const locale = localeOf(step.context, deps.config.defaultLocale);
          return ask(
            PROMPTS.kind,
            "teams.event.askKind",
            EVENT_KINDS.map((k) => t(locale, `eventKind.${k}` as MessageKey)),
          )(step);
        },
        async (step) => {
          (step.values as Answers).kind = step.result as Answers["kind"];
          return ask(PROMPTS.when, "teams.event.askWhen")(step);
        },
        async (step) => {
          (step.values as Answers).startsAt = step.result as string;
          return ask(
            PROMPTS.where,
            (step.values as Answers).kind === "online" ? "teams.event.askUrl" : "teams.event.askPlace",
          )(step);
        },
        async (step) => {
          const where = step.result as { place?: string | null; url?: string | null };
          Object.assign(step.values, { place: where.place ?? null, url: where.url ?? null });
          return ask(PROMPTS.capacity, "teams.event.askCapacity")(step);
        },
        async (step) => {
          (step.values as Answers).capacity = step.result as number | null;
          return ask(PROMPTS.description, "teams.event.askDescription")(step);
        },
        async (step) => {
          (step.values as Answers).description = step.result as string | null;
          const locale = localeOf(step.context, deps.config.defaultLocale);
          const v = step.values as Answers;
          const when = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", {
            timeZone: deps.config.defaultTimeZone,
            dateStyle: "full",
            timeStyle: "short",
          }).format(new Date(v.startsAt ?? 0));
          const summary = t(locale, "teams.event.summary", {
            title: v.title ?? "",
            kind: t(locale, `eventKind.${v.kind}` as MessageKey),
            when: `${when} (${deps.config.defaultTimeZone})`,
            where: v.url ?? v.place ?? "—",
            capacity: v.capacity ?? t(locale, "teams.event.noLimit"),
            description: v.description ?? "—",
          });
          await step.context.sendActivity(messageText(summary));
          return ask(PROMPTS.confirm, "teams.event.askConfirm", [t(locale, "teams.yes"), t(locale, "teams.no")])(step);
        },
        async (step) => {
          const locale = localeOf(step.context, deps.config.defaultLocale);
          if (step.result !== true) {
            await step.context.sendActivity(t(locale, "teams.event.notSaved"));
            return step.endDialog();
          }
          const v = step.values as Answers;
          const options = step.options as ScheduleEventOptions;
          try {
            const { event } = await scheduleEvent({
              prisma: deps.prisma,
              actorId: options.actorId,
              input: {
                title: v.title,
                kind: v.kind,
                startsAt: v.startsAt,
                timeZone: deps.config.defaultTimeZone,
                endsAt: null,
                place: v.place,
                url: v.url,
                capacity: v.capacity,
                description: v.description,
              },
              originConversationRefId: options.conversationRefId,
              alumniChannelId: deps.config.slack.alumniChannelId ?? null,
              requestKey: `teams:event-dialog:${v.formId}`,
            });
            const key = deps.config.slack.alumniChannelId ? "teams.event.scheduled" : "teams.event.scheduledNoChannel";
            await step.context.sendActivity(messageText(t(locale, key, { number: event.number, title: event.title })));
          } catch (err) {
            const appError = toAppError(err, Math.random().toString(36).slice(2, 10));
            if (appError.code === "internal") deps.logger.error({ err }, "scheduling an event failed");
            await step.context.sendActivity(messageText(`⚠️ ${appError.localized(locale)}`));
          }
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = "scheduleEventSteps";
  }

  /** "cancel" at any step ends the dialog without saving. */
  protected override async onContinueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (CANCEL_WORDS.has(norm(dc.context.activity.text))) {
      const locale = localeOf(dc.context, this.deps.config.defaultLocale);
      await dc.context.sendActivity(t(locale, "teams.event.cancelled"));
      return dc.cancelAllDialogs();
    }
    return super.onContinueDialog(dc);
  }
}
