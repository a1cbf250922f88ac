// The roster's other operations on both engines: the one-leaver form (validated, upserted, audited),
// HR's search (names compared as matching compares them), the summary counts, deletion, and the
// retention job that deletes rows of people who never joined.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { addRosterEntry } from "../../src/core/roster/add-roster-entry.js";
import { applyRosterImport } from "../../src/core/roster/decide-roster-import.js";
import { deleteRosterEntry } from "../../src/core/roster/delete-roster-entry.js";
import { getRosterSummary } from "../../src/core/roster/get-roster-summary.js";
import { previewRosterImport } from "../../src/core/roster/preview-roster-import.js";
import { pruneRoster } from "../../src/core/roster/prune-roster.js";
import { searchRoster } from "../../src/core/roster/search-roster.js";
import type { Database } from "../../src/db/database.js";
import { JOBS } from "../../src/scheduler/jobs.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const DAY = 86_400_000;

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

describe.each(ENGINES)("roster entries on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  let hrId: string;
  let memberId: string;

  const add = (input: Record<string, unknown>, actorId = hrId) => addRosterEntry({ prisma: db.prisma, actorId, input });
  const search = (query: string) =>
    searchRoster({ prisma: db.prisma, query }).then((rows) => rows.map((r) => r.employeeNumber));

  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
    hrId = (await db.prisma.person.create({ data: { displayName: "HR" } })).id;
    await db.prisma.roleGrant.create({ data: { personId: hrId, role: "hr" } });
    memberId = (await db.prisma.person.create({ data: { displayName: "Member" } })).id;
  });
  afterAll(async () => {
    await handle?.close();
  });
  beforeEach(async () => {
    await db.prisma.rosterEntry.deleteMany();
    await db.prisma.rosterImport.deleteMany();
    await db.prisma.auditLog.deleteMany({ where: { action: { startsWith: "roster." } } });
  });

  it("the one-leaver form adds a leaver, then corrects them by employee number", async () => {
    const first = await add({
      employeeNumber: " ｓ-77 ",
      familyName: "髙田",
      givenName: "優",
      familyNameKana: "ﾀｶﾀﾞ",
      personalEmail: "Yu.Takada@Example.com",
      department: "研究所",
      joinedOn: "平成22年4月1日",
      leftOn: "2024-03-31",
      rehireEligible: "不可",
    });
    expect(first.created).toBe(true);
    expect(first.entry).toEqual({
      employeeNumber: "S-77",
      familyName: "髙田",
      givenName: "優",
      familyNameKana: "ﾀｶﾀﾞ",
      givenNameKana: null,
      department: "研究所",
      joinedOn: "2010-04-01",
      leftOn: "2024-03-31",
      rehireEligible: false,
      joined: false,
    });
    const stored = await db.prisma.rosterEntry.findUniqueOrThrow({ where: { employeeNumber: "S-77" } });
    expect(stored.emailKeys).toEqual(["yu.takada@example.com"]);
    expect(stored.nameKeys).toEqual(["高田", "たかだ"]);
    expect(stored.importId).toBeNull();

    const second = await add({ employeeNumber: "S-77", familyName: "髙田", leftOn: "R6.3.31", rehireEligible: true });
    expect(second.created).toBe(false);
    expect(second.entry).toMatchObject({ leftOn: "2024-03-31", rehireEligible: true, department: null });
    expect(await db.prisma.rosterEntry.count()).toBe(1);
    const audit = await db.prisma.auditLog.findMany({
      where: { action: { startsWith: "roster.entry_" } },
      orderBy: { at: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actorId, a.subjectId])).toEqual([
      ["roster.entry_added", hrId, stored.id],
      ["roster.entry_updated", hrId, stored.id],
    ]);
  });

  it("the form says what is wrong, field by field, and stores nothing", async () => {
    const err = await failure(
      add({ employeeNumber: "", familyName: "", leftOn: "H31.5.1", personalEmail: "nope", rehireEligible: "maybe" }),
    );
    expect(err.code).toBe("validation");
    expect(Object.fromEntries(Object.entries(err.fields).map(([f, p]) => [f, p.key]))).toEqual({
      employeeNumber: "validation.required",
      leftOn: "roster.form.badDate",
      personalEmail: "validation.email",
      rehireEligible: "roster.form.badRehire",
    });
    const names = await failure(add({ employeeNumber: "X1", leftOn: "2024-03-31" }));
    expect(names.fields.familyName?.key).toBe("roster.form.familyNameRequired");
    const order = await failure(
      add({ employeeNumber: "X1", familyName: "森", joinedOn: "2025-01-01", leftOn: "2024-03-31" }),
    );
    expect(order.fields.leftOn?.key).toBe("roster.form.leftBeforeJoined");
    const missing = await failure(add({ employeeNumber: "X1", familyName: "森" }));
    expect(missing.fields.leftOn?.key).toBe("validation.required");
    expect((await failure(add({ employeeNumber: "X1", familyName: "森", leftOn: "2024-03-31" }, memberId))).code).toBe(
      "forbidden",
    );
    expect(await db.prisma.rosterEntry.count()).toBe(0);
  });

  it("search finds by employee number, by kanji or kana family name (variant kanji folded), by given name and department", async () => {
    await add({
      employeeNumber: "A100",
      familyName: "髙橋",
      givenName: "一郎",
      familyNameKana: "タカハシ",
      department: "営業部",
      leftOn: "2023-03-31",
    });
    await add({
      employeeNumber: "A101",
      familyName: "高田",
      familyNameKana: "タカダ",
      department: "開発部",
      leftOn: "2023-03-31",
    });
    await add({
      employeeNumber: "B200",
      familyName: "Smith",
      givenName: "Anna",
      department: "Sales 100%",
      leftOn: "2023-03-31",
    });
    expect(await search("a100")).toEqual(["A100"]);
    expect((await search("A10")).sort()).toEqual(["A100", "A101"]);
    expect(await search("高橋")).toEqual(["A100"]);
    expect(await search("たかはし")).toEqual(["A100"]);
    expect((await search("ﾀｶ")).sort()).toEqual(["A100", "A101"]);
    // An exact employee number comes first.
    await add({ employeeNumber: "TAKA", familyName: "Zed", leftOn: "2023-03-31" });
    expect((await search("taka"))[0]).toBe("TAKA");
    expect(await search("一郎")).toEqual(["A100"]);
    expect(await search("smith")).toEqual(["B200"]);
    expect(await search("営業")).toEqual(["A100"]);
    expect(await search("髙橋 営業")).toEqual(["A100"]);
    expect(await search("髙橋 開発")).toEqual([]);
    expect(await search("100%")).toEqual(["B200"]);
    expect(await search("%")).toEqual(["B200"]);
    expect(await search("_")).toEqual([]);
    expect(await search("   ")).toEqual([]);
    const [view] = await searchRoster({ prisma: db.prisma, query: "A100" });
    expect(view).toMatchObject({ familyName: "髙橋", leftOn: "2023-03-31", joined: false });
  });

  it("summary counts the roster, who joined, who may not be rehired, and the last import", async () => {
    expect(await getRosterSummary({ prisma: db.prisma })).toEqual({
      total: 0,
      joined: 0,
      notJoined: 0,
      rehireIneligible: 0,
      lastImport: null,
    });
    const bytes = new TextEncoder().encode(
      "社員番号,姓,退職年月日,再雇用可否\nC1,森,2023-03-31,不可\nC2,林,2023-03-31,可\nC3,原,2023-03-31,\n",
    );
    const shown = await previewRosterImport({
      prisma: db.prisma,
      uploaderId: hrId,
      fileName: "leavers.csv",
      bytes,
      maxRows: 10,
    });
    await applyRosterImport({ prisma: db.prisma, actorId: hrId, importNumber: shown.importNumber });
    await db.prisma.rosterEntry.update({ where: { employeeNumber: "C2" }, data: { personId: memberId } });
    const summary = await getRosterSummary({ prisma: db.prisma });
    expect(summary).toMatchObject({ total: 3, joined: 1, notJoined: 2, rehireIneligible: 1 });
    expect(summary.lastImport).toMatchObject({ number: shown.importNumber, fileName: "leavers.csv" });
    expect(summary.lastImport?.at).toBeInstanceOf(Date);
  });

  it("HR deletes a row by employee number (audited); a member linked to it stays a member", async () => {
    await add({ employeeNumber: "Z9", familyName: "森", leftOn: "2023-03-31" });
    await db.prisma.rosterEntry.update({ where: { employeeNumber: "Z9" }, data: { personId: memberId } });
    expect(await deleteRosterEntry({ prisma: db.prisma, actorId: hrId, employeeNumber: "ｚ９" })).toEqual({
      deleted: true,
    });
    expect(await deleteRosterEntry({ prisma: db.prisma, actorId: hrId, employeeNumber: "Z9" })).toEqual({
      deleted: false,
    });
    expect(await db.prisma.rosterEntry.count()).toBe(0);
    expect(await db.prisma.person.findUnique({ where: { id: memberId } })).not.toBeNull();
    const audit = await db.prisma.auditLog.findMany({ where: { action: "roster.entry_deleted" } });
    expect(audit.map((a) => [a.actorId, a.details])).toEqual([[hrId, { employeeNumber: "Z9" }]]);
    await add({ employeeNumber: "Z8", familyName: "森", leftOn: "2023-03-31" });
    expect(
      (await failure(deleteRosterEntry({ prisma: db.prisma, actorId: memberId, employeeNumber: "Z8" }))).code,
    ).toBe("forbidden");
    expect(await db.prisma.rosterEntry.count()).toBe(1);
  });

  it("the retention job deletes old rows of people who never joined, keeping members' rows and new rows", async () => {
    const now = new Date("2030-01-01T00:00:00Z");
    for (const n of ["P1", "P2", "P3"]) await add({ employeeNumber: n, familyName: "森", leftOn: "2020-03-31" });
    await db.prisma.rosterEntry.update({
      where: { employeeNumber: "P1" },
      data: { createdAt: new Date(now.getTime() - 731 * DAY) },
    });
    await db.prisma.rosterEntry.update({
      where: { employeeNumber: "P2" },
      data: { createdAt: new Date(now.getTime() - 731 * DAY), personId: memberId },
    });
    await db.prisma.rosterEntry.update({
      where: { employeeNumber: "P3" },
      data: { createdAt: new Date(now.getTime() - 729 * DAY) },
    });
    expect(await pruneRoster({ prisma: db.prisma, retentionDays: 730, now })).toEqual({ deleted: 1 });
    expect(
      (await db.prisma.rosterEntry.findMany({ orderBy: { employeeNumber: "asc" } })).map((r) => r.employeeNumber),
    ).toEqual(["P2", "P3"]);
    const audit = await db.prisma.auditLog.findMany({ where: { action: "roster.pruned" } });
    expect(audit.map((a) => a.details)).toEqual([{ deleted: 1, retentionDays: 730 }]);
    expect(await pruneRoster({ prisma: db.prisma, retentionDays: 730, now })).toEqual({ deleted: 0 });
    expect(await db.prisma.auditLog.count({ where: { action: "roster.pruned" } })).toBe(1);

    // The scheduler runs it with ROSTER_RETENTION_DAYS.
    const job = JOBS.find((j) => j.name === "prune_roster");
    const config = {
      reminderOffsetsMs: [],
      surveyOffsetsMs: [],
      schedulerIntervalSeconds: 10,
      defaultTimeZone: "Asia/Tokyo",
      roster: { retentionDays: 1 },
    };
    expect(await job?.run({ prisma: db.prisma, now, horizonMs: 10_000, config })).toEqual({ pruned: 1 });
    expect((await db.prisma.rosterEntry.findMany()).map((r) => r.employeeNumber)).toEqual(["P2"]);
  });
});
