// Reading real HRIS exports (test/fixtures/roster, made by make-fixtures.mjs): encodings detected,
// each system's header recognised, line numbers and reasons for rejected lines, fatal files refused.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { parseRosterFile } from "../../src/core/roster/parse-roster-file.js";
import { t } from "../../src/i18n/index.js";

const fixtures = join(import.meta.dirname, "../fixtures/roster");
const file = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
const parse = (name: string, maxRows = 1000) => parseRosterFile({ bytes: file(name), fileName: name, maxRows });
const parseText = (text: string, fileName = "roster.csv", maxRows = 1000) =>
  parseRosterFile({ bytes: new TextEncoder().encode(text), fileName, maxRows });

async function fatalKey(promise: Promise<unknown>): Promise<string | undefined> {
  const err = await promise.then(
    () => {
      throw new Error("expected a fatal AppError");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe("validation");
  return (err as AppError).key;
}

describe("parseRosterFile", () => {
  it("reads a SmartHR export in CP932 with the IBM extension characters 髙 and 﨑", async () => {
    const parsed = await parse("smarthr-cp932.csv");
    expect(parsed.encoding).toBe("shift_jis");
    expect(parsed.format).toBe("csv");
    expect(parsed.rejected).toEqual([]);
    expect(parsed.columns).toEqual([
      "社員番号",
      "姓",
      "名",
      "姓(ヨミガナ)",
      "名(ヨミガナ)",
      "メールアドレス",
      "個人メールアドレス",
      "入社年月日",
      "退職年月日",
      "部署",
      "再雇用可否",
    ]);
    expect(parsed.rows[0]).toEqual({
      line: 2,
      employeeNumber: "S0001",
      familyName: "髙橋",
      givenName: "一郎",
      familyNameKana: "タカハシ",
      givenNameKana: "イチロウ",
      workEmail: "takahashi@corp.example.co.jp",
      personalEmail: "ichiro.t@example.com",
      department: "営業部",
      joinedOn: "2010-04-01",
      leftOn: "2023-03-31",
      leaveReason: null,
      rehireEligible: true,
    });
    expect(parsed.rows.map((r) => [r.line, r.familyName, r.rehireEligible])).toEqual([
      [2, "髙橋", true],
      [3, "山﨑", false],
      [4, "佐藤", true],
    ]);
    // SmartHR's メールアドレス is the work email: never taken for the personal one.
    expect(parsed.rows[2]?.workEmail).toBe("sato@corp.example.co.jp");
    expect(parsed.rows[2]?.personalEmail).toBeNull();
  });

  it("reads jinjer's UTF-8 with a BOM: the BOM is not part of the first header", async () => {
    const parsed = await parse("jinjer-utf8-bom.csv");
    expect(parsed.encoding).toBe("utf-8");
    expect(parsed.columns[0]).toBe("社員番号");
    expect(
      parsed.rows.map((r) => [r.employeeNumber, r.familyName, r.givenName, r.leaveReason, r.personalEmail]),
    ).toEqual([
      ["J-100", "鈴木", "次郎", "自己都合", "jiro.suzuki@example.com"],
      ["J-101", "田中", "美咲", "会社都合", null],
    ]);
    expect(parsed.rows[0]?.department).toBe("経理部");
  });

  it("splits カオナビ's 氏名 and フリガナ on the first space, half- or full-width", async () => {
    const parsed = await parse("kaonavi.csv");
    expect(parsed.rejected).toEqual([]);
    expect(
      parsed.rows.map((r) => [r.familyName, r.givenName, r.familyNameKana, r.givenNameKana, r.joinedOn, r.leftOn]),
    ).toEqual([
      ["伊藤", "直樹", "イトウ", "ナオキ", "2012-04-01", "2020-03-31"],
      ["渡辺", "由美", "ワタナベ", "ユミ", "2016-07-01", "2023-01-15"],
      ["中村", null, "ナカムラ", null, null, "2019-12-31"],
    ]);
  });

  it("reads English headers case-insensitively, with rehire yes/no", async () => {
    const parsed = await parse("english.csv");
    expect(
      parsed.rows.map((r) => [r.employeeNumber, r.familyName, r.givenName, r.department, r.rehireEligible]),
    ).toEqual([
      ["E-2001", "Smith", "Anna", "Engineering", true],
      ["E-2002", "Garcia", "Luis", "Sales", false],
    ]);
    expect(parsed.rows[0]?.personalEmail).toBe("anna@example.org");
    expect(parsed.rows[0]?.workEmail).toBe("anna.smith@corp.example.com");
    const shouting = await parseText("EMPLOYEE NUMBER,family name,TERMINATION DATE\nx9,Doe,2024-01-31\n");
    expect(shouting.rows.map((r) => [r.employeeNumber, r.familyName])).toEqual([["X9", "Doe"]]);
  });

  it("keeps line breaks and commas inside quoted cells, and numbers later lines by where they start", async () => {
    const parsed = await parse("quoted-newlines.csv");
    expect(parsed.rows.map((r) => [r.line, r.employeeNumber, r.department, r.leaveReason])).toEqual([
      [2, "Q1", "営業部\n東京支店", "自己都合\n(家族の介護)"],
      // Q1's two quoted cells each hold a line break: it spans lines 2 to 4.
      [5, "Q2", "開発部, 基盤チーム", "自己都合"],
      [6, "Q3", "総務部", null],
    ]);
    // A later problem is reported on the line a person sees in an editor.
    const bad = await parseText('社員番号,姓,退職年月日,部署\nA1,森,2023-03-31,"一\n二\n三"\nA2,林,不明,x\n');
    expect(bad.rejected).toEqual([
      { line: 5, key: "roster.rejected.badDate", params: { column: "退職年月日", value: "不明" } },
    ]);
  });

  it("reads wareki dates and rejects impossible ones with the cell quoted", async () => {
    const parsed = await parse("wareki.csv");
    expect(parsed.rows.map((r) => [r.employeeNumber, r.joinedOn, r.leftOn])).toEqual([
      ["W1", "2015-04-01", "2023-03-31"],
      ["W2", "2015-04-01", "2023-03-31"],
      ["W3", "1988-04-01", "2019-05-01"],
      ["W6", "2015-04-01", "2023-03-31"],
    ]);
    expect(parsed.rejected).toEqual([
      { line: 5, key: "roster.rejected.badDate", params: { column: "退職年月日", value: "平成31年5月1日" } },
      { line: 6, key: "roster.rejected.badDate", params: { column: "入社年月日", value: "H27.2.30" } },
    ]);
  });

  it("rejects every line of a duplicated employee number, naming the other lines", async () => {
    const parsed = await parse("duplicates.csv");
    expect(parsed.rows.map((r) => r.employeeNumber)).toEqual(["D2", "D3"]);
    expect(parsed.rejected).toEqual([
      { line: 2, key: "roster.rejected.duplicateEmployeeNumber", params: { employeeNumber: "D1", lines: "4, 6" } },
      { line: 4, key: "roster.rejected.duplicateEmployeeNumber", params: { employeeNumber: "D1", lines: "2, 6" } },
      { line: 6, key: "roster.rejected.duplicateEmployeeNumber", params: { employeeNumber: "D1", lines: "2, 4" } },
    ]);
    expect(t("en", parsed.rejected[0]?.key ?? "error.internal", parsed.rejected[0]?.params)).toBe(
      "Employee number D1 appears more than once in the file (also on line 4, 6). Neither line is imported.",
    );
  });

  it("keeps formula-like cells as plain text", async () => {
    const parsed = await parse("formula.csv");
    expect(parsed.rows.map((r) => [r.familyName, r.givenName, r.department, r.leaveReason])).toEqual([
      ["=cmd|' /C calc'!A0", "太郎", "+SUM(1+2)", '@HYPERLINK("http://evil.example")'],
      ["前田", "-2+3", "=1+1", null],
    ]);
  });

  it("gives each problem line its number and a reason in both languages", async () => {
    const parsed = await parse("rejected.csv");
    expect(
      parsed.rows.map((r) => [r.line, r.employeeNumber, r.familyName, r.familyNameKana, r.rehireEligible]),
    ).toEqual([[9, "R8", null, "イシイ", false]]);
    expect(parsed.rejected.map((r) => [r.line, r.key])).toEqual([
      [2, "roster.rejected.missingEmployeeNumber"],
      [3, "roster.rejected.missingFamilyName"],
      [4, "roster.rejected.missingLeaveDate"],
      [5, "roster.rejected.badDate"],
      [6, "roster.rejected.leftBeforeJoined"],
      [7, "roster.rejected.badRehire"],
      [8, "roster.rejected.badEmail"],
    ]);
    for (const r of parsed.rejected) {
      for (const locale of ["ja", "en"] as const) expect(t(locale, r.key, r.params)).not.toMatch(/\{\w+\}/);
    }
    expect(t("ja", parsed.rejected[3]?.key ?? "error.internal", parsed.rejected[3]?.params)).toContain("来年の春");
  });

  it("reads Excel's Unicode text (UTF-16 with a BOM, tab-separated) and a tab-separated UTF-8 file", async () => {
    const rows = [
      ["社員番号", "姓", "名", "姓(ヨミガナ)", "退職年月日", "部署"],
      ["E-01", "髙橋", "優子", "タカハシ", "令和5年3月31日", "営業部, 東京"],
      ["E-02", "山﨑", "大輔", "ヤマサキ", "2024/06/30", "開発部"],
    ];
    const tsv = `${rows.map((r) => r.join("\t")).join("\r\n")}\r\n`;
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from(tsv, "utf16le")]);
    const unicodeText = await parseRosterFile({ bytes: utf16, fileName: "leavers.txt", maxRows: 10 });
    expect(unicodeText.encoding).toBe("utf-16");
    expect(unicodeText.rejected).toEqual([]);
    expect(unicodeText.rows.map((r) => [r.employeeNumber, r.familyName, r.leftOn, r.department])).toEqual([
      ["E-01", "髙橋", "2023-03-31", "営業部, 東京"],
      ["E-02", "山﨑", "2024-06-30", "開発部"],
    ]);
    const utf8 = await parseText(tsv, "leavers.tsv");
    expect(utf8.encoding).toBe("utf-8");
    expect(utf8.rows.map((r) => r.department)).toEqual(["営業部, 東京", "開発部"]);
  });

  it("refuses a file that is neither UTF-8 nor CP932", async () => {
    expect(await fatalKey(parse("broken-encoding.csv"))).toBe("roster.fatal.undecodable");
  });

  it("refuses a file without a roster header, an empty file and a header without rows", async () => {
    expect(await fatalKey(parse("no-header.csv"))).toBe("roster.fatal.noHeader");
    expect(await fatalKey(parseText(""))).toBe("roster.fatal.empty");
    expect(await fatalKey(parseText("社員番号,姓,退職年月日\r\n\r\n"))).toBe("roster.fatal.noRows");
    // A title above the header is skipped; the header keeps its own line number.
    const titled = await parseText("退職者一覧 2024年3月,,\n\n社員番号,姓,退職年月日\nA1,森,2023-03-31\n");
    expect(titled.rows.map((r) => [r.line, r.employeeNumber])).toEqual([[4, "A1"]]);
    // A header with an employee number and a leave date but no name column is not enough.
    expect(await fatalKey(parseText("社員番号,退職年月日\nA1,2023-03-31\n"))).toBe("roster.fatal.noHeader");
  });

  it("refuses more rows than allowed, and a file larger than allowed", async () => {
    const lines = ["社員番号,姓,退職年月日", ...Array.from({ length: 11 }, (_, i) => `N${i},森,2023-03-31`)];
    expect(await fatalKey(parseText(lines.join("\n"), "r.csv", 10))).toBe("roster.fatal.tooManyRows");
    expect((await parseText(lines.slice(0, 11).join("\n"), "r.csv", 10)).rows).toHaveLength(10);
    const bytes = file("english.csv");
    expect(
      await fatalKey(parseRosterFile({ bytes, fileName: "english.csv", maxRows: 10, maxBytes: bytes.length - 1 })),
    ).toBe("roster.fatal.tooLarge");
  });

  it("refuses an unclosed quote and an old binary Excel file", async () => {
    expect(await fatalKey(parseText('社員番号,姓,退職年月日\nA1,"森,2023-03-31\n'))).toBe("roster.fatal.malformedCsv");
    expect(await fatalKey(parseText("whatever", "roster.xls"))).toBe("roster.fatal.unsupportedFormat");
  });

  it("reads the first sheet of an .xlsx workbook, with date cells and numeric employee ids", async () => {
    const parsed = await parse("english.xlsx");
    expect(parsed.format).toBe("xlsx");
    expect(parsed.rejected).toEqual([]);
    expect(
      parsed.rows.map((r) => [r.line, r.employeeNumber, r.familyName, r.joinedOn, r.leftOn, r.rehireEligible]),
    ).toEqual([
      [2, "E-2001", "Smith", "2016-05-02", "2024-01-31", true],
      [3, "E-2002", "Garcia", "2019-01-07", "2023-11-30", false],
      [4, "2003", "Tanaka", "2020-04-01", "2024-03-31", null],
    ]);
    expect(await fatalKey(parseRosterFile({ bytes: file("english.csv"), fileName: "roster.xlsx", maxRows: 10 }))).toBe(
      "roster.fatal.badXlsx",
    );
  });
});
