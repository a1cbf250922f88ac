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

/** Slack DM to a member who RSVP'd: the event moved (shown as it is now, with RSVP buttons). */
export const ZEventChangedDmPayload = z.object({
  type: z.literal("slack.event_changed"),
  eventId: z.uuid(),
  version: z.number().int(),
});

/** Slack DM to one member of a broadcast's segment. */
export const ZBroadcastDmPayload = z.object({
  type: z.literal("slack.broadcast"),
  broadcastId: z.string().min(1).max(100),
  text: z.string().min(1).max(3000),
  senderName: z.string().max(100).nullable(),
});

/** Slack DM: a newly announced posting matches the member's alerts. */
export const ZJobAlertDmPayload = z.object({
  type: z.literal("slack.job_alert"),
  postingId: z.uuid(),
});

/** Slack DM: an event the member answered going/maybe to starts in `offsetMs`. */
export const ZEventReminderDmPayload = z.object({
  type: z.literal("slack.event_reminder"),
  eventId: z.uuid(),
  offsetMs: z.number().int().positive(),
});

/** Slack DM, a week before a homecoming day: "who would you like to see there?" (a button opens a modal). */
export const ZHomecomingWishDmPayload = z.object({
  type: z.literal("slack.homecoming_wish"),
  eventId: z.uuid(),
  surveyResponseId: z.uuid(),
});

/** Slack DM: a post-exit survey is due (a button opens its modal). */
export const ZSurveyInviteDmPayload = z.object({
  type: z.literal("slack.survey_invite"),
  surveyResponseId: z.uuid(),
});

/** Teams, to community managers: the homecoming wishes collected for an event. */
export const ZHomecomingWishesPayload = z.object({
  type: z.literal("teams.homecoming_wishes"),
  eventId: z.uuid(),
});

/** Teams, to hr conversations that said "notify here": the weekly digest for the week starting `weekStart`. */
export const ZWeeklyDigestPayload = z.object({
  type: z.literal("teams.weekly_digest"),
  weekStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

/** Teams, to every `notify here` conversation: a join that matching could not verify (rendered by getJoinRequest). */
export const ZHrJoinRequestPayload = z.object({
  type: z.literal("hr.joinRequest"),
  joinRequestId: z.uuid(),
});

/** Slack DM to the person who asked to join: HR approved or rejected them (in their language at send time). */
export const ZMemberJoinDecisionPayload = z.object({
  type: z.literal("member.joinDecision"),
  joinRequestId: z.uuid(),
  /** After a rejection that blocks re-applying (JOIN_REJECTIONS_BEFORE_BLOCK): the first day they may (yyyy-mm-dd, UTC). */
  reapplyFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullish(),
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
  ZEventChangedDmPayload,
  ZBroadcastDmPayload,
  ZJobAlertDmPayload,
  ZEventReminderDmPayload,
  ZHomecomingWishDmPayload,
  ZSurveyInviteDmPayload,
  ZHomecomingWishesPayload,
  ZWeeklyDigestPayload,
  ZHrJoinRequestPayload,
  ZMemberJoinDecisionPayload,
]);
export type TOutboxPayload = z.infer<typeof ZOutboxPayload>;
export type OutboxKind = TOutboxPayload["type"];
