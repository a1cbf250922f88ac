// IANA time zones with the platform's Intl data: is a name valid, what is a
// zone's UTC offset at an instant, and which instant is a wall-clock time in a
// zone. Times are stored in UTC; these turn what a person typed into an instant.

/** A calendar date and time of day as read on a clock in some zone (month 1..12). */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second?: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      era: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's canonical name ("asia/tokyo" → "Asia/Tokyo"), or null if Intl does not know it. */
export function canonicalTimeZone(timeZone: string): string | null {
  if (timeZone.trim() === "" || timeZone !== timeZone.trim()) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The wall-clock time in `timeZone` at `instant` (seconds precision). */
export function wallTimeAt(instant: Date, timeZone: string): Required<WallTime> {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  const year = Number(parts.year);
  return {
    year: parts.era === "BC" || parts.era === "B" ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function wallTimeMs(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second ?? 0, 0);
  return d.getTime();
}

/** The zone's offset from UTC in minutes at `instant` (Asia/Tokyo → 540, New York in winter → -300). */
export function timeZoneOffsetMinutes(timeZone: string, instant: Date): number {
  const whole = Math.floor(instant.getTime() / 1000) * 1000;
  return Math.round((wallTimeMs(wallTimeAt(new Date(whole), timeZone)) - whole) / 60_000);
}

/** True when the fields name a real calendar date and time (no 2月30日, no 25時). */
export function isValidWallTime(w: WallTime): boolean {
  const ms = wallTimeMs(w);
  if (Number.isNaN(ms)) return false;
  const d = new Date(ms);
  return (
    d.getUTCFullYear() === w.year &&
    d.getUTCMonth() === w.month - 1 &&
    d.getUTCDate() === w.day &&
    d.getUTCHours() === w.hour &&
    d.getUTCMinutes() === w.minute &&
    d.getUTCSeconds() === (w.second ?? 0)
  );
}

/**
 * The instant a wall-clock time in `timeZone` names. The offset is looked up
 * for that date (not today's), so a time after a DST change gets the new
 * offset. Like Temporal's "compatible" choice: a time that happens twice
 * (clocks turned back) is its first occurrence; a time skipped by clocks
 * turned forward is read with the offset before the change (02:30 → 03:30).
 */
export function zonedTimeToUtc(wall: WallTime, timeZone: string): Date {
  const local = wallTimeMs(wall);
  const day = 86_400_000;
  const before = timeZoneOffsetMinutes(timeZone, new Date(local - day));
  const after = timeZoneOffsetMinutes(timeZone, new Date(local + day));
  const candidates = [...new Set([before, after])]
    .map((offset) => local - offset * 60_000)
    .filter((t) => t + timeZoneOffsetMinutes(timeZone, new Date(t)) * 60_000 === local)
    .sort((a, b) => a - b);
  return new Date(candidates[0] ?? local - before * 60_000);
}
