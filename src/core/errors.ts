// Every user-facing failure is an AppError with a stable code; each code has a
// ja and an en message (src/i18n). Users see the message; operators see the
// cause and stack in the log. Validation errors also carry per-field problems,
// so a Slack modal can show each one under its own input.
import { type Locale, type MessageKey, t } from "../i18n/index.js";

export const ERROR_CODES = ["internal", "validation", "forbidden", "not_found", "conflict", "rate_limited"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type Params = Record<string, string | number>;

export interface FieldProblem {
  readonly key: MessageKey;
  readonly params?: Params;
}

export class AppError extends Error {
  readonly key: MessageKey | undefined;
  readonly fields: Readonly<Record<string, FieldProblem>>;

  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
    options?: { cause?: unknown; key?: MessageKey; fields?: Record<string, FieldProblem> },
  ) {
    super(`${options?.key ?? code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ""}`, options);
    this.name = "AppError";
    this.key = options?.key;
    this.fields = options?.fields ?? {};
    if (options?.fields) this.message += ` fields=${Object.keys(options.fields).join(",")}`;
  }

  /** The message for the person who caused it, in their language. */
  localized(locale: Locale): string {
    if (this.key) return t(locale, this.key, this.params);
    const entries = Object.entries(this.fields);
    if (this.code === "validation" && entries.length > 0) {
      const details = entries
        .map(([field, problem]) => `${fieldLabel(locale, field)}: ${t(locale, problem.key, problem.params)}`)
        .join(locale === "ja" ? "、" : "; ");
      return t(locale, "error.validation", { details });
    }
    return t(locale, `error.${this.code}` as MessageKey, this.params);
  }

  /** Per-field messages in the person's language (for forms). */
  localizedFields(locale: Locale): Record<string, string> {
    return Object.fromEntries(Object.entries(this.fields).map(([f, p]) => [f, t(locale, p.key, p.params)]));
  }
}

function fieldLabel(locale: Locale, field: string): string {
  const key = `field.${field}` as MessageKey;
  const text = t(locale, key);
  return text === key ? field : text;
}

/** A validation error about one field. */
export function fieldError(field: string, key: MessageKey, params?: Params): AppError {
  return new AppError("validation", {}, { fields: { [field]: params ? { key, params } : { key } } });
}

/** Anything thrown becomes an AppError; unknown failures become `internal` with a reference id. */
export function toAppError(err: unknown, ref: string): AppError {
  return err instanceof AppError ? err : new AppError("internal", { ref }, { cause: err });
}
