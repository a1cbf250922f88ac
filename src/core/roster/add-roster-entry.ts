// The one-leaver form (for companies too small for an HRIS export): HR adds a leaver to the
// roster, or corrects one, by employee number. Validated with zod like every form; the same date
// forms as a file (2023-03-31, 令和5年3月31日, R5.3.31) and the same rehire answers (可/不可, yes/no).
// The row's work email and leave reason, which the form does not ask for, are kept as they were.
import { z } from "zod";
import type { Db } from "../db.js";
import { isUniqueViolation } from "../db.js";
import { requireRole } from "../roles/require-role.js";
import { parseInput, zLine, zOptionalLine } from "../validation.js";
import { emailKey, employeeNumberKey, rosterKeys } from "./match-keys.js";
import { parseRehire } from "./roster-columns.js";
import { parseRosterDate } from "./roster-date.js";
import { dateOfDay, ENTRY_VIEW_SELECT, entryViewOf, type RosterEntryView } from "./roster-entry-view.js";

export type { RosterEntryView } from "./roster-entry-view.js";

const zDay = z
  .union([z.string(), z.date()])
  .nullish()
  .transform((value, ctx) => {
    const day = value instanceof Date ? value.toISOString().slice(0, 10) : parseRosterDate(value);
    if (day === "invalid") {
      ctx.addIssue({ code: "custom", message: "roster.form.badDate" });
      return z.NEVER;
    }
    return day;
  });

export const ZRosterEntryInput = z
  .object({
    employeeNumber: zLine(50).transform((s) => employeeNumberKey(s) as string),
    familyName: zOptionalLine(100),
    givenName: zOptionalLine(100),
    familyNameKana: zOptionalLine(100),
    givenNameKana: zOptionalLine(100),
    personalEmail: zOptionalLine(254).refine((s) => s === null || emailKey(s) !== null, {
      message: "validation.email",
    }),
    department: zOptionalLine(200),
    joinedOn: zDay,
    leftOn: zDay.refine((d) => d !== null, { message: "validation.required" }),
    rehireEligible: z
      .union([z.boolean(), z.string()])
      .nullish()
      .transform((value, ctx) => {
        const answer = typeof value === "boolean" ? value : parseRehire(value);
        if (answer === "invalid") {
          ctx.addIssue({ code: "custom", message: "roster.form.badRehire" });
          return z.NEVER;
        }
        return answer;
      }),
  })
  .superRefine((v, ctx) => {
    if (!v.familyName && !v.familyNameKana) {
      ctx.addIssue({ code: "custom", path: ["familyName"], message: "roster.form.familyNameRequired" });
    }
    if (v.joinedOn && v.leftOn && v.joinedOn > v.leftOn) {
      ctx.addIssue({ code: "custom", path: ["leftOn"], message: "roster.form.leftBeforeJoined" });
    }
  });
export type TRosterEntryInput = z.output<typeof ZRosterEntryInput>;

export async function addRosterEntry(options: {
  prisma: Db;
  actorId: string;
  input: unknown;
}): Promise<{ created: boolean; entry: RosterEntryView }> {
  const { prisma, actorId } = options;
  const input = parseInput(ZRosterEntryInput, options.input);
  const { emailKeys, nameKeys } = rosterKeys(input);
  const columns = {
    familyName: input.familyName,
    givenName: input.givenName,
    familyNameKana: input.familyNameKana,
    givenNameKana: input.givenNameKana,
    personalEmail: input.personalEmail,
    department: input.department,
    joinedOn: dateOfDay(input.joinedOn),
    leftOn: dateOfDay(input.leftOn),
    rehireEligible: input.rehireEligible,
    emailKeys,
    nameKeys,
    importId: null,
  };
  const attempt = () =>
    prisma.$transaction(async (tx) => {
      await requireRole(tx, actorId, ["hr"]);
      const existing = await tx.rosterEntry.findUnique({
        where: { employeeNumber: input.employeeNumber },
        select: { id: true },
      });
      const entry = await tx.rosterEntry.upsert({
        where: { employeeNumber: input.employeeNumber },
        create: { employeeNumber: input.employeeNumber, ...columns },
        update: columns,
        select: { id: true, ...ENTRY_VIEW_SELECT },
      });
      await tx.auditLog.create({
        data: {
          actorId,
          action: existing ? "roster.entry_updated" : "roster.entry_added",
          subjectType: "roster_entry",
          subjectId: entry.id,
          details: { employeeNumber: entry.employeeNumber },
        },
      });
      return { created: !existing, entry: entryViewOf(entry) };
    });
  try {
    return await attempt();
  } catch (err) {
    // Two submissions of the same new number at once: the loser retries and updates the winner's row.
    if (!isUniqueViolation(err)) throw err;
    return attempt();
  }
}
