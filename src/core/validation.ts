// Zod at the boundary of every core operation. Text is trimmed and NFC-normalised;
// control characters are refused. Zod issues become AppError field problems, so
// a form shows each one under its own input, in the person's language.
import { z } from "zod";
import { ja } from "../i18n/ja.js";
import { AppError, type FieldProblem } from "./errors.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL_SINGLE_LINE = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: newlines and tabs are fine in long text
const CONTROL_MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Required one-line text, 1..max characters after trimming. */
export function zLine(max: number) {
  return z
    .string()
    .transform((s) => s.normalize("NFC").trim())
    .pipe(
      z
        .string()
        .min(1)
        .max(max)
        .refine((s) => !CONTROL_SINGLE_LINE.test(s), { message: "control" }),
    );
}

/** Optional one-line text: empty becomes null. */
export function zOptionalLine(max: number) {
  return z
    .string()
    .nullish()
    .transform((s) => (s ?? "").normalize("NFC").trim())
    .pipe(
      z
        .string()
        .max(max)
        .refine((s) => !CONTROL_SINGLE_LINE.test(s), { message: "control" })
        .transform((s) => (s === "" ? null : s)),
    );
}

/** Optional multi-line text: empty becomes null. */
export function zOptionalText(max: number) {
  return z
    .string()
    .nullish()
    .transform((s) => (s ?? "").normalize("NFC").replaceAll("\r\n", "\n").trim())
    .pipe(
      z
        .string()
        .max(max)
        .refine((s) => !CONTROL_MULTI_LINE.test(s), { message: "control" })
        .transform((s) => (s === "" ? null : s)),
    );
}

export const zEmail = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(1).max(254).pipe(z.email()));

/** A list of short tags (skills): split on commas (ASCII or Japanese), trimmed, deduplicated. */
export function zTags(maxItems: number, maxLength: number) {
  return z
    .union([z.string(), z.array(z.string())])
    .nullish()
    .transform((v) => {
      const parts = Array.isArray(v) ? v : (v ?? "").split(/[,、，\n]/);
      const seen = new Set<string>();
      const out: string[] = [];
      for (const raw of parts) {
        const tag = raw.normalize("NFC").trim();
        if (!tag || seen.has(tag.toLowerCase())) continue;
        seen.add(tag.toLowerCase());
        out.push(tag);
      }
      return out;
    })
    .pipe(
      z
        .array(
          z
            .string()
            .max(maxLength)
            .refine((s) => !CONTROL_SINGLE_LINE.test(s), { message: "control" }),
        )
        .max(maxItems),
    );
}

function problemFor(issue: z.core.$ZodIssue): FieldProblem {
  switch (issue.code) {
    case "too_big":
      if (issue.origin === "string") return { key: "validation.tooLong", params: { max: Number(issue.maximum) } };
      if (issue.origin === "array") return { key: "validation.tooMany", params: { max: Number(issue.maximum) } };
      return { key: "validation.tooLarge", params: { max: Number(issue.maximum) } };
    case "too_small":
      if (issue.origin === "string" || issue.origin === "array") return { key: "validation.required" };
      return { key: "validation.tooSmall", params: { min: Number(issue.minimum) } };
    case "invalid_format":
      return issue.format === "email" ? { key: "validation.email" } : { key: "validation.invalid" };
    case "invalid_type":
      return issue.input === undefined || issue.input === null
        ? { key: "validation.required" }
        : { key: "validation.invalid" };
    case "custom":
      return issue.message === "control" ? { key: "validation.control" } : { key: "validation.invalid" };
    default:
      return { key: "validation.invalid" };
  }
}

/** Parse with zod; on failure throw one AppError("validation") naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, FieldProblem> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "input");
    if (!(field in fields)) {
      // A custom issue names its message key (e.g. "validation.year", "posting.closesInPast").
      const key = issue.code === "custom" && Object.hasOwn(ja, issue.message) ? issue.message : undefined;
      const params = (issue as { params?: FieldProblem["params"] }).params;
      fields[field] = key ? { key: key as FieldProblem["key"], ...(params ? { params } : {}) } : problemFor(issue);
    }
  }
  throw new AppError("validation", {}, { fields });
}
