// Upcoming events with RSVP buttons; the same buttons appear on announcements.
import type { UpcomingEvent } from "../../../core/events/list-upcoming-events.js";
import type { Event, RsvpResponse } from "../../../generated/prisma/client.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { clip, escapeMrkdwn } from "../escape.js";
import { actions, button, context, divider, header, type SlackMessage, section, slackDate } from "./common.js";

export const RSVP_RESPONSES: RsvpResponse[] = ["going", "maybe", "not_going"];

export function rsvpButtons(locale: Locale, event: Pick<Event, "number">, mine: RsvpResponse | null) {
  return actions(
    RSVP_RESPONSES.map((r) =>
      button(
        `${mine === r ? "✓ " : ""}${t(locale, `rsvp.${r}` as MessageKey)}`,
        `event_rsvp_${r}`,
        String(event.number),
        mine === r ? { style: "primary" } : {},
      ),
    ),
    `event_${event.number}`,
  );
}

export function eventBlocks(locale: Locale, item: UpcomingEvent) {
  const { event, counts, mine } = item;
  const where = [event.place && `📍 ${escapeMrkdwn(event.place)}`, event.url && escapeMrkdwn(event.url)]
    .filter(Boolean)
    .join("  ");
  const lines = [
    `*#${event.number} ${escapeMrkdwn(event.title)}* (${t(locale, `eventKind.${event.kind}` as MessageKey)})`,
    `🗓 ${slackDate(event.startsAt, locale, event.timeZone)}`,
    where,
    event.description ? escapeMrkdwn(clip(event.description, 500)) : "",
  ].filter(Boolean);
  return [
    section(lines.join("\n")),
    context([
      t(locale, "events.counts", { going: counts.going, maybe: counts.maybe, capacity: event.capacity ?? "—" }),
      ...(mine ? [t(locale, "events.yourAnswer", { answer: t(locale, `rsvp.${mine}` as MessageKey) })] : []),
    ]),
    rsvpButtons(locale, event, mine),
  ];
}

export function eventsMessage(locale: Locale, events: UpcomingEvent[]): SlackMessage {
  if (events.length === 0) {
    const text = t(locale, "events.none");
    return { text, blocks: [section(text)] };
  }
  const blocks = [header(t(locale, "events.title"))];
  for (const item of events) blocks.push(divider(), ...eventBlocks(locale, item));
  return { text: t(locale, "events.title"), blocks };
}
