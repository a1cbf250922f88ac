// What an outbox row asks the dispatcher to send. Payloads carry ids, not copies
// of personal data: the sender renders at send time from the database, so a
// member's latest privacy choices (and erasure) apply to messages still queued.
// (A broadcast carries its text: it is HR's words, not a member's data.)
import { z } from "zod";

/** Teams, to HR: a member said "Interested" (rendered with only what they allowed HR to see). */
export const ZHrInterestPayload = z.object({
  type: z.literal("hr.interest"),
  interestId: z.uuid(),
  postingId: z.uuid(),
  personId: z.uuid(),
});

/** Teams, to HR: a new referral, with status actions. */
export const ZHrReferralPayload = z.object({
  type: z.literal("hr.referral"),
  referralId: z.uuid(),
  postingId: z.uuid().nullable(),
});

/** Slack DM to the referrer, rendered in their language at send time. */
export const ZReferralStatusDmPayload = z.object({
  type: z.literal("slack.referral_status"),
  referralId: z.uuid(),
  changeId: z.uuid(),
});

/** Slack, alumni channel: announce a published posting (operation post). */
export const ZPostingAnnouncementPayload = z.object({
  type: z.literal("slack.posting_announcement"),
  postingId: z.uuid(),
});

/** Slack, alumni channel: edit the posting's announcement to its current state (operation update). */
export const ZPostingUpdatePayload = z.object({
  type: z.literal("slack.posting_update"),
  postingId: z.uuid(),
  version: z.number().int(),
});

/** Slack, alumni channel: announce an event with RSVP buttons (operation post). */
export const ZEventAnnouncementPayload = z.object({
  type: z.literal("slack.event_announcement"),
  eventId: z.uuid(),
});

/** Slack, alumni channel: edit the event's announcement (cancelled, changed, RSVP counts). */
export const ZEventUpdatePayload = z.object({
  type: z.literal("slack.event_update"),
  eventId: z.uuid(),
  version: z.number().int(),
});

/** Slack DM to a member who RSVP'd: the event was cancelled. */
export const ZEventCancelledDmPayload = z.object({
  type: z.literal("slack.event_cancelled"),
  eventId: z.uuid(),
});

/** Slack DM to one member of a broadcast's segment. */
export const ZBroadcastDmPayload = z.object({
  type: z.literal("slack.broadcast"),
  broadcastId: z.string().min(1).max(100),
  text: z.string().min(1).max(3000),
  senderName: z.string().max(100).nullable(),
});

export const ZOutboxPayload = z.discriminatedUnion("type", [
  ZHrInterestPayload,
  ZHrReferralPayload,
  ZReferralStatusDmPayload,
  ZPostingAnnouncementPayload,
  ZPostingUpdatePayload,
  ZEventAnnouncementPayload,
  ZEventUpdatePayload,
  ZEventCancelledDmPayload,
  ZBroadcastDmPayload,
]);
export type TOutboxPayload = z.infer<typeof ZOutboxPayload>;
export type OutboxKind = TOutboxPayload["type"];
