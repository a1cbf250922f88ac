// Localized text. `t(locale, key, params)` fills {placeholders}; a missing
// parameter is left visible rather than silently dropped.
import { en } from "./en.js";
import { ja, type MessageKey } from "./ja.js";

export type { MessageKey };
export type Locale = "ja" | "en";
export const LOCALES: readonly Locale[] = ["ja", "en"];

const catalogues: Record<Locale, Record<MessageKey, string>> = { ja, en };

export function t(locale: Locale, key: MessageKey, params: Record<string, string | number> = {}): string {
  return (catalogues[locale][key] ?? key).replaceAll(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A supported locale from a platform's locale tag ("ja-JP", "en-US"), else undefined. */
export function localeFromTag(tag: string | undefined | null): Locale | undefined {
  const lower = tag?.toLowerCase();
  if (!lower) return undefined;
  if (lower === "ja" || lower.startsWith("ja-") || lower.startsWith("ja_")) return "ja";
  if (lower === "en" || lower.startsWith("en-") || lower.startsWith("en_")) return "en";
  return undefined;
}
