// Dates as HRIS exports and HR people write them: 2023-03-31, 2023/3/31, 2023.3.31, 20230331,
// 2023年3月31日 (optionally followed by a time, as some exports add 0:00), and wareki, the
// Japanese era calendar: H27.4.1, R5.3.31, 平成27年4月1日, 令和5年3月31日, 令和元年5月1日, S64.1.7.
// A wareki date must fall inside its era (平成31年5月1日 does not exist: that day is 令和元年5月1日),
// and every date must exist in the calendar (2023-02-29 does not).

interface Era {
  /** First day of the era (yyyy, m, d); its year 1 (元年) is that calendar year. */
  start: [number, number, number];
  names: string[];
}

// In order; each era ends the day before the next one starts.
const ERAS: readonly Era[] = [
  { start: [1868, 10, 23], names: ["m", "明治", "明"] },
  { start: [1912, 7, 30], names: ["t", "大正", "大"] },
  { start: [1926, 12, 25], names: ["s", "昭和", "昭"] },
  { start: [1989, 1, 8], names: ["h", "平成", "平"] },
  { start: [2019, 5, 1], names: ["r", "令和", "令"] },
];

const ERA_BY_NAME = new Map<string, number>(ERAS.flatMap((era, i) => era.names.map((n) => [n, i] as const)));

const TIME = String.raw`(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
const GREGORIAN = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`);
const GREGORIAN_KANJI = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const WAREKI =
  /^(明治|大正|昭和|平成|令和|[明大昭平令mtshr])(\d{1,2}|元)(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?$/i;

/** The earliest and latest calendar years a roster date may have (anything else is a typo). */
const MIN_YEAR = 1868;
const MAX_YEAR = 2199;

const pad = (n: number) => String(n).padStart(2, "0");
const isoOf = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

function exists(y: number, m: number, d: number): boolean {
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1 || d > 31) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * "yyyy-mm-dd" for a date written in any of the accepted forms; null for an empty cell;
 * "invalid" for text that is not a date, a date that does not exist, or a wareki date outside its era.
 */
export function parseRosterDate(text: string | null | undefined): string | null | "invalid" {
  const value = (text ?? "").normalize("NFKC").replace(/\s+/g, " ").trim();
  if (value === "") return null;
  let match = GREGORIAN.exec(value) ?? GREGORIAN_KANJI.exec(value.replaceAll(" ", "")) ?? COMPACT.exec(value);
  if (match) {
    const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return exists(y, m, d) ? isoOf(y, m, d) : "invalid";
  }
  match = WAREKI.exec(value.replaceAll(" ", ""));
  if (!match) return "invalid";
  const eraIndex = ERA_BY_NAME.get((match[1] as string).toLowerCase());
  if (eraIndex === undefined) return "invalid";
  const era = ERAS[eraIndex] as Era;
  const eraYear = match[2] === "元" ? 1 : Number(match[2]);
  if (eraYear < 1) return "invalid";
  const y = era.start[0] + eraYear - 1;
  const [m, d] = [Number(match[3]), Number(match[4])];
  if (!exists(y, m, d)) return "invalid";
  const iso = isoOf(y, m, d);
  if (iso < isoOf(...era.start)) return "invalid";
  const next = ERAS[eraIndex + 1];
  if (next && iso >= isoOf(...next.start)) return "invalid";
  return iso;
}
