// Block Kit building blocks. Every mrkdwn text object is `verbatim`; callers
// pass user text through `escapeMrkdwn` before it reaches one.
import type { Locale } from "../../../i18n/index.js";
import { clip } from "../escape.js";

export type Block = Record<string, unknown>;

export interface SlackMessage {
  text: string;
  blocks: Block[];
}

export function plain(text: string, max = 150) {
  return { type: "plain_text", text: clip(text, max), emoji: true };
}

export function mrkdwn(text: string) {
  return { type: "mrkdwn", text: clip(text, 3000), verbatim: true };
}

export function section(text: string, extra: Block = {}): Block {
  return { type: "section", text: mrkdwn(text), ...extra };
}

export function fieldsSection(fields: string[]): Block {
  return { type: "section", fields: fields.slice(0, 10).map((f) => mrkdwn(clip(f, 2000))) };
}

export function header(text: string): Block {
  return { type: "header", text: plain(text, 150) };
}

export function context(texts: string[]): Block {
  return { type: "context", elements: texts.slice(0, 10).map((t) => mrkdwn(t)) };
}

export function divider(): Block {
  return { type: "divider" };
}

export function button(
  text: string,
  actionId: string,
  value?: string,
  options: { style?: "primary" | "danger"; confirm?: Block } = {},
): Block {
  return {
    type: "button",
    text: plain(text, 75),
    action_id: actionId,
    ...(value !== undefined ? { value: clip(value, 2000) } : {}),
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

export function actions(elements: Block[], blockId?: string): Block {
  return { type: "actions", elements: elements.slice(0, 25), ...(blockId ? { block_id: blockId } : {}) };
}

/** A plain-text message with one section: for short replies. */
export function textMessage(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/** `<!date^…>` renders in the reader's own time zone; the fallback uses ours. */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** Intl.DateTimeFormat is costly to create; one per language and zone is kept. */
function dateFormat(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", {
      timeZone,
      dateStyle: "medium",
      timeStyle: "short",
    });
    if (dateFormats.size > 500) dateFormats.clear();
    dateFormats.set(key, format);
  }
  return format;
}

export function slackDate(date: Date, locale: Locale, timeZone: string): string {
  const fallback = dateFormat(locale, timeZone).format(date);
  return `<!date^${Math.floor(date.getTime() / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}
