// Weeks of the weekly digest. A digest covers one Monday-to-Sunday week in the
// company's time zone (`weekStart` is that Monday, YYYY-MM-DD) and is posted
// the following Monday at 09:00 in that zone.
import { wallTimeAt, zonedTimeToUtc } from "../time-zone.js";

export const DIGEST_HOUR = 9;
const DAY_MS = 86_400_000;

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

function addDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function formatDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

export function parseDate(text: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`not a date: ${text}`);
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
}

/** The latest digest slot at or before `at`: when it is posted and which week it covers. */
export function latestDigestSlot(at: Date, timeZone: string): { postAt: Date; weekStart: string } {
  const wall = wallTimeAt(at, timeZone);
  const today: CalendarDate = { year: wall.year, month: wall.month, day: wall.day };
  const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay(); // 0 = Sunday
  let monday = addDays(today, -((weekday + 6) % 7));
  let postAt = zonedTimeToUtc({ ...monday, hour: DIGEST_HOUR, minute: 0 }, timeZone);
  if (postAt.getTime() > at.getTime()) {
    monday = addDays(monday, -7);
    postAt = zonedTimeToUtc({ ...monday, hour: DIGEST_HOUR, minute: 0 }, timeZone);
  }
  return { postAt, weekStart: formatDate(addDays(monday, -7)) };
}

/** The instants a digest week runs between: [from, to), local midnights in `timeZone`. */
export function digestWeekRange(weekStart: string, timeZone: string): { from: Date; to: Date } {
  const start = parseDate(weekStart);
  return {
    from: zonedTimeToUtc({ ...start, hour: 0, minute: 0 }, timeZone),
    to: zonedTimeToUtc({ ...addDays(start, 7), hour: 0, minute: 0 }, timeZone),
  };
}
