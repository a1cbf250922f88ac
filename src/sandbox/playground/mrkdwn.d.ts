// Types for mrkdwn.js (the page's own module, plain JavaScript served as is), for the unit test.

export type MrkdwnToken =
  | { type: "text"; text: string }
  | { type: "br" }
  | { type: "bold" | "italic" | "strike" | "quote"; children: MrkdwnToken[] }
  | { type: "code" | "pre"; text: string }
  | { type: "link"; url: string; text: string }
  | { type: "user"; id: string; label: string | null }
  | { type: "channel"; id: string; name: string | null }
  | { type: "broadcast"; name: "here" | "channel" | "everyone" }
  | { type: "date"; unix: number; format: string; link: string | null; fallback: string }
  | { type: "emoji"; name: string; text: string };

export type SimpleInlineToken =
  | { type: "text"; text: string }
  | { type: "link"; url: string; text: string }
  | { type: "bold" | "italic"; children: SimpleInlineToken[] };

export type SimpleBlockToken =
  | { type: "line"; children: SimpleInlineToken[] }
  | { type: "list"; ordered: boolean; items: SimpleInlineToken[][] };

export interface MrkdwnContext {
  locale?: "ja" | "en";
  userName?: (id: string) => string | undefined;
  channelName?: (id: string) => string | undefined;
  now?: number;
  timeZone?: string;
}

/** A DOM DocumentFragment (the repo compiles without the DOM library). */
export type DomFragment = object;

export const EMOJI: Record<string, string>;
export function decodeEntities(text: string): string;
export function emojify(text: string): string;
export function isSafeUrl(url: unknown): boolean;
export function parseMrkdwn(text: string): MrkdwnToken[];
export function formatSlackDate(
  unix: number,
  format: string,
  locale: "ja" | "en",
  now?: number,
  timeZone?: string,
): string | null;
export function renderMrkdwn(text: string, ctx?: MrkdwnContext): DomFragment;
export function parseSimpleMarkdown(text: string): SimpleBlockToken[];
export function renderSimpleMarkdown(text: string): DomFragment;
export function escapeHtml(text: string): string;
export function simpleMarkdownToHtml(text: string): string;
