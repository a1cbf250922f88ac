// Modal submissions: validation errors go back inside the modal
// (response_action: errors), in the language the modal was shown in.
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { AppError, toAppError } from "../../../../core/errors.js";
import type { Locale } from "../../../../i18n/index.js";
import type { Logger } from "../../../../logger.js";

export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** Acknowledge a failed submission: field errors under their inputs, anything else under `fallbackBlock`. */
export async function ackWithError(
  args: ViewArgs,
  logger: Logger,
  locale: Locale,
  err: unknown,
  fallbackBlock: string,
  blockIds: string[],
): Promise<void> {
  const ref = Math.random().toString(36).slice(2, 10);
  const appError = toAppError(err, ref);
  if (appError.code === "internal") logger.error({ err, ref }, "modal submission failed");
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(appError.localizedFields(locale))) {
    errors[blockIds.includes(field) ? field : fallbackBlock] = message;
  }
  if (Object.keys(errors).length === 0) errors[fallbackBlock] = appError.localized(locale);
  await args.ack({ response_action: "errors", errors });
}

export { AppError };
