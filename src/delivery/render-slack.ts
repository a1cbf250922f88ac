// Slack renderings of outbox messages, made at send time from the database: a
// row carries ids, so what goes out is the subject's current state (a posting
// closed since it was queued shows as closed) in the recipient's current
// language, and nothing at all once the subject is gone or the recipient erased.
// Channel posts (no recipient) use the workspace's default language.
import type { Db } from "../core/db.js";
import type { Event, OutboxMessage, Posting, RsvpResponse } from "../generated/prisma/client.js";
import { type Locale, t } from "../i18n/index.js";
import {
  actions,
  type Block,
  button,
  context,
  fieldsSection,
  header,
  type SlackMessage,
  section,
  slackDate,
} from "../platforms/slack/blocks/common.js";
import { eventBlocks } from "../platforms/slack/blocks/events.js";
import { postingBlocks } from "../platforms/slack/blocks/postings.js";
import { clip, escapeMrkdwn } from "../platforms/slack/escape.js";
import { type TOutboxPayload, ZOutboxPayload } from "./messages.js";
import { DeliveryError } from "./sender.js";

/**
 * Subjects shared by many DMs of one fan-out (the posting of 10,000 job alerts,
 * the event of 10,000 reminders), kept for a moment so each DM does not read
 * them again. Only DM kinds that many recipients share use it, and only for a
 * couple of seconds; the recipient (erasure, language) is always read fresh,
 * and channel posts and their edits always read the current state.
 */
export class RenderCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.value as Promise<T>;
    if (this.entries.size > 1_000) {
      for (const [k, e] of this.entries) if (now - e.at >= this.ttlMs) this.entries.delete(k);
    }
    const value = load();
    this.entries.set(key, { at: now, value });
    // A failed load is not remembered.
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

export interface RenderSlackOptions {
  prisma: Db;
  row: OutboxMessage;
  /** Share subjects between the DMs of one fan-out (see RenderCache). */
  cache?: RenderCache;
  /** Language for channel posts and for recipients who chose none. Default "ja". */
  defaultLocale?: Locale;
  /** The send time (reminders for events that already started are skipped). */
  now?: Date;
}

/** Who a DM is for: their language and person id (null for channel posts). */
interface Audience {
  locale: Locale;
  personId: string | null;
}

/**
 * The Slack message for an outbox row, or null when there is nothing to send any
 * more (the subject was deleted, a survey was already answered, the recipient was
 * erased or has no Slack account). Throws a permanent DeliveryError for a row that
 * can never be rendered (not a Slack payload, unreadable payload).
 */
export async function renderSlackOutbox(options: RenderSlackOptions): Promise<SlackMessage | null> {
  const { prisma, row } = options;
  const defaultLocale = options.defaultLocale ?? "ja";
  let audience: Audience = { locale: defaultLocale, personId: null };
  if (row.recipientId) {
    // One raw statement: this runs for every DM of a fan-out.
    const people = await prisma.$queryRaw<{ status: string; locale: Locale | null; has_slack: boolean }[]>`
      SELECT p.status::text AS status, p.locale::text AS locale,
             EXISTS (SELECT 1 FROM slack_identities si WHERE si.person_id = p.id) AS has_slack
      FROM people p WHERE p.id = ${row.recipientId}::uuid`;
    const person = people[0];
    // Erasure deletes the Slack identity and empties the row's payload: check the person first.
    if (person?.status !== "active" || !person.has_slack) return null;
    audience = { locale: person.locale ?? defaultLocale, personId: row.recipientId };
  }
  const parsed = ZOutboxPayload.safeParse(row.payload);
  if (!parsed.success) {
    throw new DeliveryError("permanent", `outbox row ${row.id} (${row.kind}): unreadable payload`);
  }
  return renderPayload(prisma, parsed.data, audience, options.now ?? new Date(), options.cache);
}

async function renderPayload(
  prisma: Db,
  payload: TOutboxPayload,
  audience: Audience,
  now: Date,
  cache: RenderCache | undefined,
): Promise<SlackMessage | null> {
  const { locale } = audience;
  switch (payload.type) {
    case "slack.posting_announcement":
    case "slack.posting_update": {
      const posting = await prisma.posting.findUnique({ where: { id: payload.postingId } });
      if (!posting || posting.status === "draft") return null;
      return postingAnnouncement(locale, posting, payload.type === "slack.posting_update");
    }
    case "slack.event_announcement":
    case "slack.event_update": {
      const found = await loadEvent(prisma, payload.eventId, null);
      return found && eventAnnouncement(locale, found.event, found.counts);
    }
    case "slack.event_cancelled": {
      const found = await loadEvent(prisma, payload.eventId, null);
      return found && eventCancelledDm(locale, found.event, found.counts);
    }
    case "slack.event_changed": {
      if (!audience.personId) return null;
      const found = await loadEvent(prisma, payload.eventId, audience.personId);
      if (found?.event.status !== "scheduled" || found.event.startsAt <= now || !found.mine) return null;
      return eventChangedDm(locale, found.event, found.counts, found.mine);
    }
    case "slack.referral_status":
      return referralStatusDm(prisma, payload, audience);
    case "slack.broadcast":
      return broadcastDm(locale, payload.text, payload.senderName);
    case "slack.job_alert": {
      const load = () => prisma.posting.findUnique({ where: { id: payload.postingId } });
      const posting = await (cache ? cache.get(`posting:${payload.postingId}`, load) : load());
      if (posting?.status !== "open") return null;
      return jobAlertDm(locale, posting);
    }
    case "slack.event_reminder": {
      if (!audience.personId) return null;
      const found = await loadEvent(prisma, payload.eventId, audience.personId, cache);
      // Nothing to remind of: cancelled, already started, or the member no longer plans to come.
      if (found?.event.status !== "scheduled" || found.event.startsAt <= now) return null;
      if (found.mine !== "going" && found.mine !== "maybe") return null;
      return eventReminderDm(locale, found.event, found.counts, found.mine, payload.offsetMs);
    }
    case "slack.homecoming_wish": {
      const response = await openSurveyResponse(prisma, payload.surveyResponseId, audience);
      const event = response && (await prisma.event.findUnique({ where: { id: payload.eventId } }));
      if (!response || event?.status !== "scheduled") return null;
      return homecomingWishDm(locale, event, response.id);
    }
    case "slack.survey_invite": {
      const response = await openSurveyResponse(prisma, payload.surveyResponseId, audience);
      return response && surveyInviteDm(locale, response.id);
    }
    case "member.joinDecision": {
      if (!audience.personId) return null;
      const request = await prisma.joinRequest.findUnique({
        where: { id: payload.joinRequestId },
        select: { number: true, personId: true, status: true, reason: true },
      });
      // Only the person who asked hears of it (erasure deletes their requests).
      if (!request || request.personId !== audience.personId || request.status === "pending") return null;
      return joinDecisionDm(locale, {
        number: request.number,
        approved: request.status === "approved",
        reason: request.reason,
        reapplyFrom: payload.reapplyFrom ?? null,
      });
    }
    default:
      throw new DeliveryError("permanent", `${payload.type} is not a Slack message`);
  }
}

// ── loading ──

interface LoadedEvent {
  event: Event;
  counts: Record<RsvpResponse, number>;
  mine: RsvpResponse | null;
}

async function loadEvent(
  prisma: Db,
  eventId: string,
  viewerId: string | null,
  cache?: RenderCache,
): Promise<LoadedEvent | null> {
  const loadShared = async () => {
    const event = await prisma.event.findUnique({ where: { id: eventId } });
    if (!event) return null;
    const groups = await prisma.rsvp.groupBy({ by: ["response"], where: { eventId }, _count: { _all: true } });
    const counts: Record<RsvpResponse, number> = { going: 0, maybe: 0, not_going: 0 };
    for (const g of groups) counts[g.response] = g._count._all;
    return { event, counts };
  };
  const [shared, mine] = await Promise.all([
    cache ? cache.get(`event:${eventId}`, loadShared) : loadShared(),
    viewerId
      ? prisma.$queryRaw<{ response: RsvpResponse }[]>`
          SELECT response::text AS response FROM rsvps WHERE event_id = ${eventId}::uuid AND person_id = ${viewerId}::uuid`
      : Promise.resolve([]),
  ]);
  return shared && { ...shared, mine: mine[0]?.response ?? null };
}

/** The survey response if it is still the recipient's and not yet answered. */
async function openSurveyResponse(prisma: Db, id: string, audience: Audience) {
  const response = await prisma.surveyResponse.findUnique({ where: { id } });
  if (!response || response.submittedAt) return null;
  // Erasure clears personId; a DM never carries someone else's survey.
  if (!audience.personId || response.personId !== audience.personId) return null;
  return response;
}

// ── renderings (pure) ──

const withoutButtons = (blocks: Block[]) => blocks.filter((b) => b.type !== "actions");

/** Plain fallback text (notifications, screen readers): escaped like any mrkdwn, clipped. */
const fallback = (text: string) => clip(text, 3000);

export function postingAnnouncement(locale: Locale, posting: Posting, isUpdate: boolean): SlackMessage {
  const label = t(locale, posting.kind === "job" ? "delivery.slack.newJob" : "delivery.slack.newGig");
  const closed = posting.status === "closed";
  const blocks: Block[] = [header(label)];
  if (closed) blocks.push(section(t(locale, "delivery.slack.postingClosed")));
  else if (isUpdate && posting.version > 1) blocks.push(context([t(locale, "delivery.slack.postingUpdated")]));
  const body = postingBlocks(locale, posting);
  blocks.push(...(closed ? withoutButtons(body) : body));
  const text = t(locale, "delivery.slack.postingText", {
    label,
    number: posting.number,
    title: escapeMrkdwn(posting.title),
  });
  return { text: fallback(closed ? `🔒 ${text}` : text), blocks };
}

export function eventAnnouncement(locale: Locale, event: Event, counts: Record<RsvpResponse, number>): SlackMessage {
  const label = t(locale, "delivery.slack.newEvent");
  const cancelled = event.status === "cancelled";
  const blocks: Block[] = [header(label)];
  if (cancelled) blocks.push(section(t(locale, "delivery.slack.eventCancelled")));
  const body = eventBlocks(locale, { event, counts, mine: null });
  blocks.push(...(cancelled ? withoutButtons(body) : body));
  const text = t(locale, "delivery.slack.eventText", { label, number: event.number, title: escapeMrkdwn(event.title) });
  return { text: fallback(cancelled ? `🚫 ${text}` : text), blocks };
}

export function eventCancelledDm(locale: Locale, event: Event, counts: Record<RsvpResponse, number>): SlackMessage {
  const text = t(locale, "delivery.slack.eventCancelledDm", { number: event.number, title: escapeMrkdwn(event.title) });
  // The event's details, without counts or buttons.
  const details = eventBlocks(locale, { event, counts, mine: null })[0] as Block;
  return { text: fallback(text), blocks: [section(text), details] };
}

async function referralStatusDm(
  prisma: Db,
  payload: Extract<TOutboxPayload, { type: "slack.referral_status" }>,
  audience: Audience,
): Promise<SlackMessage | null> {
  const [referral, change] = await Promise.all([
    prisma.referral.findUnique({
      where: { id: payload.referralId },
      include: { posting: { select: { number: true, title: true } } },
    }),
    prisma.referralStatusChange.findUnique({ where: { id: payload.changeId } }),
  ]);
  if (!referral || change?.referralId !== referral.id) return null;
  // Only the referrer hears about their candidate.
  if (audience.personId && referral.referrerId !== audience.personId) return null;
  const { locale } = audience;
  const candidate = referral.candidateName
    ? escapeMrkdwn(referral.candidateName)
    : t(locale, "delivery.slack.referralNoName");
  const status = t(locale, `referralStatus.${change.toStatus}`);
  const posting = referral.posting
    ? `#${referral.posting.number} ${escapeMrkdwn(referral.posting.title)}`
    : t(locale, "delivery.slack.referralNoPosting");
  const text = t(locale, "delivery.slack.referralStatusText", { number: referral.number, candidate, status });
  return {
    text: fallback(text),
    blocks: [
      section(t(locale, "delivery.slack.referralStatus")),
      fieldsSection([
        `*${t(locale, "delivery.slack.referralNumber")}*\nR${referral.number}`,
        `*${t(locale, "field.candidateName")}*\n${candidate}`,
        `*${t(locale, "delivery.slack.referralNewStatus")}*\n${status}`,
        `*${t(locale, "delivery.slack.referralPosting")}*\n${posting}`,
      ]),
    ],
  };
}

export function broadcastDm(locale: Locale, message: string, senderName: string | null): SlackMessage {
  const body = escapeMrkdwn(message);
  const from = senderName
    ? t(locale, "delivery.slack.broadcastFrom", { name: escapeMrkdwn(senderName) })
    : t(locale, "delivery.slack.broadcastFromTeam");
  return { text: fallback(body), blocks: [section(body), context([from])] };
}

export function jobAlertDm(locale: Locale, posting: Posting): SlackMessage {
  const intro = t(locale, "delivery.slack.jobAlert");
  return {
    text: fallback(`${intro} #${posting.number} ${escapeMrkdwn(posting.title)}`),
    blocks: [section(intro), ...postingBlocks(locale, posting)],
  };
}

export function eventChangedDm(
  locale: Locale,
  event: Event,
  counts: Record<RsvpResponse, number>,
  mine: RsvpResponse,
): SlackMessage {
  const text = t(locale, "delivery.slack.eventChangedDm", { number: event.number, title: escapeMrkdwn(event.title) });
  return { text: fallback(text), blocks: [section(text), ...eventBlocks(locale, { event, counts, mine })] };
}

export function eventReminderDm(
  locale: Locale,
  event: Event,
  counts: Record<RsvpResponse, number>,
  mine: RsvpResponse,
  offsetMs: number,
): SlackMessage {
  const text = t(locale, "delivery.slack.reminder", {
    number: event.number,
    title: escapeMrkdwn(event.title),
    duration: formatDuration(locale, offsetMs),
  });
  return { text: fallback(text), blocks: [section(text), ...eventBlocks(locale, { event, counts, mine })] };
}

export function homecomingWishDm(locale: Locale, event: Event, surveyResponseId: string): SlackMessage {
  const text = t(locale, "delivery.slack.homecomingWish", { number: event.number, title: escapeMrkdwn(event.title) });
  return {
    text: fallback(text),
    blocks: [
      section(text),
      context([`🗓 ${slackDate(event.startsAt, locale, event.timeZone)}`]),
      actions([
        button(t(locale, "delivery.slack.homecomingWishButton"), "open_homecoming_wish", surveyResponseId, {
          style: "primary",
        }),
      ]),
    ],
  };
}

/** HR decided on a request to join: welcome and what they can do now, or the reason and when to apply again. */
export function joinDecisionDm(
  locale: Locale,
  decision: { number: number; approved: boolean; reason: string | null; reapplyFrom: string | null },
): SlackMessage {
  if (decision.approved) {
    const title = t(locale, "membership.decision.approvedTitle");
    return {
      text: fallback(title),
      blocks: [header(title), section(t(locale, "membership.decision.approved"))],
    };
  }
  const title = t(locale, "membership.decision.rejectedTitle");
  const lines = [t(locale, "membership.decision.rejected", { number: decision.number })];
  if (decision.reason) {
    lines.push(t(locale, "membership.decision.reason", { reason: escapeMrkdwn(decision.reason) }));
  }
  lines.push(
    decision.reapplyFrom
      ? t(locale, "membership.decision.reapplyFrom", { date: decision.reapplyFrom })
      : t(locale, "membership.decision.reapply"),
  );
  return { text: fallback(`${title}: ${lines[0]}`), blocks: [header(title), section(lines.join("\n\n"))] };
}

export function surveyInviteDm(locale: Locale, surveyResponseId: string): SlackMessage {
  const text = t(locale, "delivery.slack.surveyInvite");
  return {
    text: fallback(text),
    blocks: [
      section(text),
      actions([
        button(t(locale, "delivery.slack.surveyButton"), "open_survey", surveyResponseId, { style: "primary" }),
      ]),
    ],
  };
}

const HOUR = 3_600_000;

/** "2 days 3 hours" / "2日3時間": whole days and hours (minutes below an hour), in the reader's language. */
/** Intl formatters are costly to create and this runs for every reminder: one per language and unit. */
const unitFormats = new Map<string, Intl.NumberFormat>();
const listFormats = new Map<string, Intl.ListFormat>();

export function formatDuration(locale: Locale, ms: number): string {
  const unit = (value: number, name: "day" | "hour" | "minute") => {
    const key = `${locale}|${name}`;
    let format = unitFormats.get(key);
    if (!format) {
      format = new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "long" });
      unitFormats.set(key, format);
    }
    return format.format(value);
  };
  let parts: string[];
  if (ms < HOUR) {
    parts = [unit(Math.max(1, Math.round(ms / 60_000)), "minute")];
  } else {
    const hours = Math.round(ms / HOUR);
    const days = Math.floor(hours / 24);
    parts = [days > 0 && unit(days, "day"), hours % 24 > 0 && unit(hours % 24, "hour")].filter(
      (p): p is string => typeof p === "string",
    );
  }
  let list = listFormats.get(locale);
  if (!list) {
    list = new Intl.ListFormat(locale, { type: "unit", style: "long" });
    listFormats.set(locale, list);
  }
  const joined = list.format(parts);
  // ICU writes "1 日 12 時間"; Japanese reads better without the spaces.
  return locale === "ja" ? joined.replaceAll(/\s+/g, "") : joined;
}
