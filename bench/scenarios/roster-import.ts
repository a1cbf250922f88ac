// A 50,000-row leavers file in Shift_JIS (CP932, as Japanese Excel saves it, with 髙 and 﨑),
// imported through the app's own previewRosterImport and applyRosterImport, on PostgreSQL and
// on embedded PGlite: the time to parse and preview it (compare with the roster, store the
// preview), the time to apply it (50 INSERT … ON CONFLICT statements of 1,000 rows in one
// transaction), a second preview of the same file (all unchanged), and the peak RSS of this
// process during each engine's run.
//
//   node --import tsx bench/scenarios/roster-import.ts [--quick] [--rows=50000]
import { performance } from "node:perf_hooks";
import iconv from "iconv-lite";
import { findRosterMatch } from "../../src/core/members/find-roster-match.js";
import { applyRosterImport } from "../../src/core/roster/decide-roster-import.js";
import { parseRosterFile } from "../../src/core/roster/parse-roster-file.js";
import { previewRosterImport } from "../../src/core/roster/preview-roster-import.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { migrationsDir } from "../../src/paths.js";
import { type BenchOptions, createBenchDatabase, percentile, round } from "../lib.js";

export interface RosterEngineFigures {
  parseMs: number;
  previewMs: number;
  applyMs: number;
  /** Preview of the same file again: every row unchanged. */
  repreviewMs: number;
  /** This process's RSS with the engine open and migrated, before the file (PGlite's own memory is in it). */
  rssBeforeMb: number;
  peakRssMb: number;
  /** findRosterMatch over the imported roster, as a join runs it (a third by email, a third by number and kana, a third matching nothing). */
  matchP50Ms: number;
  matchP95Ms: number;
}

export interface RosterImportResult {
  rows: number;
  fileMb: number;
  pglite: RosterEngineFigures;
  postgres: RosterEngineFigures;
}

const FAMILY: [string, string][] = [
  ["佐藤", "サトウ"],
  ["鈴木", "スズキ"],
  ["髙橋", "タカハシ"],
  ["田中", "タナカ"],
  ["伊藤", "イトウ"],
  ["渡辺", "ワタナベ"],
  ["山本", "ヤマモト"],
  ["中村", "ナカムラ"],
  ["小林", "コバヤシ"],
  ["山﨑", "ヤマザキ"],
  ["吉田", "ヨシダ"],
  ["長谷川", "ハセガワ"],
];
const GIVEN: [string, string][] = [
  ["太郎", "タロウ"],
  ["花子", "ハナコ"],
  ["一郎", "イチロウ"],
  ["美咲", "ミサキ"],
  ["翔", "ショウ"],
  ["由美", "ユミ"],
  ["直樹", "ナオキ"],
  ["恵", "メグミ"],
];
const DEPARTMENTS = ["営業部", "人事部", "経理部", "開発部", "研究開発部", "法務部", "マーケティング部", "総務部"];

/** A SmartHR-style export of `rows` leavers, encoded in CP932 with CRLF line ends. */
export function makeShiftJisRoster(rows: number): Buffer {
  const lines = [
    "社員番号,姓,名,姓(ヨミガナ),名(ヨミガナ),メールアドレス,個人メールアドレス,入社年月日,退職年月日,部署,再雇用可否",
  ];
  for (let i = 0; i < rows; i++) {
    const [family, familyKana] = FAMILY[i % FAMILY.length] as [string, string];
    const [given, givenKana] = GIVEN[(i * 7) % GIVEN.length] as [string, string];
    const joined = 1990 + (i % 30);
    const left = joined + 1 + (i % 5);
    const month = String(1 + (i % 12)).padStart(2, "0");
    lines.push(
      [
        `B${String(i + 1).padStart(6, "0")}`,
        family,
        given,
        familyKana,
        givenKana,
        `user${i}@corp.example.co.jp`,
        i % 3 === 0 ? "" : `person${i}@example.com`,
        `${joined}/04/01`,
        `${left}/${month}/15`,
        DEPARTMENTS[i % DEPARTMENTS.length],
        i % 10 === 0 ? "不可" : "可",
      ].join(","),
    );
  }
  return iconv.encode(`${lines.join("\r\n")}\r\n`, "cp932");
}

/** Peak RSS while `fn` runs: sampled every 20 ms, and the process's own high-water mark when it rose. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  const highBefore = process.resourceUsage().maxRSS * 1024;
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    const highAfter = process.resourceUsage().maxRSS * 1024;
    // PGlite can hold the event loop while it works: the kernel's high-water mark sees what sampling missed.
    if (highAfter > highBefore) peak = Math.max(peak, highAfter);
    return { result, peakRssMb: round(peak / (1024 * 1024), 1) };
  } finally {
    clearInterval(timer);
  }
}

/** 600 joins' matching against the imported roster: p50 and p95 of findRosterMatch (ms). */
async function joinMatching(db: Database, rows: number): Promise<{ matchP50Ms: number; matchP95Ms: number }> {
  const times: number[] = [];
  let verified = 0;
  for (let n = 0; n < 600; n++) {
    const spread = (n * 7919) % rows; // spread over the file
    const i = spread % 3 === 0 ? (spread + 1) % rows : spread; // a row with a personal email (rows i % 3 === 0 have none)
    const [, familyKana] = FAMILY[i % FAMILY.length] as [string, string];
    const form =
      n % 3 === 0
        ? // The personal email, typed in full width and upper case.
          { personalEmail: `ＰＥＲＳＯＮ${i}@EXAMPLE.COM`, employeeNumber: null, familyName: null }
        : n % 3 === 1
          ? {
              personalEmail: "someone.else@example.net",
              employeeNumber: `b${String(i + 1).padStart(6, "0")}`,
              familyName: familyKana,
            }
          : { personalEmail: `stranger${n}@example.org`, employeeNumber: "X999999", familyName: "ヤマダ" };
    const started = performance.now();
    const match = await findRosterMatch({ prisma: db.prisma, ...form });
    times.push(performance.now() - started);
    if (match) verified++;
  }
  // Every email join and every number-and-kana join matches; no stranger does.
  if (verified !== 400) throw new Error(`join matching verified ${verified} of 600, expected 400`);
  return { matchP50Ms: round(percentile(times, 50), 2), matchP95Ms: round(percentile(times, 95), 2) };
}

async function runOn(db: Database, bytes: Buffer, rows: number, options: BenchOptions, label: string) {
  const hr = await db.prisma.person.create({ data: { displayName: "Bench HR" }, select: { id: true } });
  await db.prisma.roleGrant.create({ data: { personId: hr.id, role: "hr" } });
  const maxRows = rows + 1;
  const rssBeforeMb = round(process.memoryUsage.rss() / (1024 * 1024), 1);
  const { result, peakRssMb } = await withPeakRss(async () => {
    let started = performance.now();
    const parsed = await parseRosterFile({ bytes, fileName: "leavers.csv", maxRows });
    const parseMs = performance.now() - started;
    if (parsed.rows.length !== rows || parsed.rejected.length !== 0) {
      throw new Error(`${label}: parsed ${parsed.rows.length} rows, ${parsed.rejected.length} rejected`);
    }
    started = performance.now();
    const preview = await previewRosterImport({
      prisma: db.prisma,
      uploaderId: hr.id,
      fileName: "leavers.csv",
      bytes,
      maxRows,
    });
    const previewMs = performance.now() - started;
    if (preview.counts.new !== rows) throw new Error(`${label}: preview counted ${JSON.stringify(preview.counts)}`);
    started = performance.now();
    const applied = await applyRosterImport({ prisma: db.prisma, actorId: hr.id, importNumber: preview.importNumber });
    const applyMs = performance.now() - started;
    if (applied.outcome !== "imported") throw new Error(`${label}: apply said ${applied.outcome}`);
    const stored = await db.prisma.rosterEntry.count();
    if (stored !== rows) throw new Error(`${label}: ${stored} rows stored, expected ${rows}`);
    started = performance.now();
    const again = await previewRosterImport({
      prisma: db.prisma,
      uploaderId: hr.id,
      fileName: "leavers.csv",
      bytes,
      maxRows,
    });
    const repreviewMs = performance.now() - started;
    if (again.counts.unchanged !== rows) throw new Error(`${label}: second preview ${JSON.stringify(again.counts)}`);
    return { parseMs, previewMs, applyMs, repreviewMs };
  });
  const match = await joinMatching(db, rows);
  const figures: RosterEngineFigures = {
    ...match,
    parseMs: Math.round(result.parseMs),
    previewMs: Math.round(result.previewMs),
    applyMs: Math.round(result.applyMs),
    repreviewMs: Math.round(result.repreviewMs),
    rssBeforeMb,
    peakRssMb,
  };
  options.log(`roster import (${label}): ${JSON.stringify(figures)}`);
  return figures;
}

export async function runRosterImportBench(options: BenchOptions & { rows?: number }): Promise<RosterImportResult> {
  const rows = options.rows ?? (options.quick ? 5_000 : 50_000);
  const bytes = makeShiftJisRoster(rows);
  options.log(`roster import: ${rows} rows, ${round(bytes.length / (1024 * 1024), 2)} MB of Shift_JIS`);
  const throwaway = await createBenchDatabase("ab_bench_roster");
  const opened: Database[] = [];
  const open = async (o: Parameters<typeof openDatabase>[0]) => {
    const db = await openDatabase(o);
    opened.push(db);
    await applyMigrations({ db, migrationsDir });
    return db;
  };
  try {
    // PostgreSQL first: this process's high-water mark then belongs to it alone; PGlite (in this
    // process, with its own memory) second.
    const postgres = await runOn(
      await open({ engine: "postgres", url: throwaway.url }),
      bytes,
      rows,
      options,
      "postgres",
    );
    const pglite = await runOn(await open({ engine: "pglite", dataDir: null }), bytes, rows, options, "pglite");
    return { rows, fileMb: round(bytes.length / (1024 * 1024), 2), pglite, postgres };
  } finally {
    await Promise.allSettled(opened.map((db) => db.close()));
    await throwaway.drop();
  }
}

if (process.argv[1]?.endsWith("roster-import.ts")) {
  const rowsArg = process.argv.find((a) => a.startsWith("--rows="))?.slice("--rows=".length);
  const result = await runRosterImportBench({
    quick: process.argv.includes("--quick"),
    log: (m) => console.error(m),
    ...(rowsArg ? { rows: Number(rowsArg) } : {}),
  });
  console.log(JSON.stringify(result, null, 2));
}
