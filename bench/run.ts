// `npm run bench` (full) / `npm run bench -- --quick` (within 60 s): every
// scenario in one run, each figure next to its reference, written to
// bench/results/latest.json and printed as a markdown table. See README
// "Performance" for what each line means.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Database, openDatabase } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrate.js";
import { migrationsDir } from "../src/paths.js";
import { parseWindows } from "../src/sandbox/enforced-limits.js";
import { startFakeConnector } from "../src/sandbox/fake-connector.js";
import { startFakeSlack } from "../src/sandbox/fake-slack.js";
import { startBareBolt, startBot, startFakeSlackProcess } from "./bot.js";
import { createBenchDatabase, round } from "./lib.js";
import { ackRun } from "./scenarios/ack.js";
import { type CrashFigures, crashRun } from "./scenarios/crash.js";
import { slackFanout, teamsFanout } from "./scenarios/fanout.js";
import { reminderBurst } from "./scenarios/reminders.js";
import { runRosterImportBench } from "./scenarios/roster-import.js";
import { runSearchBench } from "./scenarios/search.js";
import { type Kind, type SoakFigures, soakRun } from "./scenarios/soak.js";
import { BENCH_TEAM_ID, type Sql, seedHr, seedMembers, seedTeamsConversations, sqlForDb, sqlForUrl } from "./seed.js";
import { createHomecoming, createJob, openMigrated } from "./world.js";

const quick = process.argv.includes("--quick");
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const started = Number(process.env.BENCH_STARTED_AT ?? Date.now());
const log = (message: string) =>
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
const options = { quick, log };
// crash and soak run only when asked for (--only=crash, --only=soak): they take minutes on their own.
// So does roster (--only=roster, --rows=N): a 50,000-row Shift_JIS import on both engines.
const OPT_IN = ["crash", "soak", "roster"];
/** Where an opt-in scenario's figures sit in the results, when not under its own name. */
const RESULT_KEY: Record<string, string> = { roster: "rosterImport" };
const wants = (name: string) => (only ? only.includes(name) : !OPT_IN.includes(name));
/** `--name=value` from the command line (sizes can be overridden, e.g. --reminders=5000). */
function arg(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const results: Record<string, unknown> = { quick };

/** The same members, jobs and homecoming day in a database, made through the app's own code. */
async function seedAckWorld(db: Database, sql: Sql, users: number) {
  await seedMembers(sql, users);
  const hr = await seedHr(sql);
  for (let i = 0; i < 5; i++) await createJob(db, hr, { title: `求人 ${i + 1}`, announceIn: null });
  await createHomecoming(db, hr, new Date(Date.now() + 30 * 86_400_000));
}

async function ackScenario() {
  // The fake Slack runs in its own process: the bot's replies must not slow the load generator's clock.
  const fake = await startFakeSlackProcess();
  const pg = await createBenchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "ab-bench-pglite-"));
  const users = 200;
  try {
    // PostgreSQL, and the embedded database (before the bot opens it), get the same data.
    await Promise.all([
      (async () => {
        const db = await openMigrated(pg.url);
        await seedAckWorld(db, sqlForUrl(pg.url), users);
        await db.close();
      })(),
      (async () => {
        const lite = await openDatabase({ engine: "pglite", dataDir });
        await applyMigrations({ db: lite, migrationsDir });
        await seedAckWorld(lite, sqlForDb(lite), users);
        await lite.close();
      })(),
    ]);

    // One process at a time: a bot still starting up (or catching up its scheduler) would load the machine.
    const bare = await startBareBolt(fake.apiUrl);
    const bareFigures = await ackRun("bare Bolt", bare, fake, users, options);
    await bare.stop();
    const bot = await startBot({ slackApiUrl: fake.apiUrl, databaseUrl: pg.url });
    const ours = await ackRun("bot on PostgreSQL", bot, fake, users, options);
    await bot.stop();
    const liteBot = await startBot({ slackApiUrl: fake.apiUrl, dataDir });
    const pglite = await ackRun("bot on PGlite", liteBot, fake, users, options);
    await liteBot.stop();

    results.ack = {
      p50Ms: ours.p50Ms,
      p99Ms: ours.p99Ms,
      bareBoltP50Ms: bareFigures.p50Ms,
      bareBoltP99Ms: bareFigures.p99Ms,
      p99Ratio: round(ours.p99Ms / bareFigures.p99Ms, 2),
      pgliteP50Ms: pglite.p50Ms,
      pgliteP99Ms: pglite.p99Ms,
      ratePerSecond: 200,
      details: { postgres: ours, bareBolt: bareFigures, pglite },
    };
  } finally {
    await fake.stop();
    await pg.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// Slack's posting limit per channel (1/s with short bursts) and a workspace-wide cap for the run.
const SLACK_CHANNEL = "1/1s,3/3s";
const SLACK_WORKSPACE_PER_SECOND = 100;
// Teams: per conversation and per app (src/delivery/rate-limiter.ts cites the sources).
const TEAMS_CONVERSATION = "7/1s,8/2s,60/30s,1800/1h";
const TEAMS_APP_PER_SECOND = 30;

async function fanoutScenario() {
  const members = quick ? 200 : 10_000;
  const conversations = quick ? 60 : 1_000;
  const W = SLACK_WORKSPACE_PER_SECOND;
  const fake = await startFakeSlack({
    teamId: BENCH_TEAM_ID,
    rateLimits: { channel: parseWindows(SLACK_CHANNEL), workspace: parseWindows(`${W}/1s`) },
  });
  const connector = await startFakeConnector({
    rateLimits: { conversation: parseWindows(TEAMS_CONVERSATION), app: parseWindows(`${TEAMS_APP_PER_SECOND}/1s`) },
  });
  // One database per bot: the dispatcher configured to the true limits, and one configured to twice them.
  const [pgTrue, pgOver] = await Promise.all([createBenchDatabase(), createBenchDatabase()]);
  try {
    const [dbTrue, dbOver] = await Promise.all([openMigrated(pgTrue.url), openMigrated(pgOver.url)]);
    await Promise.all([seedMembers(pgTrue.url, members), seedMembers(pgOver.url, members)]);
    const [hrTrue, hrOver] = await Promise.all([seedHr(pgTrue.url), seedHr(pgOver.url)]);
    const trueLimits = {
      SLACK_CHANNEL_RATE: SLACK_CHANNEL,
      SLACK_DM_RATE: `${W}/1s`,
      SLACK_WORKSPACE_RATE: `${W}/1s`,
      TEAMS_CONVERSATION_RATE: TEAMS_CONVERSATION,
      TEAMS_APP_RATE: `${TEAMS_APP_PER_SECOND}/1s`,
      SLACK_ALUMNI_CHANNEL_ID: "C0ALUMNI01",
    };
    const overLimits = {
      ...trueLimits,
      SLACK_CHANNEL_RATE: "2/1s,6/3s",
      SLACK_DM_RATE: `${2 * W}/1s`,
      SLACK_WORKSPACE_RATE: `${2 * W}/1s`,
    };
    const [bot, over] = await Promise.all([
      startBot({ slackApiUrl: fake.apiUrl, databaseUrl: pgTrue.url, env: trueLimits }),
      startBot({ slackApiUrl: fake.apiUrl, databaseUrl: pgOver.url, env: overLimits }),
    ]);
    const common = { db: dbTrue, hrId: hrTrue, fake, bot, members, allowedRate: W, bench: options };
    const slack = await slackFanout({ ...common, label: "slack" });
    const again = quick ? undefined : await slackFanout({ ...common, label: "slack (second run, same process)" });
    const ids = await seedTeamsConversations(pgTrue.url, conversations, connector.url);
    const teams = await teamsFanout({
      db: dbTrue,
      connector,
      bot,
      conversations: ids,
      allowedRate: TEAMS_APP_PER_SECOND,
      bench: options,
    });
    await bot.stop();
    const overconfigured = await slackFanout({
      ...common,
      db: dbOver,
      hrId: hrOver,
      bot: over,
      label: "slack, dispatcher at 2x the limit",
    });
    await over.stop();
    await Promise.all([dbTrue.close(), dbOver.close()]);

    results.fanout = {
      slack: pick(slack),
      slackOverconfigured: pick(overconfigured),
      teams: pick(teams),
      slackSecondRun: again ? pick(again) : undefined,
    };
    results.memory = {
      rssMbAfterFanout: slack.rssMbAfter,
      ...(again ? { rssMbAfterSecondFanout: again.rssMbAfter } : {}),
      rssMbAfterTeamsFanout: teams.rssMbAfter,
    };
  } finally {
    await fake.close();
    await connector.close();
    await Promise.all([pgTrue.drop(), pgOver.drop()]);
  }
}

function pick(f: Awaited<ReturnType<typeof slackFanout>>) {
  return {
    rateRatio: f.rateRatio,
    lost: f.lost,
    duplicated: f.duplicated,
    got429: f.got429,
    achievedRate: f.achievedRate,
    allowedRate: f.allowedRate,
    messages: f.expected,
    seconds: f.seconds,
  };
}

async function reminderScenario() {
  const members = Number(arg("reminders") ?? (quick ? 600 : 10_000));
  const fake = await startFakeSlack({ teamId: BENCH_TEAM_ID });
  const pg = await createBenchDatabase();
  try {
    const db = await openMigrated(pg.url);
    await seedMembers(pg.url, members);
    const cm = await seedHr(pg.url);
    // Two replicas of the bot, rates lifted: this measures the pipeline, not a platform limit.
    const env = {
      REMINDER_OFFSETS: "1h",
      SLACK_DM_RATE: "off",
      SLACK_WORKSPACE_RATE: "off",
      SLACK_CHANNEL_RATE: "off",
    };
    const replicas = await Promise.all([
      startBot({ slackApiUrl: fake.apiUrl, databaseUrl: pg.url, env }),
      startBot({ slackApiUrl: fake.apiUrl, databaseUrl: pg.url, env }),
    ]);
    const common = { db, dbUrl: pg.url, cmId: cm, fake, members, bench: options };
    const sameInstant = await reminderBurst({
      ...common,
      label: "same instant",
      leadMs: quick ? 2_000 : 5_000,
      spreadMs: 0,
    });
    const spread = quick
      ? undefined
      : await reminderBurst({ ...common, label: "spread over a minute", leadMs: 5_000, spreadMs: 60_000 });
    await Promise.all(replicas.map((r) => r.stop()));
    await db.close();
    results.reminderBurst = {
      // All due at one instant: how fast two replicas drain the burst.
      allSentSeconds: sameInstant.allSentSeconds,
      // Due times spread over one minute ("due in the same minute"): how late each one is. The quick run
      // has no spread run and reports the same-instant figure (where lateness is the drain time).
      latenessP99Seconds: spread ? spread.latenessP99Seconds : sameInstant.latenessP99Seconds,
      duplicates: sameInstant.duplicates + (spread?.duplicates ?? 0),
      lost: sameInstant.lost + (spread?.lost ?? 0),
      reminders: members,
      replicas: 2,
      sameInstant,
      ...(spread ? { spreadOverMinute: spread } : {}),
    };
  } finally {
    await fake.close();
    await pg.drop();
  }
}

/**
 * SIGKILLs at random points during a fan-out and a reminder run, then restarts, until all is
 * delivered: 50 kills on PostgreSQL (10 rounds of 5) and 10 on PGlite (2 rounds of 5).
 */
async function crashScenario() {
  const seed = Number(arg("seed") ?? 13);
  const postgres = await crashRun({
    engine: "postgres",
    rounds: quick ? 1 : 10,
    killsPerRound: quick ? 3 : 5,
    members: quick ? 100 : 400,
    conversations: quick ? 20 : 100,
    seed,
    log,
  });
  const pglite = await crashRun({
    engine: "pglite",
    rounds: quick ? 1 : 2,
    killsPerRound: quick ? 2 : 5,
    members: quick ? 100 : 200,
    conversations: quick ? 20 : 50,
    seed: seed + 1,
    log,
  });
  const summary = ({ perKill, ...figures }: CrashFigures) => ({
    ...figures,
    duplicatesPerKill: perKill.map((k) => k.duplicates),
  });
  results.crash = { seed, postgres: summary(postgres), pglite: summary(pglite), details: { postgres, pglite } };
}

/** Mixed Slack and Teams traffic at 200/s for 10 minutes (--duration=<seconds>; 30 s with --quick). */
async function soakScenario() {
  const seconds = Number(arg("duration") ?? (quick ? 30 : 600));
  // One-minute windows; a short run is cut into six.
  const windowSeconds = seconds >= 300 ? 60 : Math.max(5, Math.round(seconds / 6));
  const kinds = arg("kinds")?.split(",") as Kind[] | undefined;
  results.soak = await soakRun({
    seconds,
    rate: Number(arg("rate") ?? 200),
    windowSeconds,
    // Traffic ramps up over a minute (10 s in a short run) before the measured windows.
    rampSeconds: Number(arg("ramp") ?? (seconds >= 300 ? 60 : 10)),
    ...(kinds ? { kinds } : {}),
    bench: options,
  });
}

const SCENARIOS = ["ack", "fanout", "reminders", "search", "crash", "soak", "roster"] as const;
const partFile = arg("part");

if (partFile) {
  // One scenario, in this process, for the parent run below.
  if (wants("ack")) await ackScenario();
  if (wants("fanout")) await fanoutScenario();
  if (wants("reminders")) await reminderScenario();
  if (wants("search")) results.search = await runSearchBench(options);
  if (wants("crash")) await crashScenario();
  if (wants("soak")) await soakScenario();
  if (wants("roster")) {
    const rows = arg("rows");
    results.rosterImport = await runRosterImportBench({ ...options, ...(rows ? { rows: Number(rows) } : {}) });
  }
  writeFileSync(partFile, JSON.stringify(results));
} else {
  // Each scenario in a fresh process, one after the other: what one leaves behind (garbage, sockets,
  // a busy fake) must not slow the next one's measurements.
  for (const scenario of SCENARIOS) {
    if (!wants(scenario)) continue;
    const part = join(tmpdir(), `ab-bench-${process.pid}-${scenario}.json`);
    const args = ["--import", "tsx", fileURLToPath(import.meta.url), `--only=${scenario}`, `--part=${part}`];
    const child = spawn(process.execPath, [...args, ...process.argv.slice(2).filter((a) => !a.startsWith("--only="))], {
      stdio: ["ignore", "inherit", "inherit"],
      env: { ...process.env, BENCH_STARTED_AT: String(started) },
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    if (code !== 0) throw new Error(`bench scenario ${scenario} failed (exit ${code})`);
    Object.assign(results, JSON.parse(readFileSync(part, "utf8")) as Record<string, unknown>, { quick });
    rmSync(part, { force: true });
  }
  results.totalSeconds = round((Date.now() - started) / 1000, 1);
  writeFileSync(join(import.meta.dirname, "results", "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  // The opt-in scenarios also keep a file of their own, which a later run of the others leaves alone.
  for (const name of OPT_IN) {
    const figures = results[RESULT_KEY[name] ?? name];
    if (figures !== undefined) {
      writeFileSync(join(import.meta.dirname, "results", `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
    }
  }
  process.stdout.write(table(results));
  log(`wrote bench/results/latest.json (${results.totalSeconds} s)`);
}

/** The soak, window by window (minutes in the full run). */
function soakTable(k: SoakFigures): string[] {
  const unit = k.windowSeconds === 60 ? "Minute" : `Window (${k.windowSeconds} s)`;
  return [
    `| ${unit} | Requests | Errors | Ack p50 (ms) | Ack p99 (ms) | Slack p99 | Teams p99 | RSS (MB) | Heap (MB) | Event loop p99 / max (ms) | Deliveries | CPU ms/request: bot / PostgreSQL / fakes / load | Machine: canary (ms) / stall (ms) / other CPU / steal (ms/s) |`,
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...k.windows.map(
      (w) =>
        `| ${w.window} | ${w.requests} | ${w.errors} | ${w.ackP50Ms} | ${w.ackP99Ms} | ${w.slackP99Ms} | ${w.teamsP99Ms} | ` +
        `${w.rssMb} | ${w.heapUsedMb} | ${w.eventLoopP99Ms} / ${w.eventLoopMaxMs} | ${w.deliveries} | ` +
        `${w.cpuMsPerRequest.bot} / ${w.cpuMsPerRequest.postgres} / ${w.cpuMsPerRequest.fakes} / ${w.cpuMsPerRequest.loadGenerator} | ` +
        `${w.machine?.canaryMs ?? "–"} / ${w.machine?.machineStallMs ?? "–"} / ${w.machine?.otherCpuMsPerSecond ?? "–"} / ${w.machine?.stealMsPerSecond ?? "–"} |`,
    ),
  ];
}

/** The markdown table: each figure, its reference or target, and whether the target is met. */
function table(r: Record<string, unknown>): string {
  // biome-ignore lint/suspicious/noExplicitAny: reading back the JSON just assembled
  const g = r as any;
  const rows: [string, string, string, string][] = [];
  const check = (ok: boolean | undefined) => (ok === undefined ? "" : ok ? "met" : "**missed**");
  const add = (what: string, value: unknown, target: string, ok?: boolean) =>
    rows.push([what, value === undefined ? "–" : String(value), target, check(ok)]);
  if (g.ack) {
    add("Ack p50 / p99, bot on PostgreSQL (ms)", `${g.ack.p50Ms} / ${g.ack.p99Ms}`, "p99 ≤ 100", g.ack.p99Ms <= 100);
    add("Ack p50 / p99, bare Bolt (ms)", `${g.ack.bareBoltP50Ms} / ${g.ack.bareBoltP99Ms}`, "reference");
    add("Ack p99 ratio, bot / bare Bolt", g.ack.p99Ratio, "≤ 1.25", g.ack.p99Ratio <= 1.25);
    add("Ack p50 / p99, bot on PGlite (ms)", `${g.ack.pgliteP50Ms} / ${g.ack.pgliteP99Ms}`, "report");
    add(
      "App CPU per command, PostgreSQL / bare Bolt (ms)",
      `${g.ack.details.postgres.cpuMsPerRequest} / ${g.ack.details.bareBolt.cpuMsPerRequest}`,
      "report",
    );
  }
  if (g.fanout) {
    const f = g.fanout;
    const fan = (label: string, x: ReturnType<typeof pick>, target: number, zero429: boolean) => {
      add(
        `${label}: rate / allowed`,
        `${x.rateRatio} (${x.achievedRate}/s of ${x.allowedRate}/s)`,
        `≥ ${target}`,
        x.rateRatio >= target,
      );
      add(`${label}: lost / duplicated`, `${x.lost} / ${x.duplicated}`, "0 / 0", x.lost === 0 && x.duplicated === 0);
      add(`${label}: 429s`, x.got429, zero429 ? "0" : "report", zero429 ? x.got429 === 0 : undefined);
    };
    fan(`Slack fan-out, ${f.slack.messages} DMs`, f.slack, 0.95, true);
    fan(`Slack fan-out, dispatcher at 2× the limit`, f.slackOverconfigured, 0.8, false);
    fan(`Teams fan-out, ${f.teams.messages} conversations`, f.teams, 0.95, true);
  }
  if (g.reminderBurst) {
    const b = g.reminderBurst;
    add(
      `Reminder burst (${b.reminders}, same instant, 2 replicas): all sent (s)`,
      b.allSentSeconds,
      "≤ 30",
      b.allSentSeconds <= 30,
    );
    add("Reminder burst, same instant: lateness p99 (s)", b.sameInstant.latenessP99Seconds, "report (= drain time)");
    if (b.spreadOverMinute) {
      const s = b.spreadOverMinute;
      add(
        "Reminder burst, spread over the minute: lateness p99 (s)",
        s.latenessP99Seconds,
        "≤ 2",
        s.latenessP99Seconds <= 2,
      );
      add("Reminder burst, spread: all sent after the last was due (s)", s.drainSecondsAfterLastDue, "report");
    }
    add(
      "Reminder burst: duplicates / lost",
      `${b.duplicates} / ${b.lost}`,
      "0 / 0",
      b.duplicates === 0 && b.lost === 0,
    );
  }
  if (g.search) {
    add(
      `Directory search p95, PostgreSQL, ${g.search.members} members (ms)`,
      g.search.postgresP95Ms,
      "≤ 20",
      g.search.postgresP95Ms <= 20,
    );
    add(`Directory search p95, PGlite, ${g.search.pgliteMembers} members (ms)`, g.search.pgliteP95Ms, "report");
  }
  if (g.crash) {
    for (const engine of ["postgres", "pglite"] as const) {
      const c = g.crash[engine];
      if (!c) continue;
      const name = engine === "postgres" ? "PostgreSQL" : "PGlite";
      add(
        `Crash, ${name}: ${c.kills} SIGKILLs (${c.killsDuringStartup} during start-up): delivered / expected`,
        `${c.delivered} / ${c.expected}`,
        "all",
        c.lost === 0 && c.rowsNotSent === 0,
      );
      add(
        `Crash, ${name}: duplicates (total; max per kill)`,
        `${c.duplicates}; ${c.maxDuplicatesPerKill}`,
        `≤ ${c.duplicateBoundPerKill} per kill`,
        c.maxDuplicatesPerKill <= c.duplicateBoundPerKill && c.unexplainedDuplicates === 0,
      );
      if (c.staleLocksTakenOver !== undefined)
        add(`Crash, ${name}: stale lock files taken over on restart`, c.staleLocksTakenOver, "report");
    }
  }
  if (g.soak) {
    const k = g.soak;
    const w = (n: number) => (k.windowSeconds === 60 ? `minute ${n}` : `window ${n}`);
    add(
      `Soak, ${k.ratePerSecond}/s for ${k.seconds} s: errors (non-2xx, timeouts > 3 s)`,
      `${k.errors} of ${k.requests}`,
      "0",
      k.errors === 0,
    );
    add(
      `Soak, ramp 0 → ${k.ratePerSecond}/s over ${k.ramp.seconds} s: errors`,
      `${k.ramp.errors} of ${k.ramp.requests}`,
      "report",
    );
    add("Soak: ack p50 / p99 over the run (ms)", `${k.ackP50Ms} / ${k.ackP99Ms}`, "report");
    const cpu = k.cpuMsPerRequest;
    add(
      "Soak: CPU per request, bot / PostgreSQL / fakes / load generator (ms)",
      `${cpu.bot} / ${cpu.postgres} / ${cpu.fakes} / ${cpu.loadGenerator}`,
      "report",
    );
    const from = k.windows[k.growth.fromWindow - 1];
    const to = k.windows[k.growth.toWindow - 1];
    add(
      `Soak: RSS, ${w(k.growth.fromWindow)} → ${w(k.growth.toWindow)} (MB)`,
      `${from.rssMb} → ${to.rssMb} (${k.growth.rssPercent} %)`,
      "≤ +10 %",
      Number.isFinite(k.growth.rssPercent) && k.growth.rssPercent <= 10,
    );
    add(
      `Soak: ack p99, ${w(k.growth.fromWindow)} → ${w(k.growth.toWindow)} (ms)`,
      `${from.ackP99Ms} → ${to.ackP99Ms} (${k.growth.ackP99Percent} %)`,
      "≤ +10 %",
      Number.isFinite(k.growth.ackP99Percent) && k.growth.ackP99Percent <= 10,
    );
    add(
      `Soak: event loop p99, ${w(k.growth.fromWindow)} → ${w(k.growth.toWindow)} (ms)`,
      `${from.eventLoopP99Ms} → ${to.eventLoopP99Ms} (${k.growth.eventLoopP99Percent} %)`,
      "≤ +10 %",
      Number.isFinite(k.growth.eventLoopP99Percent) && k.growth.eventLoopP99Percent <= 10,
    );
    if (from.machine)
      add(
        `Soak: the machine's own speed, canary CPU ms, ${w(k.growth.fromWindow)} → ${w(k.growth.toWindow)}`,
        `${from.machine.canaryMs} → ${to.machine.canaryMs} (${k.growth.canaryPercent} %)`,
        "report",
      );
  }
  if (g.rosterImport) {
    const r = g.rosterImport;
    for (const engine of ["postgres", "pglite"] as const) {
      const e = r[engine];
      const name = engine === "postgres" ? "PostgreSQL" : "PGlite";
      add(
        `Roster import, ${r.rows} Shift_JIS rows, ${name}: preview / apply (ms)`,
        `${e.previewMs} / ${e.applyMs}`,
        "report",
      );
      add(`Roster import, ${name}: peak RSS (MB)`, e.peakRssMb, "report");
      add(`Join matching against that roster, ${name}: p50 / p95 (ms)`, `${e.matchP50Ms} / ${e.matchP95Ms}`, "report");
    }
  }
  if (g.memory) {
    add("Bot RSS after the Slack fan-out (MB)", g.memory.rssMbAfterFanout, "report");
    if (g.memory.rssMbAfterSecondFanout !== undefined)
      add("Bot RSS after a second fan-out, same process (MB)", g.memory.rssMbAfterSecondFanout, "no growth");
  }
  const lines = [
    `| Measure (${g.quick ? "quick" : "full"} run) | Value | Target | |`,
    "|---|---|---|---|",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
  if (g.soak) lines.push("", ...soakTable(g.soak));
  return `${lines.join("\n")}\n`;
}
