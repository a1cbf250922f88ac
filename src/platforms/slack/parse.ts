// Parsing `/alumni <subcommand> <args>`: the public interface, so names are fixed.
import { fieldError } from "../../core/errors.js";
import { SUBCOMMANDS, type Subcommand } from "./blocks/messages.js";

export interface ParsedCommand {
  name: Subcommand;
  args: string;
  /** Set when the text named no known subcommand. */
  unknown?: string;
}

export const MAX_COMMAND_TEXT = 500;

export function parseAlumniCommand(text: string | undefined): ParsedCommand {
  const trimmed = (text ?? "").normalize("NFC").trim();
  if (trimmed === "") return { name: "help", args: "" };
  const match = /^(\S+)\s*([\s\S]*)$/u.exec(trimmed);
  const word = (match?.[1] ?? "").toLowerCase();
  const args = (match?.[2] ?? "").trim();
  if ((SUBCOMMANDS as readonly string[]).includes(word)) {
    if (trimmed.length > MAX_COMMAND_TEXT) throw fieldError("text", "validation.tooLong", { max: MAX_COMMAND_TEXT });
    return { name: word as Subcommand, args };
  }
  return { name: "help", args: "", unknown: word };
}

export function splitWords(args: string): string[] {
  return args.split(/[\s\u3000]+/u).filter(Boolean);
}

/** `<@U123>` or `<@U123|name>` (Slack escapes mentions in command text) or a bare user id. */
export function parseUserMention(args: string): string | null {
  const text = args.trim();
  const escaped = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(text);
  if (escaped) return escaped[1] ?? null;
  return /^[UW][A-Z0-9]{6,}$/.test(text) ? text : null;
}
