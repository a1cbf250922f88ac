// The profile a member enters (registration and editing share it), validated once.
import { z } from "zod";
import { ProfileField } from "../../generated/prisma/enums.js";
import { parseInput, zEmail, zLine, zOptionalLine, zTags } from "../validation.js";

export const INTEREST_FLAGS = ["job_alerts", "gig_alerts", "event_alerts", "open_to_return", "happy_to_refer"] as const;
export type InterestFlag = (typeof INTEREST_FLAGS)[number];
export const PROFILE_FIELD_NAMES = Object.values(ProfileField) as [ProfileField, ...ProfileField[]];

const MIN_YEAR = 1950;

const zYear = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === "") return null;
    const n = typeof v === "number" ? v : Number(String(v).trim());
    const max = new Date().getUTCFullYear();
    if (!Number.isInteger(n) || n < MIN_YEAR || n > max) {
      ctx.addIssue({ code: "custom", message: "validation.year", params: { min: MIN_YEAR, max } });
      return z.NEVER;
    }
    return n;
  });

const zDate = z
  .string()
  .nullish()
  .transform((v, ctx) => {
    if (!v) return null;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
    const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
    if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== v.trim()) {
      ctx.addIssue({ code: "custom", message: "validation.invalid" });
      return z.NEVER;
    }
    if (date.getTime() > Date.now()) {
      ctx.addIssue({ code: "custom", message: "validation.dateInFuture" });
      return z.NEVER;
    }
    return date;
  });

export const ZProfileInput = z
  .object({
    displayName: zLine(80),
    email: zEmail,
    department: zOptionalLine(100),
    joinedYear: zYear,
    leftYear: zYear,
    leftOn: zDate,
    currentEmployer: zOptionalLine(100),
    title: zOptionalLine(100),
    skills: zTags(20, 40),
    interests: z.array(z.enum(INTEREST_FLAGS)).default([]),
    directoryFields: z.array(z.enum(PROFILE_FIELD_NAMES)).default([]),
    hrFields: z.array(z.enum(PROFILE_FIELD_NAMES)).default([]),
    locale: z.enum(["ja", "en"]),
  })
  .superRefine((p, ctx) => {
    if (p.joinedYear !== null && p.leftYear !== null && p.leftYear < p.joinedYear) {
      ctx.addIssue({ code: "custom", path: ["leftYear"], message: "validation.leftBeforeJoined" });
    }
    if (p.leftOn && p.leftYear !== null && p.leftOn.getUTCFullYear() !== p.leftYear) {
      ctx.addIssue({ code: "custom", path: ["leftOn"], message: "validation.leftOnYear" });
    }
  });

export type TProfileInput = z.output<typeof ZProfileInput>;

export function parseProfileInput(input: unknown): TProfileInput {
  return parseInput(ZProfileInput, input);
}

/** Columns for the profiles table from validated input. */
export function profileColumns(p: TProfileInput) {
  const has = (flag: InterestFlag) => p.interests.includes(flag);
  return {
    department: p.department,
    joinedYear: p.joinedYear,
    leftYear: p.leftYear ?? (p.leftOn ? p.leftOn.getUTCFullYear() : null),
    leftOn: p.leftOn,
    currentEmployer: p.currentEmployer,
    title: p.title,
    skills: p.skills,
    jobAlerts: has("job_alerts"),
    gigAlerts: has("gig_alerts"),
    eventAlerts: has("event_alerts"),
    openToReturn: has("open_to_return"),
    happyToRefer: has("happy_to_refer"),
    // A member is in the directory exactly when they chose at least one field to show.
    listed: p.directoryFields.length > 0,
    directoryFields: [...new Set(p.directoryFields)],
    hrFields: [...new Set(p.hrFields)],
  };
}
