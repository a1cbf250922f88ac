// A roster row as HR sees it (search results, the one-leaver form's answer), and the columns an
// import compares and writes. Roster rows are HR's records: nothing here is ever shown to alumni.
import type { RosterEntry } from "../../generated/prisma/client.js";
import type { RosterRow } from "./parse-roster-file.js";

export interface RosterEntryView {
  employeeNumber: string;
  familyName: string | null;
  givenName: string | null;
  familyNameKana: string | null;
  givenNameKana: string | null;
  department: string | null;
  /** "yyyy-mm-dd" */
  joinedOn: string | null;
  /** "yyyy-mm-dd" */
  leftOn: string | null;
  rehireEligible: boolean | null;
  /** A member is linked to the row (matched or approved at join). */
  joined: boolean;
}

/** "yyyy-mm-dd" of a DATE column (Prisma reads it as UTC midnight). */
export function dayOf(date: Date | null): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/** A "yyyy-mm-dd" day as the Date Prisma writes to a DATE column. */
export function dateOfDay(day: string | null): Date | null {
  return day ? new Date(`${day}T00:00:00.000Z`) : null;
}

export const ENTRY_VIEW_SELECT = {
  employeeNumber: true,
  familyName: true,
  givenName: true,
  familyNameKana: true,
  givenNameKana: true,
  department: true,
  joinedOn: true,
  leftOn: true,
  rehireEligible: true,
  personId: true,
} as const;

export function entryViewOf(entry: Pick<RosterEntry, keyof typeof ENTRY_VIEW_SELECT>): RosterEntryView {
  return {
    employeeNumber: entry.employeeNumber,
    familyName: entry.familyName,
    givenName: entry.givenName,
    familyNameKana: entry.familyNameKana,
    givenNameKana: entry.givenNameKana,
    department: entry.department,
    joinedOn: dayOf(entry.joinedOn),
    leftOn: dayOf(entry.leftOn),
    rehireEligible: entry.rehireEligible,
    joined: entry.personId !== null,
  };
}

/** The columns an import writes, as a file row gives them (everything but the line and the number). */
export const IMPORTED_FIELDS = [
  "familyName",
  "givenName",
  "familyNameKana",
  "givenNameKana",
  "workEmail",
  "personalEmail",
  "department",
  "joinedOn",
  "leftOn",
  "leaveReason",
  "rehireEligible",
] as const satisfies readonly (keyof RosterRow)[];

/** True when the stored row (its days as "yyyy-mm-dd") already says everything the file row says. */
export function sameAsStored(
  row: RosterRow,
  stored: Record<(typeof IMPORTED_FIELDS)[number], string | boolean | null>,
): boolean {
  return IMPORTED_FIELDS.every((field) => stored[field] === row[field]);
}
