// English messages for roster (spread into en.ts).
import type { rosterJa } from "./ja-roster.js";

export const rosterEn: Record<keyof typeof rosterJa, string> = {
  "roster.fatal.empty": "The file is empty.",
  "roster.fatal.tooLarge": "The file is too large (at most {maxMb} MB). Please split it and upload the parts.",
  "roster.fatal.unsupportedFormat":
    "This file format is not supported. Please save it as CSV (UTF-8 or Shift_JIS) or Excel (.xlsx).",
  "roster.fatal.badXlsx": "The Excel file (.xlsx) could not be read. Please save it as CSV and try again.",
  "roster.fatal.undecodable":
    "The file's character encoding could not be recognised. Please save it as CSV in UTF-8 or Shift_JIS.",
  "roster.fatal.malformedCsv": 'A quote (") is not closed near line {line} of the CSV. Please check the file.',
  "roster.fatal.noHeader":
    "No recognisable header at the top of the file. The file needs columns for the employee number, the family name and the leave date (for example Employee Number, Last Name, Termination Date, or SmartHR's 社員番号, 姓, 退職年月日).",
  "roster.fatal.noRows": "There are no data rows below the header.",
  "roster.fatal.tooManyRows": "The file has too many rows (at most {max}). Please split it and upload the parts.",

  "roster.rejected.missingEmployeeNumber": "The employee number is empty.",
  "roster.rejected.missingFamilyName": "The family name (kanji or kana) is empty.",
  "roster.rejected.missingLeaveDate": "The leave date is empty.",
  "roster.rejected.badDate":
    'The date "{value}" in "{column}" cannot be read (e.g. 2023-03-31, 2023/3/31, 令和5年3月31日, R5.3.31).',
  "roster.rejected.leftBeforeJoined": "The leave date ({leftOn}) is before the hire date ({joinedOn}).",
  "roster.rejected.badRehire": 'The rehire eligibility "{value}" cannot be read (yes / no, 可 / 不可, ○ / ×).',
  "roster.rejected.badEmail": 'The email address "{value}" in "{column}" is not valid.',
  "roster.rejected.tooLong": '"{column}" is too long (at most {max} characters).',
  "roster.rejected.duplicateEmployeeNumber":
    "Employee number {employeeNumber} appears more than once in the file (also on line {lines}). Neither line is imported.",

  "roster.importNotFound": "Roster import #{number} was not found.",
  "roster.form.familyNameRequired": "Please enter the family name (kanji or kana).",
  "roster.form.badDate": "The date cannot be read (e.g. 2023-03-31, 令和5年3月31日).",
  "roster.form.leftBeforeJoined": "The leave date is before the hire date.",
  "roster.form.badRehire": "Please state rehire eligibility as yes or no.",
  // Field names in a combined validation message (core/errors.ts reads field.<name>).
  "field.employeeNumber": "Employee number",
  "field.familyName": "Family name",
  "field.givenName": "Given name",
  "field.familyNameKana": "Family name (kana)",
  "field.givenNameKana": "Given name (kana)",
  "field.personalEmail": "Personal email",
  "field.joinedOn": "Hire date",
  "field.rehireEligible": "Rehire eligibility",
};
