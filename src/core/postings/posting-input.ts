// What HR enters for a job or side gig (creating and editing share it), validated
// once. Adaptive Cards submit every value as a string, so "" means "not given"
// and "true"/"false" are booleans.
import { z } from "zod";
import type { PostingKind } from "../../generated/prisma/client.js";
import type { MessageKey } from "../../i18n/index.js";
import { parseInput, zLine, zOptionalLine, zOptionalText, zTags } from "../validation.js";

export const POSTING_KINDS = ["job", "gig"] as const;
export const WORK_STYLES = ["onsite", "hybrid", "remote"] as const;
export const EMPLOYMENT_TYPES = ["full_time", "part_time", "contract", "side_gig"] as const;
/** Which employment types fit which kind of posting. */
export const EMPLOYMENT_TYPES_BY_KIND: Record<PostingKind, readonly EmploymentType[]> = {
  job: ["full_time", "part_time", "contract"],
  gig: ["side_gig", "contract"],
};

export type WorkStyle = (typeof WORK_STYLES)[number];
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written as YYYY-MM-DD. */
export function isIsoDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** Required multi-line text, 1..max characters after trimming. */
export function zText(max: number) {
  return zOptionalText(max).pipe(z.string());
}

function issue(ctx: z.RefinementCtx, message: MessageKey) {
  ctx.addIssue({ code: "custom", message });
  return z.NEVER;
}

/** One of `values`, or null for "" / null / absent. */
function zChoice<const T extends readonly string[]>(values: T) {
  return z
    .string()
    .nullish()
    .transform((v, ctx): T[number] | null => {
      const s = (v ?? "").trim();
      if (s === "") return null;
      if (!values.includes(s)) return issue(ctx, "validation.invalid");
      return s as T[number];
    });
}

/** "YYYY-MM-DD" or null; with `today`, a date before it is refused. */
function zClosesOn(today: string | undefined) {
  return z
    .string()
    .nullish()
    .transform((v, ctx): string | null => {
      const s = (v ?? "").trim();
      if (s === "") return null;
      if (!isIsoDate(s)) return issue(ctx, "validation.invalid");
      if (today !== undefined && s < today) return issue(ctx, "posting.closesInPast");
      return s;
    });
}

const zFlag = z
  .union([z.boolean(), z.enum(["true", "false"])])
  .nullish()
  .transform((v) => v === true || v === "true");

/** The posting schema; with `today` (YYYY-MM-DD in the caller's time zone) a closing date in the past is refused. */
export function postingInputSchema(today?: string) {
  return z
    .object({
      kind: z.enum(POSTING_KINDS),
      title: zLine(120),
      description: zText(4000),
      location: zOptionalLine(100),
      workStyle: zChoice(WORK_STYLES),
      employmentType: zChoice(EMPLOYMENT_TYPES),
      skills: zTags(20, 40),
      compensation: zOptionalLine(200),
      howToApply: zOptionalText(1000),
      closesOn: zClosesOn(today),
      publish: zFlag,
    })
    .refine((p) => p.employmentType === null || EMPLOYMENT_TYPES_BY_KIND[p.kind].includes(p.employmentType), {
      path: ["employmentType"],
      message: "posting.badEmploymentType",
      // Only when both fields are themselves valid, so every other field error is still reported.
      when: (payload) => {
        const value = payload.value as { kind?: unknown };
        return (
          (value.kind === "job" || value.kind === "gig") &&
          !payload.issues.some((i) => i.path?.[0] === "kind" || i.path?.[0] === "employmentType")
        );
      },
    });
}

export const ZPostingInput = postingInputSchema();
export type TPostingInput = z.output<typeof ZPostingInput>;

export function parsePostingInput(input: unknown, options: { today: string }): TPostingInput {
  if (!isIsoDate(options.today)) throw new TypeError(`today must be YYYY-MM-DD, got ${options.today}`);
  return parseInput(postingInputSchema(options.today), input);
}

/** Columns of the postings table from validated input (status and timestamps are the caller's). */
export function postingColumns(p: TPostingInput) {
  return {
    kind: p.kind,
    title: p.title,
    description: p.description,
    location: p.location,
    workStyle: p.workStyle,
    employmentType: p.employmentType,
    skills: p.skills,
    compensation: p.compensation,
    howToApply: p.howToApply,
    closesOn: p.closesOn === null ? null : new Date(`${p.closesOn}T00:00:00Z`),
  };
}
