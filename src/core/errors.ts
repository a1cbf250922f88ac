// Every user-facing failure is an AppError with a stable code; each code has a
// ja and an en message (src/i18n). Users see the message; operators see the
// cause and stack in the log.
import { type Locale, type MessageKey, t } from "../i18n/index.js";

export const ERROR_CODES = ["internal", "validation", "forbidden", "not_found", "conflict", "rate_limited"] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    options?: { cause?: unknown },
  ) {
    super(`${code}${Object.keys(params).length ? ` ${JSON.stringify(params)}` : ""}`, options);
    this.name = "AppError";
  }

  /** The message for the person who caused it, in their language. */
  localized(locale: Locale): string {
    return t(locale, `error.${this.code}` as MessageKey, this.params);
  }
}

/** Anything thrown becomes an AppError; unknown failures become `internal` with a reference id. */
export function toAppError(err: unknown, ref: string): AppError {
  return err instanceof AppError ? err : new AppError("internal", { ref }, { cause: err });
}
