// An HR leavers file, read without touching the database: the encoding detected (valid UTF-8,
// with or without a BOM, is UTF-8; anything else is read as CP932, the Windows Shift_JIS that
// Japanese Excel writes, whose IBM extension characters include 髙 and 﨑), the CSV read by a
// streaming parser (csv-parse; quoted cells may hold commas and line breaks), or the first sheet
// of an .xlsx workbook (read-excel-file). Header cells name the columns (roster-columns.ts).
//
// Each line either becomes a RosterRow or a RejectedLine with its 1-based line number in the file
// (the header is line 1; a record whose quoted cell spans lines is numbered by its first line)
// and a message key saying why. A problem with the file as a whole (empty, too big, undecodable,
// no recognisable header, no rows, too many rows, broken CSV quoting) is a fatal AppError.
//
// Cell text is kept as text, exactly as written (trimmed): a cell such as `=cmd|' /C calc'!A0`
// is a string here and in the database, never a formula.
import { CsvError, parse } from "csv-parse";
import iconv from "iconv-lite";
import type { MessageKey } from "../../i18n/index.js";
import { AppError } from "../errors.js";
import { employeeNumberKey } from "./match-keys.js";
import {
  type ColumnMap,
  hasRequiredColumns,
  mapColumns,
  parseRehire,
  type RosterField,
  splitFullName,
} from "./roster-columns.js";
import { parseRosterDate } from "./roster-date.js";

export interface RosterRow {
  /** 1-based line of the record in the file (header = line 1). */
  line: number;
  /** employeeNumberKey()-normalised. */
  employeeNumber: string;
  familyName: string | null;
  givenName: string | null;
  familyNameKana: string | null;
  givenNameKana: string | null;
  workEmail: string | null;
  personalEmail: string | null;
  department: string | null;
  /** "yyyy-mm-dd" */
  joinedOn: string | null;
  /** "yyyy-mm-dd" */
  leftOn: string | null;
  leaveReason: string | null;
  rehireEligible: boolean | null;
}

export interface RejectedLine {
  line: number;
  key: MessageKey;
  params?: Record<string, string | number>;
}

export interface ParsedRoster {
  encoding: RosterEncoding;
  format: "csv" | "xlsx";
  /** The header cells that were recognised, as written in the file, in file order. */
  columns: string[];
  rows: RosterRow[];
  rejected: RejectedLine[];
}

/** Non-empty lines above the header that are skipped (titles, export dates) before giving up. */
const MAX_PREAMBLE_LINES = 5;
/** Longest text kept from one cell; a longer cell rejects its line. */
export const MAX_CELL_LENGTH = 500;
/** Cell text quoted back in a rejection reason is cut to this many characters. */
const QUOTE_LENGTH = 40;

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

interface SourceRecord {
  line: number;
  cells: string[];
}

function fatal(key: MessageKey, params: Record<string, string | number> = {}): AppError {
  return new AppError("validation", params, { key });
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

export async function parseRosterFile(options: {
  bytes: Uint8Array;
  fileName: string;
  maxRows: number;
  /** Largest file accepted (the downloader enforces it too); unlimited when absent. */
  maxBytes?: number;
}): Promise<ParsedRoster> {
  const { bytes, fileName, maxRows } = options;
  if (bytes.length === 0) throw fatal("roster.fatal.empty");
  if (options.maxBytes !== undefined && bytes.length > options.maxBytes) {
    throw fatal("roster.fatal.tooLarge", { maxMb: Math.max(1, Math.floor(options.maxBytes / (1024 * 1024))) });
  }
  const lower = fileName.toLowerCase();
  if (startsWith(bytes, OLE_MAGIC) || /\.(xls|xlsb|numbers|ods)$/.test(lower)) {
    throw fatal("roster.fatal.unsupportedFormat");
  }
  if (startsWith(bytes, ZIP_MAGIC) || lower.endsWith(".xlsx")) {
    const records = await readXlsxRecords(bytes);
    return fromRecords(records, { encoding: "utf-8", format: "xlsx", maxRows });
  }
  const { text, encoding } = decode(bytes);
  return fromRecords(readCsvRecords(text), { encoding, format: "csv", maxRows });
}

export type RosterEncoding = "utf-8" | "shift_jis" | "utf-16";

/**
 * A UTF-16 byte order mark means UTF-16 (Excel's "Unicode text", tab-separated); valid UTF-8 (a
 * BOM or not) is UTF-8; anything else is CP932. Replacement characters or NULs mean none of them.
 */
function decode(bytes: Uint8Array): { text: string; encoding: RosterEncoding } {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  let text: string;
  let encoding: RosterEncoding;
  if (utf16) {
    try {
      text = new TextDecoder(bytes[0] === 0xff ? "utf-16le" : "utf-16be", { fatal: true }).decode(bytes);
    } catch {
      throw fatal("roster.fatal.undecodable");
    }
    if (text.includes("\uFFFD") || BINARY.test(text)) throw fatal("roster.fatal.undecodable");
    return { text, encoding: "utf-16" };
  }
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    encoding = "utf-8";
  } catch {
    if (hasBom) throw fatal("roster.fatal.undecodable");
    text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "cp932");
    encoding = "shift_jis";
  }
  // A replacement character is a byte sequence neither encoding has; control characters mean a binary file.
  if (text.includes("\uFFFD") || BINARY.test(text)) throw fatal("roster.fatal.undecodable");
  return { text, encoding };
}

/**
 * Comma- or tab-separated: whichever the first lines hold more of (Excel's "Unicode text" and some
 * HRIS exports are tab-separated).
 */
function delimiterOf(text: string): "," | "\t" {
  const head = text
    .slice(0, 8192)
    .split(/\r\n|\n|\r/)
    .slice(0, 6)
    .join("\n");
  const count = (c: string) => head.split(c).length - 1;
  return count("\t") > count(",") ? "\t" : ",";
}

/** csv-parse, record by record; each record numbered by the line it starts on. */
async function* readCsvRecords(text: string): AsyncGenerator<SourceRecord> {
  const parser = parse({
    bom: true,
    delimiter: delimiterOf(text),
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    raw: true,
  });
  parser.end(text);
  // The raw text of a record holds everything read since the previous one (skipped empty lines too),
  // so counting its line breaks keeps the line numbers right across quoted cells that span lines.
  let line = 1;
  try {
    for await (const chunk of parser as AsyncIterable<{ record: string[]; raw: string }>) {
      const leading = /^(?:\r\n|\n|\r)*/.exec(chunk.raw)?.[0] ?? "";
      yield { line: line + lineBreaks(leading), cells: chunk.record };
      line += lineBreaks(chunk.raw);
    }
  } catch (err) {
    if (err instanceof CsvError) throw fatal("roster.fatal.malformedCsv", { line: Number(err.lines ?? 0) || line });
    throw err;
  } finally {
    parser.destroy();
  }
}

function lineBreaks(text: string): number {
  return text.match(/\r\n|\n|\r/g)?.length ?? 0;
}

/** The first worksheet of an .xlsx workbook; each row numbered by its row in the sheet. */
async function readXlsxRecords(bytes: Uint8Array): Promise<AsyncGenerator<SourceRecord>> {
  const { readSheet } = await import("read-excel-file/node");
  let rows: unknown[][];
  try {
    // Numbers as the text the cell holds (an employee number 0012 typed as text stays text anyway; 1e21 is not
    // rewritten); cells with a date format come back as Dates.
    rows = await readSheet<string>(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      parseNumber: (text: string) => text,
    });
  } catch (err) {
    throw new AppError("validation", {}, { key: "roster.fatal.badXlsx", cause: err });
  }
  return (async function* () {
    for (const [i, row] of rows.entries()) yield { line: i + 1, cells: row.map(xlsxCellText) };
  })();
}

function xlsxCellText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString().slice(0, 10);
  return String(value);
}

async function fromRecords(
  recordsOrPromise: AsyncIterable<SourceRecord> | Promise<AsyncIterable<SourceRecord>>,
  meta: { encoding: RosterEncoding; format: "csv" | "xlsx"; maxRows: number },
): Promise<ParsedRoster> {
  const records = await recordsOrPromise;
  let map: ColumnMap | undefined;
  const rows: RosterRow[] = [];
  const rejected: RejectedLine[] = [];
  /** Employee number → every line carrying it (rejected lines included). */
  const linesByNumber = new Map<string, number[]>();
  let dataRows = 0;
  let preamble = 0;
  for await (const record of records) {
    const cells = record.cells.map((c) => (c ?? "").trim());
    if (cells.every((c) => c === "")) continue;
    if (!map) {
      // Excel exports often put a title line ("退職者一覧 2024年3月") above the header.
      const candidate = mapColumns(cells);
      if (hasRequiredColumns(candidate)) map = candidate;
      else if (++preamble >= MAX_PREAMBLE_LINES) throw fatal("roster.fatal.noHeader");
      continue;
    }
    dataRows += 1;
    if (dataRows > meta.maxRows) throw fatal("roster.fatal.tooManyRows", { max: meta.maxRows });
    const result = readRow(map, record.line, cells);
    if (result.employeeNumber) {
      const lines = linesByNumber.get(result.employeeNumber);
      if (lines) lines.push(record.line);
      else linesByNumber.set(result.employeeNumber, [record.line]);
    }
    if ("row" in result) rows.push(result.row);
    else rejected.push(result.rejected);
  }
  if (!map) throw fatal("roster.fatal.noHeader");
  if (dataRows === 0) throw fatal("roster.fatal.noRows");

  // Two lines with one employee number: the file does not say which is right, so neither is taken.
  const kept: RosterRow[] = [];
  for (const row of rows) {
    const lines = linesByNumber.get(row.employeeNumber) ?? [];
    if (lines.length < 2) {
      kept.push(row);
      continue;
    }
    rejected.push({
      line: row.line,
      key: "roster.rejected.duplicateEmployeeNumber",
      params: { employeeNumber: row.employeeNumber, lines: lines.filter((l) => l !== row.line).join(", ") },
    });
  }
  rejected.sort((a, b) => a.line - b.line);
  return { encoding: meta.encoding, format: meta.format, columns: map.recognised, rows: kept, rejected };
}

const quote = (value: string) => (value.length > QUOTE_LENGTH ? `${value.slice(0, QUOTE_LENGTH)}…` : value);

type RowResult = { employeeNumber: string | null } & ({ row: RosterRow } | { rejected: RejectedLine });

function readRow(map: ColumnMap, line: number, cells: string[]): RowResult {
  const cell = (field: RosterField): string | null => {
    const i = map.index[field];
    const value = i === undefined ? "" : (cells[i] ?? "");
    return value === "" ? null : value;
  };
  const employeeNumber = employeeNumberKey(cell("employeeNumber"));
  const reject = (key: MessageKey, params?: Record<string, string | number>): RowResult => ({
    employeeNumber,
    rejected: params ? { line, key, params } : { line, key },
  });

  for (const [field, i] of Object.entries(map.index) as [RosterField, number][]) {
    if ((cells[i] ?? "").length > MAX_CELL_LENGTH) {
      return reject("roster.rejected.tooLong", { column: columnName(map, field), max: MAX_CELL_LENGTH });
    }
  }
  if (!employeeNumber) return reject("roster.rejected.missingEmployeeNumber");

  const [fullFamily, fullGiven] = splitFullName(cell("fullName"));
  const [fullFamilyKana, fullGivenKana] = splitFullName(cell("fullNameKana"));
  const familyName = cell("familyName") ?? fullFamily;
  const givenName = cell("givenName") ?? (cell("familyName") ? null : fullGiven);
  const familyNameKana = cell("familyNameKana") ?? fullFamilyKana;
  const givenNameKana = cell("givenNameKana") ?? (cell("familyNameKana") ? null : fullGivenKana);
  if (!familyName && !familyNameKana) return reject("roster.rejected.missingFamilyName");

  const leftText = cell("leftOn");
  if (!leftText) return reject("roster.rejected.missingLeaveDate");
  const leftOn = parseRosterDate(leftText);
  if (leftOn === "invalid" || leftOn === null) {
    return reject("roster.rejected.badDate", { column: columnName(map, "leftOn"), value: quote(leftText) });
  }
  const joinedText = cell("joinedOn");
  const joinedOn = parseRosterDate(joinedText);
  if (joinedOn === "invalid") {
    return reject("roster.rejected.badDate", { column: columnName(map, "joinedOn"), value: quote(joinedText ?? "") });
  }
  if (joinedOn && joinedOn > leftOn) return reject("roster.rejected.leftBeforeJoined", { joinedOn, leftOn });

  const rehireText = cell("rehireEligible");
  const rehireEligible = parseRehire(rehireText);
  if (rehireEligible === "invalid") return reject("roster.rejected.badRehire", { value: quote(rehireText ?? "") });

  const personalEmail = cell("personalEmail");
  if (personalEmail && !/^[^\s@]+@[^\s@]+$/.test(personalEmail.normalize("NFKC"))) {
    return reject("roster.rejected.badEmail", {
      column: columnName(map, "personalEmail"),
      value: quote(personalEmail),
    });
  }
  return {
    employeeNumber,
    row: {
      line,
      employeeNumber,
      familyName,
      givenName,
      familyNameKana,
      givenNameKana,
      workEmail: cell("workEmail"),
      personalEmail,
      department: cell("department"),
      joinedOn,
      leftOn,
      leaveReason: cell("leaveReason"),
      rehireEligible,
    },
  };
}

/** The header cell of a field as the file wrote it (for reasons that name a column). */
function columnName(map: ColumnMap, field: RosterField): string {
  return map.headers[field] ?? field;
}
