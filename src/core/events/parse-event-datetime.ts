// When an event starts, from what a community manager typed: `12月5日 19時`,
// `2026-12-05 19:00`, `Dec 5 7pm`, `明日 19時`, ... (chrono-node, ja and en).
// The wall-clock time is read in the given IANA zone, with that zone's offset
// on that date (DST included), unless the text names its own offset or zone.
// The whole text must be a date and time: chrono finding a date somewhere in
// a sentence is not enough.
import * as chrono from "chrono-node";
import type { Locale } from "../../i18n/index.js";
import { fieldError } from "../errors.js";
import {
  canonicalTimeZone,
  isValidWallTime,
  timeZoneOffsetMinutes,
  type WallTime,
  wallTimeAt,
  zonedTimeToUtc,
} from "../time-zone.js";

/** An event must start at least this far ahead. */
export const MIN_EVENT_LEAD_MS = 5 * 60_000;
/** An event may start at most this many years ahead. */
export const MAX_EVENT_YEARS_AHEAD = 2;

/** True when an event starting at `startsAt` is in the past or too close to `now` to announce. */
export function isTooSoon(startsAt: Date, now: Date): boolean {
  return startsAt.getTime() <= now.getTime() + MIN_EVENT_LEAD_MS;
}

/** True when `startsAt` is further ahead than events may be scheduled. */
export function isTooFar(startsAt: Date, now: Date): boolean {
  const limit = new Date(now);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_EVENT_YEARS_AHEAD);
  return startsAt.getTime() > limit.getTime();
}

const parsers: Record<Locale, chrono.Chrono> = { ja: chrono.ja.casual, en: chrono.en.casual };

// What may be left around the date once chrono has matched it: blanks,
// punctuation, and "from" (`19時から`, `19時〜`).
const FILLER = /^[\s、。,.!！?？]*(?:から|より|〜|~|-)?[\s、。,.!！?？]*$/u;

// `+09:00`, `-0500`, `UTC+9`, `GMT-05:30` after a blank, at the very end.
const OFFSET_SUFFIX = /\s(?:(UTC|GMT)\s?([+-])(\d{1,2})(?::?(\d{2}))?|([+-])(\d{2}):?(\d{2}))$/iu;

function offsetMinutes(match: RegExpExecArray): number | null {
  const [, prefix, prefixedSign, prefixedHours, prefixedMinutes, sign, hours, minutes] = match;
  const h = Number(prefix ? prefixedHours : hours);
  const m = Number((prefix ? prefixedMinutes : minutes) ?? 0);
  if (h > 14 || m >= 60) return null;
  return ((prefix ? prefixedSign : sign) === "-" ? -1 : 1) * (h * 60 + m);
}

type Parsed = chrono.ParsedResult;

function wholeTextResult(parser: chrono.Chrono, text: string, ref: chrono.ParsingReference): Parsed | null {
  const results = parser.parse(text, ref, { forwardDate: true });
  if (results.length !== 1) return null;
  const [result] = results as [Parsed];
  const before = text.slice(0, result.index);
  const after = text.slice(result.index + result.text.length);
  return /^\s*$/u.test(before) && FILLER.test(after) ? result : null;
}

export function parseEventDateTime(options: { text: string; timeZone: string; now?: Date; locale?: Locale }): {
  startsAt: Date;
} {
  const now = options.now ?? new Date();
  const timeZone = canonicalTimeZone(options.timeZone);
  if (!timeZone) throw fieldError("timeZone", "validation.timeZone");
  const text = options.text.normalize("NFKC").replace(/\s+/gu, " ").trim();
  if (text === "" || text.length > 100) throw fieldError("startsAt", "event.badDate");

  // A numeric offset at the end (`19:00 +09:00`, `UTC-5`) is taken off first:
  // chrono would read `19:00 -05:00` as a range of times.
  const suffix = OFFSET_SUFFIX.exec(text);
  const explicitOffset = suffix ? offsetMinutes(suffix) : null;
  const dateText = suffix && explicitOffset !== null ? text.slice(0, suffix.index) : text;

  // Relative words (明日, tomorrow) and a missing year are read against today in the zone.
  const ref: chrono.ParsingReference = { instant: now, timezone: timeZoneOffsetMinutes(timeZone, now) };
  const order: Locale[] = options.locale === "en" ? ["en", "ja"] : ["ja", "en"];
  let result: Parsed | null = null;
  for (const locale of order) {
    result = wholeTextResult(parsers[locale], dateText, ref);
    if (result) break;
  }
  if (!result) throw fieldError("startsAt", "event.badDate");

  const start = result.start;
  if (!start.isCertain("hour")) throw fieldError("startsAt", "event.needTime");
  if (!start.isCertain("day") && !start.isCertain("weekday")) throw fieldError("startsAt", "event.needDate");

  const wall: WallTime = {
    year: start.get("year") ?? 0,
    month: start.get("month") ?? 0,
    day: start.get("day") ?? 0,
    hour: start.get("hour") ?? 0,
    minute: start.get("minute") ?? 0,
    second: start.get("second") ?? 0,
  };
  // forwardDate moves a date without a year to next year once it has passed,
  // also when only the hour has passed today: keep today's date (it is refused
  // as past below) rather than reading it as a year from now.
  const today = wallTimeAt(now, timeZone);
  if (!start.isCertain("year") && wall.year > today.year && wall.month === today.month && wall.day === today.day) {
    wall.year = today.year;
  }
  if (!isValidWallTime(wall)) throw fieldError("startsAt", "event.badDate");

  const named = start.isCertain("timezoneOffset") ? start.get("timezoneOffset") : null;
  if (named !== null && explicitOffset !== null) throw fieldError("startsAt", "event.badDate");
  const offset = explicitOffset ?? named;
  const startsAt =
    offset === null
      ? zonedTimeToUtc(wall, timeZone)
      : new Date(
          Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second ?? 0) - offset * 60_000,
        );
  if (isTooSoon(startsAt, now)) {
    throw fieldError("startsAt", "event.pastDate", { minutes: MIN_EVENT_LEAD_MS / 60_000 });
  }
  if (isTooFar(startsAt, now)) throw fieldError("startsAt", "event.tooFar", { years: MAX_EVENT_YEARS_AHEAD });
  return { startsAt };
}
