// Directory search (`/alumni find`) at 100,000 members, on PostgreSQL and on
// embedded PGlite: the real searchDirectory() through Prisma, over members
// bulk-loaded with SQL into a database migrated by the app's own migrator.
// Rows are inserted into the same tables the app writes (people, slack
// identities, consents, profiles), so whatever the database maintains for the
// search (triggers, indexes) runs for them exactly as for a registration; a few
// members are also registered through registerMember() itself, and the run checks
// that search finds them like the bulk-loaded ones.
//
//   node --import tsx bench/scenarios/search.ts [--quick]
import { performance } from "node:perf_hooks";
import { CONSENT_PURPOSE, CONSENT_VERSION, consentTextHash } from "../../src/core/members/consent.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { searchDirectory } from "../../src/core/members/search-directory.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { migrationsDir } from "../../src/paths.js";
import { JA_GIVEN, JA_SURNAMES } from "../../src/sandbox/names.js";
import { type BenchOptions, createBenchDatabase, percentile, round } from "../lib.js";

export interface SearchKindResult {
  postgresP50Ms: number;
  postgresP95Ms: number;
  pgliteP50Ms: number;
  pgliteP95Ms: number;
  /** Mean number of entries returned on the first page (PostgreSQL), to show what the kind is like. */
  meanHits: number;
}

export interface SearchResult {
  postgresP95Ms: number;
  pgliteP95Ms: number;
  postgresP50Ms: number;
  pgliteP50Ms: number;
  members: number;
  pgliteMembers: number;
  queries: number;
  postgresLoadMs: number;
  pgliteLoadMs: number;
  byKind: Record<QueryKind, SearchKindResult>;
}

const TEAM = "T0BENCH01";

// ───────────────────────────── data ─────────────────────────────

const LATIN_GIVEN = [
  "Emma",
  "Liam",
  "Olivia",
  "Noah",
  "Sophia",
  "James",
  "Mia",
  "Lucas",
  "Kenta",
  "Misaki",
  "Yuki",
  "Hiroshi",
  "Anna",
  "David",
  "Sarah",
  "Michael",
  "Chen",
  "Priya",
  "Aiko",
  "Daniel",
];
const LATIN_SURNAMES = [
  "Smith",
  "Johnson",
  "Brown",
  "Garcia",
  "Miller",
  "Davis",
  "Wilson",
  "Anderson",
  "Sato",
  "Suzuki",
  "Tanaka",
  "Watanabe",
  "Nakamura",
  "Kobayashi",
  "Kim",
  "Lee",
  "Nguyen",
  "Patel",
  "Schmidt",
  "Rossi",
];
const DEPARTMENTS = [
  "営業部",
  "人事部",
  "経理部",
  "開発部",
  "研究開発部",
  "マーケティング部",
  "法務部",
  "経営企画部",
  "カスタマーサクセス部",
  "情報システム部",
  "Engineering",
  "Sales",
  "Product",
  "Finance",
];
const EMPLOYERS = [
  "株式会社サクラテック",
  "富士山ソリューションズ",
  "青空コンサルティング",
  "Acme Corp",
  "Globex",
  "Initech",
  "Umbrella Japan",
  "みらい銀行",
  "フリーランス",
  "合同会社ひかり",
  "Stark Industries",
  "Wayne Enterprises",
];
const TITLES = [
  "エンジニア",
  "シニアエンジニア",
  "プロダクトマネージャー",
  "営業マネージャー",
  "人事担当",
  "データサイエンティスト",
  "デザイナー",
  "CTO",
  "Software Engineer",
  "Product Manager",
  "Account Executive",
  "Data Analyst",
  "Consultant",
  "代表取締役",
];
const SKILLS = [
  "TypeScript",
  "Go",
  "Python",
  "Java",
  "React",
  "Kubernetes",
  "AWS",
  "SQL",
  "営業",
  "データ分析",
  "人事",
  "採用",
  "経理",
  "マーケティング",
  "プロジェクト管理",
  "機械学習",
  "UXデザイン",
  "法務",
  "英語",
  "中国語",
  "Rust",
  "Figma",
  "Salesforce",
];
// What members chose to show (weights in tenths of a percent, summing to 1000).
// Empty means not listed (`listed` is false exactly then, as profileColumns() does).
const FIELD_CHOICES: Array<[number, string[]]> = [
  [330, ["display_name", "department", "years", "employer", "title", "skills", "interests"]],
  [200, ["display_name", "skills"]],
  [100, ["display_name"]],
  [100, ["skills", "department", "title"]],
  [120, ["display_name", "employer", "title", "years"]],
  [70, ["display_name", "department", "skills", "email"]],
  [80, []],
];

type QueryKind = "skill_latin" | "skill_ja" | "name_latin" | "name_ja_2" | "name_ja_3plus" | "no_match";

const QUERIES: Array<{ kind: QueryKind; words: string[] }> = [
  { kind: "skill_latin", words: ["typescript"] },
  { kind: "skill_latin", words: ["Kubernetes"] },
  { kind: "skill_latin", words: ["python"] },
  { kind: "skill_latin", words: ["Go"] },
  { kind: "skill_ja", words: ["データ分析"] },
  { kind: "skill_ja", words: ["機械学習"] },
  { kind: "skill_ja", words: ["営業"] },
  { kind: "skill_ja", words: ["人事"] },
  { kind: "name_latin", words: ["tanak"] },
  { kind: "name_latin", words: ["Olivia"] },
  { kind: "name_latin", words: ["mith"] },
  { kind: "name_latin", words: ["Nguyen", "Priya"] },
  { kind: "name_ja_2", words: ["田中"] },
  { kind: "name_ja_2", words: ["美咲"] },
  { kind: "name_ja_2", words: ["藤田"] },
  { kind: "name_ja_2", words: ["郎"] },
  { kind: "name_ja_3plus", words: ["田中 美咲"] },
  { kind: "name_ja_3plus", words: ["長谷川"] },
  { kind: "name_ja_3plus", words: ["由美子"] },
  { kind: "name_ja_3plus", words: ["佐々木", "機械学習"] },
  { kind: "no_match", words: ["xylophonist"] },
  { kind: "no_match", words: ["織田信長"] },
  { kind: "no_match", words: ["龍馬"] },
  { kind: "no_match", words: ["Zq"] },
];

const sqlText = (s: string) => `'${s.replaceAll("'", "''")}'`;
const sqlArray = (items: readonly string[]) => `ARRAY[${items.map(sqlText).join(",")}]::text[]`;

/**
 * Members 1..n in one script. Choices come from hashint4(i, salt), so both
 * engines get the same members; ids are derived from i so that the tables can
 * be filled one statement each.
 */
function loadScript(n: number): string {
  // A deterministic "random" integer in [0, m) for member i and a salt.
  const pick = (salt: number, m: number) => `((hashint4(i * 7919 + ${salt}) & 2147483647) % ${m})`;
  const from = (items: readonly string[], salt: number) => `(${sqlArray(items)})[1 + ${pick(salt, items.length)}]`;
  const personId = (expr: string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;
  const hash = consentTextHash("ja");
  let cumulative = 0;
  const fieldCases = FIELD_CHOICES.map(([weight, fields]) => {
    cumulative += weight;
    return `WHEN ${pick(6, 1000)} < ${cumulative} THEN ARRAY[${fields.map(sqlText).join(",")}]::"ProfileField"[]`;
  }).join(" ");
  return `
    CREATE TEMP TABLE bench_members AS
    SELECT i,
      ${personId("i")} AS person_id,
      CASE WHEN ${pick(1, 100)} < 65
        THEN ${from(JA_SURNAMES, 2)} || ' ' || ${from(JA_GIVEN, 3)}
        ELSE ${from(LATIN_GIVEN, 4)} || ' ' || ${from(LATIN_SURNAMES, 5)} END AS display_name,
      CASE ${fieldCases} END AS directory_fields,
      now() - make_interval(secs => ${pick(7, 3 * 365 * 86400)}) AS created_at
    FROM generate_series(1, ${n}) AS i;

    INSERT INTO people (id, status, display_name, email, locale, time_zone, created_at, updated_at)
    SELECT person_id, 'active', display_name, 'member' || i || '@example.com',
           (CASE WHEN ${pick(8, 100)} < 80 THEN 'ja' ELSE 'en' END)::"Locale", 'Asia/Tokyo', created_at, created_at
    FROM bench_members;

    INSERT INTO slack_identities (id, person_id, team_id, user_id, created_at)
    SELECT ${personId(`i + ${n + 1}`)}, person_id, ${sqlText(TEAM)}, 'UB' || lpad(i::text, 9, '0'), created_at
    FROM bench_members;

    -- 2% withdrew their consent later (they must not be found).
    INSERT INTO consents (id, person_id, purpose, version, text_hash, locale, given_at, withdrawn_at)
    SELECT ${personId(`i + ${2 * (n + 1)}`)}, person_id, ${sqlText(CONSENT_PURPOSE)}, ${sqlText(CONSENT_VERSION)},
           ${sqlText(hash)}, 'ja', created_at, CASE WHEN ${pick(9, 100)} < 2 THEN created_at + interval '30 days' END
    FROM bench_members;

    INSERT INTO profiles (id, person_id, department, joined_year, left_year, current_employer, title, skills,
                          job_alerts, gig_alerts, event_alerts, open_to_return, happy_to_refer,
                          listed, directory_fields, hr_fields, created_at, updated_at)
    SELECT ${personId(`i + ${3 * (n + 1)}`)}, person_id,
           ${from(DEPARTMENTS, 10)},
           2000 + ${pick(11, 15)}, 2015 + ${pick(12, 10)},
           CASE WHEN ${pick(13, 100)} < 85 THEN ${from(EMPLOYERS, 14)} END,
           CASE WHEN ${pick(15, 100)} < 90 THEN ${from(TITLES, 16)} END,
           ARRAY(SELECT (${sqlArray(SKILLS)})[1 + (${pick(17, SKILLS.length)} + j * 7) % ${SKILLS.length}]
                 FROM generate_series(0, ${pick(18, 4)}) AS j),
           ${pick(19, 2)} = 0, ${pick(20, 3)} = 0, ${pick(21, 2)} = 0, ${pick(22, 4)} = 0, ${pick(23, 3)} = 0,
           cardinality(directory_fields) > 0, directory_fields,
           ARRAY['display_name','email','skills']::"ProfileField"[], created_at, created_at
    FROM bench_members;

    DROP TABLE bench_members;`;
}

/** Members 1..n through plain SQL: one script, which the database runs on its own. */
async function bulkLoad(db: Database, n: number, label: string, options: BenchOptions): Promise<void> {
  const started = performance.now();
  await db.withSession((s) => s.exec(loadScript(n)));
  options.log(`search: ${label}: ${n} members inserted in ${Math.round(performance.now() - started)} ms`);
}

/**
 * The app's own writes on top of the bulk load: the searching member and two
 * members registered by registerMember(), blocks both ways; then, on PostgreSQL,
 * what autovacuum would have done by now (statistics, GIN pending lists merged).
 * Returns the searching member.
 */
async function finishLoad(db: Database): Promise<string> {
  const register = (userId: string, input: Record<string, unknown>) =>
    registerMember({
      prisma: db.prisma,
      user: { teamId: TEAM, userId },
      input: { locale: "ja", email: `${userId.toLowerCase()}@example.com`, ...input },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    }).then((r) => r.member.personId);
  const viewerId = await register("UVIEWER01", { displayName: "閲覧 する人", directoryFields: ["display_name"] });
  await register("UAPP00001", {
    displayName: "田中 美咲",
    skills: "TypeScript, データ分析",
    department: "開発部",
    directoryFields: ["display_name", "skills", "department"],
  });
  await register("UAPP00002", { displayName: "Olivia Tanaka", skills: "機械学習", directoryFields: ["skills"] });
  await db.withSession((s) =>
    s.query(
      `INSERT INTO member_blocks (id, blocker_id, blocked_id)
       SELECT gen_random_uuid(), CASE WHEN k % 2 = 0 THEN $1::uuid ELSE p.id END, CASE WHEN k % 2 = 0 THEN p.id ELSE $1::uuid END
       FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM people WHERE id <> $1::uuid ORDER BY id LIMIT 20) p`,
      [viewerId],
    ),
  );
  // PGlite runs PostgreSQL as one process, with no autovacuum, and the app never
  // vacuums: it is searched as loaded (no statistics, GIN pending lists as they are).
  if (db.engine === "postgres") await db.withSession((s) => s.exec("VACUUM ANALYZE"));
  return viewerId;
}

async function check(db: Database, viewerId: string, label: string) {
  const found = async (words: string[]) =>
    (await searchDirectory({ prisma: db.prisma, viewerId, teamId: TEAM, words })).entries;
  // The app-registered member shows the name; the other one hid it and only skills are searchable.
  const misaki = await found(["田中 美咲", "データ分析", "開発部"]);
  if (!misaki.some((e) => e.displayName === "田中 美咲" && e.department === "開発部"))
    throw new Error(`${label}: searchDirectory did not find the member registered by the app`);
  const hidden = await found(["Olivia Tanaka"]);
  if (hidden.some((e) => e.skills?.includes("機械学習") && !e.displayName))
    throw new Error(`${label}: a hidden name was searchable`);
  const page = await found(["typescript"]);
  if (page.length !== 10) throw new Error(`${label}: expected a full page for "typescript", got ${page.length}`);
}

interface Timing {
  kind: QueryKind;
  ms: number;
  hits: number;
}

async function measure(db: Database, viewerId: string, count: number, warmup: number): Promise<Timing[]> {
  const timings: Timing[] = [];
  for (let n = 0; n < warmup + count; n++) {
    const query = QUERIES[n % QUERIES.length] as (typeof QUERIES)[number];
    // Every fifth query of a kind asks for the second page.
    const page = Math.floor(n / QUERIES.length) % 5 === 4 ? 1 : 0;
    const started = performance.now();
    const result = await searchDirectory({ prisma: db.prisma, viewerId, teamId: TEAM, words: query.words, page });
    const ms = performance.now() - started;
    if (n >= warmup) timings.push({ kind: query.kind, ms, hits: result.entries.length });
  }
  return timings;
}

async function measureOn(label: string, db: Database, viewerId: string, options: BenchOptions): Promise<Timing[]> {
  await check(db, viewerId, label);
  const count = options.quick ? 100 : 200;
  const timings = await measure(db, viewerId, count, QUERIES.length);
  const ms = timings.map((t) => t.ms);
  options.log(
    `search: ${label}: ${count} queries, p50 ${round(percentile(ms, 50))} ms, p95 ${round(percentile(ms, 95))} ms`,
  );
  return timings;
}

export async function runSearchBench(options: BenchOptions): Promise<SearchResult> {
  const members = options.quick ? 5_000 : 100_000;
  const pgliteMembers = options.quick ? 5_000 : 100_000;

  const throwaway = await createBenchDatabase("ab_bench_search");
  const opened: Database[] = [];
  const open = async (o: Parameters<typeof openDatabase>[0]) => {
    const db = await openDatabase(o);
    opened.push(db);
    await applyMigrations({ db, migrationsDir });
    return db;
  };
  let postgres: Timing[];
  let pglite: Timing[];
  const loadMs = { postgres: 0, pglite: 0 };
  try {
    // PostgreSQL bulk-loads in its own process while PGlite starts (initdb) and
    // bulk-loads in this one. Only plain SQL runs meanwhile: PGlite holds the event
    // loop for seconds at a time, which Prisma's transaction timeouts would not take.
    const pgStarted = performance.now();
    const pg = await open({ engine: "postgres", url: throwaway.url });
    let pgBulkMs = 0;
    const pgBulk = bulkLoad(pg, members, "postgres", options).then(() => {
      pgBulkMs = performance.now() - pgStarted;
    });
    pgBulk.catch(() => undefined); // awaited below; not unhandled if PGlite fails first
    const liteStarted = performance.now();
    const lite = await open({ engine: "pglite", dataDir: null });
    await bulkLoad(lite, pgliteMembers, "pglite", options);
    const liteBulkMs = performance.now() - liteStarted;
    await pgBulk;
    let started = performance.now();
    const pgViewer = await finishLoad(pg);
    loadMs.postgres = pgBulkMs + (performance.now() - started);
    started = performance.now();
    const liteViewer = await finishLoad(lite);
    loadMs.pglite = liteBulkMs + (performance.now() - started);
    options.log(
      `search: loaded and analysed: postgres ${Math.round(loadMs.postgres)} ms, pglite ${Math.round(loadMs.pglite)} ms (overlapping)`,
    );
    // The queries: one engine at a time.
    postgres = await measureOn("postgres", pg, pgViewer, options);
    pglite = await measureOn("pglite", lite, liteViewer, options);
  } finally {
    await Promise.allSettled(opened.map((db) => db.close()));
    await throwaway.drop();
  }

  const stats = (timings: Timing[]) => {
    const ms = timings.map((t) => t.ms);
    return { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)) };
  };
  const kinds = [...new Set(QUERIES.map((q) => q.kind))];
  const byKind = Object.fromEntries(
    kinds.map((kind) => {
      const pg = postgres.filter((t) => t.kind === kind);
      const lt = pglite.filter((t) => t.kind === kind);
      const a = stats(pg);
      const b = stats(lt);
      return [
        kind,
        {
          postgresP50Ms: a.p50,
          postgresP95Ms: a.p95,
          pgliteP50Ms: b.p50,
          pgliteP95Ms: b.p95,
          meanHits: round(pg.reduce((sum, t) => sum + t.hits, 0) / Math.max(1, pg.length), 1),
        },
      ];
    }),
  ) as Record<QueryKind, SearchKindResult>;
  const all = { postgres: stats(postgres), pglite: stats(pglite) };
  return {
    postgresP95Ms: all.postgres.p95,
    pgliteP95Ms: all.pglite.p95,
    postgresP50Ms: all.postgres.p50,
    pgliteP50Ms: all.pglite.p50,
    members,
    pgliteMembers,
    queries: postgres.length,
    postgresLoadMs: Math.round(loadMs.postgres),
    pgliteLoadMs: Math.round(loadMs.pglite),
    byKind,
  };
}

if (process.argv[1]?.endsWith("search.ts")) {
  const result = await runSearchBench({ quick: process.argv.includes("--quick"), log: (m) => console.error(m) });
  console.log(JSON.stringify(result, null, 2));
}
