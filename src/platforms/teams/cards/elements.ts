// Adaptive Card building blocks (schema 1.5, what Teams renders). Buttons are
// Action.Execute (Universal Actions): Teams sends an `adaptiveCard/action`
// invoke and shows the card we answer with. Clients that fall back to
// Action.Submit send the same `data` (with `verb`) as a message value, and the
// bot handles both.
import type { Locale } from "../../../i18n/index.js";
import { cardText } from "../escape.js";

export type Element = Record<string, unknown>;
export type Card = Record<string, unknown> & { type: "AdaptiveCard" };

export const CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

export function card(body: Element[], actions: Element[] = []): Card {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.5",
    body,
    ...(actions.length ? { actions } : {}),
  };
}

export function heading(text: string): Element {
  return { type: "TextBlock", text, weight: "Bolder", size: "Medium", wrap: true };
}

/** Our own words (may use markdown). */
export function text(value: string, extra: Element = {}): Element {
  return { type: "TextBlock", text: value, wrap: true, ...extra };
}

/** Someone else's words: markdown links and list markers defanged. */
export function userText(value: string, extra: Element = {}): Element {
  return { type: "TextBlock", text: cardText(value), wrap: true, ...extra };
}

export function errorText(value: string): Element {
  return { type: "TextBlock", text: value, wrap: true, color: "Attention", weight: "Bolder" };
}

export function facts(pairs: [string, string | null | undefined][]): Element {
  return {
    type: "FactSet",
    facts: pairs
      .filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([title, v]) => ({ title, value: cardText(String(v)) })),
  };
}

export interface Data {
  verb: string;
  [key: string]: unknown;
}

export function execute(title: string, data: Data, style?: "positive" | "destructive"): Element {
  return { type: "Action.Execute", title, verb: data.verb, data, ...(style ? { style } : {}) };
}

/** A text input, followed by the server's error for it when there is one. */
export function inputText(
  id: string,
  label: string,
  options: {
    value?: string | null;
    placeholder?: string;
    multiline?: boolean;
    maxLength?: number;
    error?: string;
  } = {},
): Element[] {
  const input: Element = {
    type: "Input.Text",
    id,
    label,
    ...(options.value ? { value: options.value } : {}),
    ...(options.placeholder ? { placeholder: options.placeholder } : {}),
    ...(options.multiline ? { isMultiline: true } : {}),
    ...(options.maxLength ? { maxLength: options.maxLength } : {}),
  };
  return withError([input], options.error);
}

export function withError(elements: Element[], error: string | undefined): Element[] {
  return error ? [...elements, errorText(error)] : elements;
}

export function choiceSet(
  id: string,
  label: string,
  choices: { title: string; value: string }[],
  options: { value?: string | null; compact?: boolean } = {},
): Element {
  return {
    type: "Input.ChoiceSet",
    id,
    label,
    choices,
    style: options.compact === false ? "expanded" : "compact",
    ...(options.value ? { value: options.value } : {}),
  };
}

export function inputDate(id: string, label: string, value?: string | null): Element {
  return { type: "Input.Date", id, label, ...(value ? { value } : {}) };
}

export function toggle(id: string, title: string, value: boolean): Element {
  return { type: "Input.Toggle", id, title, value: value ? "true" : "false", valueOn: "true", valueOff: "false" };
}

/** A moment in the reader's language and time zone, date and time (for facts on a card). */
export function dateTimeText(locale: Locale, timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", {
    timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(at);
}
