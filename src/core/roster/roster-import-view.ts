// What an import's preview card shows, read back from roster_imports: the summary JSON written by
// previewRosterImport (validated here, as every DB JSON column is), and the parsed rows kept until
// the import is decided. Shared by preview-roster-import.ts and decide-roster-import.ts.
import { z } from "zod";
import type { RosterImport } from "../../generated/prisma/client.js";
import type { MessageKey } from "../../i18n/index.js";
import { ja } from "../../i18n/ja.js";
import type { RejectedLine, RosterRow } from "./parse-roster-file.js";

export interface RosterCounts {
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface RosterPreview {
  importNumber: number;
  fileName: string;
  encoding: string;
  counts: RosterCounts;
  /** All of them (the card shows the first 20 and says how many more). */
  rejected: RejectedLine[];
  status: "previewed" | "imported" | "cancelled";
}

const zCount = z.number().int().min(0);
const zMessageKey = z.custom<MessageKey>((k) => typeof k === "string" && Object.hasOwn(ja, k));

export const ZRosterSummary = z.object({
  encoding: z.enum(["utf-8", "shift_jis", "utf-16"]),
  format: z.enum(["csv", "xlsx"]),
  columns: z.array(z.string()),
  counts: z.object({ new: zCount, updated: zCount, unchanged: zCount, rejected: zCount }),
  rejected: z.array(
    z.object({
      line: z.number().int().min(1),
      key: zMessageKey,
      params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    }),
  ),
});
export type TRosterSummary = z.infer<typeof ZRosterSummary>;

const zText = z.string().nullable();
const zDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .nullable();
export const ZRosterRows = z.array(
  z.object({
    line: z.number().int().min(1),
    employeeNumber: z.string().min(1),
    familyName: zText,
    givenName: zText,
    familyNameKana: zText,
    givenNameKana: zText,
    workEmail: zText,
    personalEmail: zText,
    department: zText,
    joinedOn: zDay,
    leftOn: zDay,
    leaveReason: zText,
    rehireEligible: z.boolean().nullable(),
  }),
) satisfies z.ZodType<RosterRow[]>;

export function rosterPreviewOf(row: Pick<RosterImport, "number" | "fileName" | "status" | "summary">): RosterPreview {
  const summary = ZRosterSummary.parse(row.summary);
  return {
    importNumber: row.number,
    fileName: row.fileName,
    encoding: summary.encoding,
    counts: summary.counts,
    rejected: summary.rejected.map((r) =>
      r.params ? { line: r.line, key: r.key, params: r.params } : { line: r.line, key: r.key },
    ),
    status: row.status,
  };
}
