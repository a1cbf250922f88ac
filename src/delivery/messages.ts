// What an outbox row asks the dispatcher to send. Payloads carry ids, not copies
// of personal data: the sender renders at send time from the database, so a
// member's latest privacy choices (and erasure) apply to messages still queued.
import { z } from "zod";

export const ZHrInterestPayload = z.object({
  type: z.literal("hr.interest"),
  interestId: z.uuid(),
  postingId: z.uuid(),
  personId: z.uuid(),
});

export const ZHrReferralPayload = z.object({
  type: z.literal("hr.referral"),
  referralId: z.uuid(),
  postingId: z.uuid().nullable(),
});

/** To the referrer in Slack, rendered in their language at send time. */
export const ZReferralStatusDmPayload = z.object({
  type: z.literal("slack.referral_status"),
  referralId: z.uuid(),
  changeId: z.uuid(),
});

export const ZOutboxPayload = z.discriminatedUnion("type", [
  ZHrInterestPayload,
  ZHrReferralPayload,
  ZReferralStatusDmPayload,
]);
export type TOutboxPayload = z.infer<typeof ZOutboxPayload>;

/** Outbox `kind` values written by the core; the dispatcher renders each. */
export const OUTBOX_KINDS = {
  hrInterest: "hr.interest",
  hrReferral: "hr.referral",
  referralStatusDm: "slack.referral_status",
} as const;
