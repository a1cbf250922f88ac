// Roster imports on both engines, with the real fixture files: a preview writes nothing to the
// roster; Import applies the file as a whole; the same file twice changes nothing; two clicks give
// one import; Cancel and a fatal file leave the roster untouched; only hr and admin may import.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { applyRosterImport, cancelRosterImport } from "../../src/core/roster/decide-roster-import.js";
import { previewRosterImport } from "../../src/core/roster/preview-roster-import.js";
import type { Database } from "../../src/db/database.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const fixtures = join(import.meta.dirname, "../fixtures/roster");
const file = (name: string) => new Uint8Array(readFileSync(join(fixtures, name)));
const utf8 = (text: string) => new TextEncoder().encode(text);

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error("expected an AppError");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe.each(ENGINES)("roster import on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  let hrId: string;
  let adminId: string;
  let memberId: string;

  const preview = (name: string, bytes = file(name), uploaderId = hrId) =>
    previewRosterImport({ prisma: db.prisma, uploaderId, fileName: name, bytes, maxRows: 1000 });
  const apply = (importNumber: number, actorId = hrId) =>
    applyRosterImport({ prisma: db.prisma, actorId, importNumber });
  const entries = () =>
    db.prisma.rosterEntry.findMany({ orderBy: { employeeNumber: "asc" } }).then((rows) =>
      rows.map((r) => ({
        ...r,
        joinedOn: r.joinedOn?.toISOString().slice(0, 10),
        leftOn: r.leftOn?.toISOString().slice(0, 10),
      })),
    );
  const audits = (action: string) => db.prisma.auditLog.findMany({ where: { action }, orderBy: { at: "asc" } });

  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
    const person = async (role?: "hr" | "admin") => {
      const p = await db.prisma.person.create({ data: { displayName: role ?? "member" }, select: { id: true } });
      if (role) await db.prisma.roleGrant.create({ data: { personId: p.id, role } });
      return p.id;
    };
    hrId = await person("hr");
    adminId = await person("admin");
    memberId = await person();
  });
  afterAll(async () => {
    await handle?.close();
  });
  beforeEach(async () => {
    await db.prisma.rosterEntry.deleteMany();
    await db.prisma.rosterImport.deleteMany();
    await db.prisma.auditLog.deleteMany({ where: { action: { startsWith: "roster." } } });
  });

  it("previews a CP932 SmartHR file without touching the roster, then imports it whole", async () => {
    const shown = await preview("smarthr-cp932.csv");
    expect(shown).toMatchObject({
      fileName: "smarthr-cp932.csv",
      encoding: "shift_jis",
      counts: { new: 3, updated: 0, unchanged: 0, rejected: 0 },
      rejected: [],
      status: "previewed",
    });
    expect(await entries()).toEqual([]);
    const stored = await db.prisma.rosterImport.findUniqueOrThrow({ where: { number: shown.importNumber } });
    expect(stored.status).toBe("previewed");
    expect(stored.uploaderId).toBe(hrId);
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.rows).toHaveLength(3);

    const applied = await apply(shown.importNumber);
    expect(applied.outcome).toBe("imported");
    expect(applied.preview.status).toBe("imported");
    const rows = await entries();
    expect(
      rows.map((r) => [r.employeeNumber, r.familyName, r.givenName, r.department, r.leftOn, r.rehireEligible]),
    ).toEqual([
      ["S0001", "髙橋", "一郎", "営業部", "2023-03-31", true],
      ["S0002", "山﨑", "花子", "人事部", "2024-06-30", false],
      ["S0003", "佐藤", "健", "開発部", "2022-12-31", true],
    ]);
    // Matching keys: the personal email only (never the work email), kanji folded (髙 = 高) and kana as hiragana.
    expect(rows[0]?.emailKeys).toEqual(["ichiro.t@example.com"]);
    expect(rows[0]?.nameKeys).toEqual(["高橋", "たかはし"]);
    expect(rows[1]?.nameKeys).toEqual(["山崎", "やまざき"]);
    expect(rows[2]?.emailKeys).toEqual([]);
    expect(new Set(rows.map((r) => r.importId))).toEqual(new Set([stored.id]));

    const after = await db.prisma.rosterImport.findUniqueOrThrow({ where: { number: shown.importNumber } });
    expect(after.status).toBe("imported");
    expect(after.decidedAt).not.toBeNull();
    expect(after.rows).toBeNull();
    const logged = await audits("roster.imported");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ actorId: hrId, subjectType: "roster_import", subjectId: stored.id });
    expect(logged[0]?.details).toMatchObject({ number: shown.importNumber, written: 3 });
  });

  it("importing the same file twice changes nothing; a changed file updates by employee number", async () => {
    await apply((await preview("smarthr-cp932.csv")).importNumber);
    const first = await entries();

    const again = await preview("smarthr-cp932.csv");
    expect(again.counts).toEqual({ new: 0, updated: 0, unchanged: 3, rejected: 0 });
    const second = await apply(again.importNumber);
    expect(second.outcome).toBe("imported");
    expect(await entries()).toEqual(first);
    expect((await audits("roster.imported"))[1]?.details).toMatchObject({ written: 0 });

    // One row changes department, one is new; the member linked to S0001 stays linked.
    await db.prisma.rosterEntry.update({ where: { employeeNumber: "S0001" }, data: { personId: memberId } });
    const changed = utf8(
      [
        "社員番号,姓,名,姓(ヨミガナ),名(ヨミガナ),メールアドレス,個人メールアドレス,入社年月日,退職年月日,部署,再雇用可否",
        "S0001,髙橋,一郎,タカハシ,イチロウ,takahashi@corp.example.co.jp,ichiro.t@example.com,2010/04/01,2023/03/31,営業企画部,可",
        "S0002,山﨑,花子,ヤマザキ,ハナコ,yamazaki@corp.example.co.jp,hanako.y@example.net,2015/04/01,2024/06/30,人事部,不可",
        "S0009,新井,大輔,アライ,ダイスケ,,,2011/04/01,2025/03/31,法務部,",
      ].join("\r\n"),
    );
    const third = await preview("smarthr-changed.csv", changed);
    expect(third.counts).toEqual({ new: 1, updated: 1, unchanged: 1, rejected: 0 });
    await apply(third.importNumber);
    const rows = await entries();
    const s1 = rows.find((r) => r.employeeNumber === "S0001");
    expect(s1?.department).toBe("営業企画部");
    expect(s1?.personId).toBe(memberId);
    expect(s1?.id).toBe(first[0]?.id);
    // A row the file does not mention is kept (the roster is cumulative); an unchanged row keeps its import.
    expect(rows.map((r) => r.employeeNumber)).toEqual(["S0001", "S0002", "S0003", "S0009"]);
    expect(rows.find((r) => r.employeeNumber === "S0002")?.importId).toBe(first[1]?.importId);
    expect(rows.find((r) => r.employeeNumber === "S0002")?.updatedAt).toEqual(first[1]?.updatedAt);
  });

  it("two Import clicks at once give one import; a later Cancel is told it was already decided", async () => {
    const shown = await preview("jinjer-utf8-bom.csv");
    const [a, b] = await Promise.all([apply(shown.importNumber), apply(shown.importNumber, adminId)]);
    expect([a.outcome, b.outcome].sort()).toEqual(["already_decided", "imported"]);
    expect(await audits("roster.imported")).toHaveLength(1);
    expect(await db.prisma.rosterEntry.count()).toBe(2);
    const late = await cancelRosterImport({ prisma: db.prisma, actorId: hrId, importNumber: shown.importNumber });
    expect(late.outcome).toBe("already_decided");
    expect(late.preview.status).toBe("imported");
    expect(await db.prisma.rosterEntry.count()).toBe(2);
  });

  it("Cancel stores nothing in the roster and makes a later Import harmless", async () => {
    const shown = await preview("kaonavi.csv");
    const cancelled = await cancelRosterImport({ prisma: db.prisma, actorId: hrId, importNumber: shown.importNumber });
    expect(cancelled.outcome).toBe("cancelled");
    expect(cancelled.preview.status).toBe("cancelled");
    expect((await db.prisma.rosterImport.findUniqueOrThrow({ where: { number: shown.importNumber } })).rows).toBeNull();
    expect(await audits("roster.cancelled")).toHaveLength(1);
    const stale = await apply(shown.importNumber);
    expect(stale.outcome).toBe("already_decided");
    expect(await entries()).toEqual([]);
    expect((await failure(apply(999_999))).key).toBe("roster.importNotFound");
  });

  it("a fatal file stores nothing and leaves the roster as it was", async () => {
    await apply((await preview("english.csv")).importNumber);
    const before = await entries();
    const importsBefore = await db.prisma.rosterImport.count();
    for (const name of ["broken-encoding.csv", "no-header.csv"]) {
      const err = await failure(preview(name));
      expect(err.code).toBe("validation");
      expect(err.localized("ja")).not.toContain("roster.");
    }
    const tooMany = await failure(
      previewRosterImport({
        prisma: db.prisma,
        uploaderId: hrId,
        fileName: "w.csv",
        bytes: file("wareki.csv"),
        maxRows: 2,
      }),
    );
    expect(tooMany.key).toBe("roster.fatal.tooManyRows");
    expect(await db.prisma.rosterImport.count()).toBe(importsBefore);
    expect(await entries()).toEqual(before);
  });

  it("imports the good lines of a file with rejected ones, and shows every rejection with its line", async () => {
    const shown = await preview("duplicates.csv");
    expect(shown.counts).toEqual({ new: 2, updated: 0, unchanged: 0, rejected: 3 });
    expect(shown.rejected.map((r) => r.line)).toEqual([2, 4, 6]);
    await apply(shown.importNumber);
    expect((await entries()).map((r) => r.employeeNumber)).toEqual(["D2", "D3"]);
    // The summary keeps what the card showed after the rows are gone.
    const stored = await db.prisma.rosterImport.findUniqueOrThrow({ where: { number: shown.importNumber } });
    expect(stored.summary).toMatchObject({ counts: shown.counts, encoding: "utf-8", format: "csv" });
  });

  it("stores formula-like cells as the text they are", async () => {
    await apply((await preview("formula.csv")).importNumber);
    const rows = await entries();
    expect(rows[0]?.familyName).toBe("=cmd|' /C calc'!A0");
    expect(rows[0]?.department).toBe("+SUM(1+2)");
    expect(rows[1]?.department).toBe("=1+1");
  });

  it("wareki dates are stored as dates; quoted line breaks as text", async () => {
    await apply((await preview("wareki.csv")).importNumber);
    await apply((await preview("quoted-newlines.csv")).importNumber);
    const rows = await entries();
    expect(rows.find((r) => r.employeeNumber === "W3")).toMatchObject({ joinedOn: "1988-04-01", leftOn: "2019-05-01" });
    expect(rows.find((r) => r.employeeNumber === "Q1")?.department).toBe("営業部\n東京支店");
  });

  it("only hr and admin may preview, import or cancel", async () => {
    expect((await failure(preview("english.csv", file("english.csv"), memberId))).code).toBe("forbidden");
    expect(await db.prisma.rosterImport.count()).toBe(0);
    const shown = await preview("english.csv", file("english.csv"), adminId);
    expect((await failure(apply(shown.importNumber, memberId))).code).toBe("forbidden");
    expect(
      (await failure(cancelRosterImport({ prisma: db.prisma, actorId: memberId, importNumber: shown.importNumber })))
        .code,
    ).toBe("forbidden");
    expect((await db.prisma.rosterImport.findUniqueOrThrow({ where: { number: shown.importNumber } })).status).toBe(
      "previewed",
    );
    expect(await entries()).toEqual([]);
  });

  it("imports an .xlsx workbook", async () => {
    const shown = await preview("english.xlsx");
    expect(shown.counts).toEqual({ new: 3, updated: 0, unchanged: 0, rejected: 0 });
    await apply(shown.importNumber);
    expect((await entries()).map((r) => [r.employeeNumber, r.leftOn])).toEqual([
      ["2003", "2024-03-31"],
      ["E-2001", "2024-01-31"],
      ["E-2002", "2023-11-30"],
    ]);
    // The same people from the CSV export are unchanged except the row only the workbook has.
    expect((await preview("english.csv")).counts).toEqual({ new: 0, updated: 0, unchanged: 2, rejected: 0 });
  });
});
