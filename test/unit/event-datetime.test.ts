// Event start times typed by a community manager, read in a time zone (with its
// DST rules), and the Intl time-zone helper underneath.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { parseEventDateTime } from "../../src/core/events/parse-event-datetime.js";
import {
  canonicalTimeZone,
  isValidWallTime,
  timeZoneOffsetMinutes,
  wallTimeAt,
  zonedTimeToUtc,
} from "../../src/core/time-zone.js";

const NOW = new Date("2026-11-22T01:00:00Z"); // 2026-11-22 10:00 in Tokyo
const TOKYO = "Asia/Tokyo";

const at = (text: string, timeZone = TOKYO, now = NOW, locale?: "ja" | "en") =>
  parseEventDateTime({ text, timeZone, now, ...(locale ? { locale } : {}) }).startsAt.toISOString();

/** The field problem `parseEventDateTime` refuses the text with. */
function refusal(text: string, timeZone = TOKYO, now = NOW) {
  try {
    parseEventDateTime({ text, timeZone, now });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expect(err.code).toBe("validation");
    const [field, problem] = Object.entries(err.fields)[0] ?? [];
    return { field, key: problem?.key, params: problem?.params };
  }
  throw new Error(`expected "${text}" to be refused`);
}

describe("time-zone helper", () => {
  it("knows IANA names and canonicalises them", () => {
    expect(canonicalTimeZone("Asia/Tokyo")).toBe("Asia/Tokyo");
    expect(canonicalTimeZone("asia/tokyo")).toBe("Asia/Tokyo");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    expect(canonicalTimeZone("Mars/Olympus")).toBeNull();
    expect(canonicalTimeZone("")).toBeNull();
    expect(canonicalTimeZone(" Asia/Tokyo")).toBeNull();
  });

  it("gives the offset in force at an instant", () => {
    expect(timeZoneOffsetMinutes(TOKYO, NOW)).toBe(540);
    expect(timeZoneOffsetMinutes("UTC", NOW)).toBe(0);
    expect(timeZoneOffsetMinutes("Asia/Kolkata", NOW)).toBe(330);
    // New York leaves DST at 2026-11-01 02:00 EDT (06:00Z).
    expect(timeZoneOffsetMinutes("America/New_York", new Date("2026-11-01T05:59:59Z"))).toBe(-240);
    expect(timeZoneOffsetMinutes("America/New_York", new Date("2026-11-01T06:00:00Z"))).toBe(-300);
    expect(timeZoneOffsetMinutes("Europe/Berlin", new Date("2026-07-01T00:00:00Z"))).toBe(120);
    expect(timeZoneOffsetMinutes("Europe/Berlin", new Date("2026-12-01T00:00:00Z"))).toBe(60);
  });

  it("reads the wall clock in a zone", () => {
    expect(wallTimeAt(NOW, TOKYO)).toEqual({ year: 2026, month: 11, day: 22, hour: 10, minute: 0, second: 0 });
    expect(wallTimeAt(new Date("2026-12-31T23:30:00Z"), TOKYO)).toMatchObject({ year: 2027, month: 1, day: 1 });
  });

  it("turns a wall-clock time into the instant, with that date's offset", () => {
    const wall = (s: string) => {
      const [y, mo, d, h, mi] = s.split(/[-T:]/).map(Number) as [number, number, number, number, number];
      return { year: y, month: mo, day: d, hour: h, minute: mi };
    };
    const utc = (s: string, tz: string) => zonedTimeToUtc(wall(s), tz).toISOString();
    expect(utc("2026-12-05T19:00", TOKYO)).toBe("2026-12-05T10:00:00.000Z");
    expect(utc("2026-10-30T19:00", "America/New_York")).toBe("2026-10-30T23:00:00.000Z");
    expect(utc("2026-11-05T19:00", "America/New_York")).toBe("2026-11-06T00:00:00.000Z");
    // 01:30 happens twice on 2026-11-01 in New York: the first (EDT) one.
    expect(utc("2026-11-01T01:30", "America/New_York")).toBe("2026-11-01T05:30:00.000Z");
    // 02:30 does not exist on 2027-03-14 in New York: read with the offset before the change (= 03:30 EDT).
    expect(utc("2027-03-14T02:30", "America/New_York")).toBe("2027-03-14T07:30:00.000Z");
    expect(utc("2027-03-28T02:30", "Europe/Berlin")).toBe("2027-03-28T01:30:00.000Z");
    expect(utc("2026-10-25T02:30", "Europe/Berlin")).toBe("2026-10-25T00:30:00.000Z");
  });

  it("refuses impossible calendar dates", () => {
    expect(isValidWallTime({ year: 2026, month: 2, day: 30, hour: 10, minute: 0 })).toBe(false);
    expect(isValidWallTime({ year: 2028, month: 2, day: 29, hour: 10, minute: 0 })).toBe(true);
    expect(isValidWallTime({ year: 2026, month: 12, day: 5, hour: 24, minute: 0 })).toBe(false);
  });
});

describe("parseEventDateTime", () => {
  it.each([
    ["2026-12-05 19:00", "2026-12-05T10:00:00.000Z"],
    ["2026/12/05 19:00", "2026-12-05T10:00:00.000Z"],
    ["2026-12-05T19:00", "2026-12-05T10:00:00.000Z"],
    ["12月5日 19時", "2026-12-05T10:00:00.000Z"],
    ["12月5日19時30分", "2026-12-05T10:30:00.000Z"],
    ["2026年12月5日 19:00", "2026-12-05T10:00:00.000Z"],
    ["12/5 19:00", "2026-12-05T10:00:00.000Z"],
    ["Dec 5 7pm", "2026-12-05T10:00:00.000Z"],
    ["December 5, 2026 19:00", "2026-12-05T10:00:00.000Z"],
    ["明日 19時", "2026-11-23T10:00:00.000Z"],
    ["tomorrow 7pm", "2026-11-23T10:00:00.000Z"],
    ["１２月５日 １９時", "2026-12-05T10:00:00.000Z"],
    ["２０２６／１２／０５ １９：００", "2026-12-05T10:00:00.000Z"],
    ["12月5日 午後7時", "2026-12-05T10:00:00.000Z"],
    ["12月5日 19時から", "2026-12-05T10:00:00.000Z"],
    ["  12月5日   19時  ", "2026-12-05T10:00:00.000Z"],
  ])("reads %s in Tokyo", (text, expected) => {
    expect(at(text)).toBe(expected);
  });

  it("reads the same text the same way whichever language is tried first", () => {
    for (const text of ["12/5 19:00", "12月5日 19時", "Dec 5 7pm", "2026-12-05 19:00"]) {
      expect(at(text, TOKYO, NOW, "en")).toBe(at(text, TOKYO, NOW, "ja"));
    }
  });

  it("takes an offset or zone named in the text over the given zone", () => {
    expect(at("2026-12-05 19:00 +09:00", "America/New_York")).toBe("2026-12-05T10:00:00.000Z");
    expect(at("2026-12-05 19:00 -05:00")).toBe("2026-12-06T00:00:00.000Z");
    expect(at("2026-12-05 19:00 +0530")).toBe("2026-12-05T13:30:00.000Z");
    expect(at("2026-12-05 19:00 UTC")).toBe("2026-12-05T19:00:00.000Z");
    expect(at("2026-12-05 19:00 UTC+9", "Europe/Berlin")).toBe("2026-12-05T10:00:00.000Z");
    expect(at("2026-12-05 19:00 GMT-5")).toBe("2026-12-06T00:00:00.000Z");
    expect(at("2026-12-05T19:00Z")).toBe("2026-12-05T19:00:00.000Z");
    expect(at("2026-12-05T19:00-05:00")).toBe("2026-12-06T00:00:00.000Z");
    expect(at("2026-12-05 19:00 JST", "America/New_York")).toBe("2026-12-05T10:00:00.000Z");
    expect(at("12月5日 19時 +09:00", "UTC")).toBe("2026-12-05T10:00:00.000Z");
    expect(at("Dec 5 7pm -08:00")).toBe("2026-12-06T03:00:00.000Z");
  });

  it("uses the offset of the event's date in New York, across the end of DST (2026-11-01)", () => {
    const before = new Date("2026-10-20T12:00:00Z"); // EDT, UTC-4
    const ny = "America/New_York";
    expect(at("2026-10-30 19:00", ny, before)).toBe("2026-10-30T23:00:00.000Z");
    expect(at("2026-11-05 19:00", ny, before)).toBe("2026-11-06T00:00:00.000Z");
    expect(at("11月5日 19時", ny, before)).toBe("2026-11-06T00:00:00.000Z");
    expect(at("Nov 5 7pm", ny, before)).toBe("2026-11-06T00:00:00.000Z");
    expect(at("2026-11-01 01:30", ny, before)).toBe("2026-11-01T05:30:00.000Z");
    // "Tomorrow" seen on the last EDT day is the first EST day.
    const lastEdtDay = new Date("2026-10-31T16:00:00Z");
    expect(at("tomorrow 7pm", ny, lastEdtDay)).toBe("2026-11-02T00:00:00.000Z");
    expect(at("明日 19時", ny, lastEdtDay)).toBe("2026-11-02T00:00:00.000Z");
  });

  it("uses the offset of the event's date in Berlin, winter and summer", () => {
    expect(at("2026-12-24 18:00", "Europe/Berlin")).toBe("2026-12-24T17:00:00.000Z");
    expect(at("2027-07-01 18:00", "Europe/Berlin")).toBe("2027-07-01T16:00:00.000Z");
    expect(at("2027-03-28 02:30", "Europe/Berlin")).toBe("2027-03-28T01:30:00.000Z");
  });

  it("reads a date without a year as the next such date", () => {
    expect(at("3月1日 10時")).toBe("2027-03-01T01:00:00.000Z");
    expect(at("Jan 15 7pm")).toBe("2027-01-15T10:00:00.000Z");
    expect(at("11/21 19:00")).toBe("2027-11-21T10:00:00.000Z");
    // Today's date with an hour already gone is past, not next year.
    expect(refusal("11月22日 9時")).toMatchObject({ field: "startsAt", key: "event.pastDate" });
    expect(at("11月22日 19時")).toBe("2026-11-22T10:00:00.000Z");
  });

  it("does not depend on the server's own time zone", () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ["America/Los_Angeles", "Asia/Tokyo", "Pacific/Kiritimati"]) {
        process.env.TZ = tz;
        expect(at("12月5日 19時")).toBe("2026-12-05T10:00:00.000Z");
        expect(at("tomorrow 7pm", "America/New_York", new Date("2026-10-31T16:00:00Z"))).toBe(
          "2026-11-02T00:00:00.000Z",
        );
        expect(at("Dec 5 7pm", "Europe/Berlin")).toBe("2026-12-05T18:00:00.000Z");
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("refuses a date without a time, and a time without a date", () => {
    expect(refusal("12月5日")).toEqual({ field: "startsAt", key: "event.needTime", params: undefined });
    expect(refusal("2026-12-05")).toMatchObject({ key: "event.needTime" });
    expect(refusal("明日")).toMatchObject({ key: "event.needTime" });
    expect(refusal("Dec 5")).toMatchObject({ key: "event.needTime" });
    expect(refusal("19時")).toMatchObject({ key: "event.needDate" });
    expect(refusal("7pm")).toMatchObject({ key: "event.needDate" });
  });

  it("refuses the past and the next five minutes", () => {
    expect(refusal("2026-11-21 19:00")).toEqual({ field: "startsAt", key: "event.pastDate", params: { minutes: 5 } });
    expect(refusal("2026-11-22 10:05")).toMatchObject({ key: "event.pastDate" });
    expect(at("2026-11-22 10:06")).toBe("2026-11-22T01:06:00.000Z");
    expect(refusal("now")).toMatchObject({ key: "event.pastDate" });
  });

  it("refuses more than two years ahead", () => {
    expect(refusal("2029-01-01 10:00")).toEqual({ field: "startsAt", key: "event.tooFar", params: { years: 2 } });
    expect(at("2028-11-22 09:00")).toBe("2028-11-22T00:00:00.000Z");
    expect(refusal("2028-11-22 10:01")).toMatchObject({ key: "event.tooFar" });
  });

  it.each([
    "hello",
    "",
    "   ",
    "7",
    "12",
    "asdf 12月5日 19時",
    "12/5 19:00 foo",
    "next meeting, maybe Dec 5 7pm?",
    "2026-13-45 19:00",
    "2026-02-30 10:00",
    "2月30日 10時",
    "2026-12-05 19:00 +09:00 UTC",
    "x".repeat(200),
  ])("refuses %j as unreadable", (text) => {
    expect(refusal(text)).toMatchObject({ field: "startsAt", key: "event.badDate" });
  });

  it("refuses an unknown time zone", () => {
    expect(refusal("12月5日 19時", "Tokyo/Japan")).toMatchObject({ field: "timeZone", key: "validation.timeZone" });
  });

  it("gives back any future instant written as YYYY-MM-DD HH:mm in its zone", () => {
    const zones = [
      TOKYO,
      "America/New_York",
      "America/Los_Angeles",
      "America/St_Johns",
      "Europe/Berlin",
      "Europe/London",
      "Asia/Kolkata",
      "Australia/Sydney",
      "Australia/Lord_Howe",
      "Pacific/Chatham",
      "UTC",
    ];
    const formatters = new Map(
      zones.map((tz) => [
        tz,
        new Intl.DateTimeFormat("en-US", {
          timeZone: tz,
          hourCycle: "h23",
          year: "numeric",
          month: "2-digit",
          day: "2-digit",
          hour: "2-digit",
          minute: "2-digit",
        }),
      ]),
    );
    const format = (d: Date, tz: string) => {
      const p = Object.fromEntries(
        (formatters.get(tz) as Intl.DateTimeFormat).formatToParts(d).map((x) => [x.type, x.value]),
      );
      return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
    };
    const from = NOW.getTime() + 6 * 60_000;
    const to = NOW.getTime() + 2 * 365 * 86_400_000;
    fc.assert(
      fc.property(fc.integer({ min: from / 60_000, max: to / 60_000 }), fc.constantFrom(...zones), (minute, tz) => {
        const instant = new Date(minute * 60_000);
        const text = format(instant, tz);
        const back = parseEventDateTime({ text, timeZone: tz, now: NOW }).startsAt;
        expect(format(back, tz)).toBe(text);
        // When clocks go back, a wall time happens twice; the first occurrence is chosen.
        const repeated = [30, 60].some((m) => format(new Date(instant.getTime() - m * 60_000), tz) === text);
        if (!repeated) expect(back.toISOString()).toBe(instant.toISOString());
        else expect(back.getTime()).toBeLessThan(instant.getTime());
      }),
      { numRuns: 300 },
    );
  });
});
