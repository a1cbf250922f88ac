// What the dispatcher asks of a platform sender, and how a sender reports failure.
import type { OutboxMessage } from "../generated/prisma/client.js";

/** The purpose under which an announcement's platform address is stored, so its edits find it. */
export const ANNOUNCEMENT_PURPOSE = "announcement";

/** Where a sent message landed, stored as a PlatformMessageRef so it can be edited later. */
export type MessageRef =
  | { platform: "slack"; slackChannel: string; slackTs: string }
  | { platform: "teams"; teamsConversationId: string; teamsActivityId: string };

export type SendOutcome =
  /** Sent; `ref` when the platform gave us an address for it. */
  | { status: "sent"; ref?: MessageRef }
  /** Nothing to send any more (the subject is gone, the recipient left): done, not an error. */
  | { status: "skipped"; reason: string };

export type FailureKind =
  /** Worth trying again later with backoff (network, 5xx, timeouts). */
  | "transient"
  /** The platform said slow down: pause the row's rate key for `retryAfterMs`. */
  | "rate_limited"
  /** Will never work (invalid channel, bad payload, not allowed): dead-letter at once. */
  | "permanent";

export class DeliveryError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DeliveryError";
  }
}

/** What the dispatcher lends a sender for one row. */
export interface SendHooks {
  /**
   * Await right before the platform request leaves (after rendering): it waits,
   * if need be, until the rate limit has room, and records the use at that moment.
   * Not calling it means nothing was sent.
   */
  beforeSend?(): Promise<void>;
}

export interface Sender {
  send(row: OutboxMessage, hooks?: SendHooks): Promise<SendOutcome>;
}
