// Properties of reading a roster file, over generated inputs (fast-check):
// - any bytes at all either parse or fail with an AppError carrying a roster message (never a crash);
// - a roster written as CSV (cells with commas, quotes and line breaks quoted as Excel quotes them),
//   in UTF-8, UTF-8 with a BOM or CP932, CRLF or LF, reads back exactly, each row with the line it
//   starts on.
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { parseRosterFile } from "../../src/core/roster/parse-roster-file.js";

const RUNS = Number(process.env.ROSTER_PROPERTY_RUNS ?? 300);

const HEADER = ["社員番号", "姓", "名", "姓(ヨミガナ)", "部署", "入社年月日", "退職年月日", "再雇用可否"];

const text = fc
  .array(
    fc.constantFrom(
      "髙",
      "﨑",
      "山",
      "田",
      "ア",
      "ﾀ",
      "a",
      "Z",
      " ",
      ",",
      '"',
      "\n",
      "\r\n",
      "=",
      "+",
      "@",
      "-",
      "1",
      "営業",
      "部",
    ),
    { minLength: 0, maxLength: 8 },
  )
  .map((parts) => parts.join("").trim());
const day = fc
  .record({
    y: fc.integer({ min: 1970, max: 2030 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
const row = fc.record({
  familyName: text.filter((s) => s.length > 0),
  givenName: text,
  familyNameKana: text,
  department: text,
  joinedOn: fc.option(day, { nil: null }),
  leftOn: day,
  rehire: fc.constantFrom("", "可", "不可"),
});

function quoteCell(cell: string): string {
  return /[",\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replaceAll('"', '""')}"` : cell;
}

describe("roster file properties", () => {
  it("any bytes parse or fail with a roster AppError", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.constantFrom("r.csv", "r.xlsx", "r.txt"),
        async (bytes, fileName) => {
          try {
            const parsed = await parseRosterFile({ bytes, fileName, maxRows: 50 });
            expect(parsed.rows.length + parsed.rejected.length).toBeGreaterThan(0);
          } catch (err) {
            expect(err).toBeInstanceOf(AppError);
            expect((err as AppError).key).toMatch(/^roster\.fatal\./);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it("a roster written as CSV reads back exactly, in any encoding and line ending", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { minLength: 1, maxLength: 12 }),
        fc.constantFrom("utf-8", "utf-8-bom", "cp932"),
        fc.constantFrom("\n", "\r\n"),
        async (rows, encoding, eol) => {
          const records = rows.map((r, i) => {
            const joined = r.joinedOn && r.joinedOn > r.leftOn ? null : r.joinedOn;
            return {
              ...r,
              joinedOn: joined,
              employeeNumber: `N${i + 1}`,
              cells: [
                `N${i + 1}`,
                r.familyName,
                r.givenName,
                r.familyNameKana,
                r.department,
                joined ?? "",
                r.leftOn,
                r.rehire,
              ],
            };
          });
          const body = [HEADER, ...records.map((r) => r.cells)]
            .map((cells) => cells.map(quoteCell).join(","))
            .join(eol);
          const csv = `${body}${eol}`;
          const bytes =
            encoding === "cp932"
              ? iconv.encode(csv, "cp932")
              : new Uint8Array([
                  ...(encoding === "utf-8-bom" ? [0xef, 0xbb, 0xbf] : []),
                  ...new TextEncoder().encode(csv),
                ]);
          const parsed = await parseRosterFile({ bytes, fileName: "r.csv", maxRows: 100 });
          expect(parsed.encoding).toBe(encoding === "cp932" ? "shift_jis" : "utf-8");
          expect(parsed.rejected).toEqual([]);
          // Each record starts after the header and every line break of the records before it.
          let line = 2;
          const expected = records.map((r) => {
            const at = line;
            line += 1 + r.cells.join("").split(/\r\n|\n/).length - 1;
            return {
              line: at,
              employeeNumber: r.employeeNumber,
              familyName: r.familyName,
              givenName: r.givenName || null,
              familyNameKana: r.familyNameKana || null,
              department: r.department || null,
              joinedOn: r.joinedOn,
              leftOn: r.leftOn,
              rehireEligible: r.rehire === "" ? null : r.rehire === "可",
            };
          });
          expect(
            parsed.rows.map((p) => ({
              line: p.line,
              employeeNumber: p.employeeNumber,
              familyName: p.familyName,
              givenName: p.givenName,
              familyNameKana: p.familyNameKana,
              department: p.department,
              joinedOn: p.joinedOn,
              leftOn: p.leftOn,
              rehireEligible: p.rehireEligible,
            })),
          ).toEqual(expected);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
