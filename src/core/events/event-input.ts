// An event as a community manager enters it (Teams dialog or card), validated
// once in the core. `startsAt` / `endsAt` arrive already parsed (see
// parse-event-datetime.ts); a Date or an ISO string with an offset (as dialog
// state stored as JSON gives it back) are both accepted.
import { z } from "zod";
import { AppError, type FieldProblem } from "../errors.js";
import { canonicalTimeZone } from "../time-zone.js";
import { parseInput, zLine, zOptionalLine, zOptionalText } from "../validation.js";

export const EVENT_KINDS = ["homecoming_day", "meetup", "online"] as const;
export const MAX_EVENT_CAPACITY = 100_000;

const zInstant = z
  .union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))])
  .pipe(z.date().refine((d) => !Number.isNaN(d.getTime()), { message: "validation.invalid" }));

const zHttpUrl = z.url({ protocol: /^https?$/, hostname: z.regexes.domain });

/** Empty text (or nothing) is "not given". */
const blankToNull = (v: unknown) =>
  v === undefined || v === null || (typeof v === "string" && v.normalize("NFKC").trim() === "") ? null : v;

export const ZEventInput = z.object({
  title: zLine(120),
  kind: z.enum(EVENT_KINDS),
  startsAt: zInstant,
  timeZone: z
    .string()
    .refine((tz) => canonicalTimeZone(tz) !== null, { message: "validation.timeZone" })
    .transform((tz) => canonicalTimeZone(tz) as string),
  endsAt: z.preprocess(blankToNull, zInstant.nullable()),
  place: zOptionalLine(200),
  url: z.preprocess(
    (v) => (typeof v === "string" ? blankToNull(v.trim()) : blankToNull(v)),
    z
      .string()
      .max(500)
      .refine((s) => zHttpUrl.safeParse(s).success, { message: "validation.url" })
      .nullable(),
  ),
  capacity: z.preprocess(
    (v) => {
      const value = blankToNull(v);
      if (typeof value !== "string") return value;
      const digits = value.normalize("NFKC").trim();
      return /^\d{1,9}$/.test(digits) ? Number(digits) : value;
    },
    z
      .unknown()
      .refine((v) => v === null || typeof v === "number", { message: "validation.invalid", abort: true })
      .pipe(z.number().int().min(1).max(MAX_EVENT_CAPACITY).nullable()),
  ),
  description: zOptionalText(2000),
});

export type TEventInput = z.output<typeof ZEventInput>;
export type TEventInputRaw = z.input<typeof ZEventInput>;

/** Validate an event; field problems name each bad input, including the ones that depend on each other. */
export function parseEventInput(input: unknown): TEventInput {
  const event = parseInput(ZEventInput, input);
  const fields: Record<string, FieldProblem> = {};
  if (event.kind === "online" && !event.url) fields.url = { key: "event.needUrl" };
  if (event.kind !== "online" && !event.place && !event.url) fields.place = { key: "event.needPlace" };
  if (event.endsAt && event.endsAt.getTime() <= event.startsAt.getTime()) {
    fields.endsAt = { key: "event.endBeforeStart" };
  }
  if (Object.keys(fields).length > 0) throw new AppError("validation", {}, { fields });
  return event;
}
