// `npm run bench` (full) / `npm run bench -- --quick` (within 60 s): every
// scenario in one run, each figure next to its reference, written to
// bench/results/latest.json and printed as a markdown table. See README
// "Performance" for what each line means.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeSlack } from "../src/sandbox/fake-slack.js";
import { startBareBolt, startBot } from "./bot.js";
import { createBenchDatabase, round } from "./lib.js";
import { ackRun } from "./scenarios/ack.js";
import { BENCH_TEAM_ID, seedHr, seedMembers } from "./seed.js";
import { createHomecoming, createJob, openMigrated } from "./world.js";

const quick = process.argv.includes("--quick");
const only = process.argv
  .find((a) => a.startsWith("--only="))
  ?.slice("--only=".length)
  .split(",");
const started = Date.now();
const log = (message: string) =>
  process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
const options = { quick, log };
const wants = (name: string) => !only || only.includes(name);

const results: Record<string, unknown> = { quick };

async function ackScenario() {
  const fake = await startFakeSlack({ teamId: BENCH_TEAM_ID });
  const pg = await createBenchDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), "ab-bench-pglite-"));
  const users = 200;
  try {
    const db = await openMigrated(pg.url);
    await seedMembers(pg.url, users);
    const hr = await seedHr(pg.url);
    for (let i = 0; i < 5; i++) await createJob(db, hr, { title: `求人 ${i + 1}`, announceIn: null });
    await createHomecoming(db, hr, new Date(Date.now() + 30 * 86_400_000));
    await db.close();

    const bare = await startBareBolt(fake.apiUrl);
    const bareFigures = await ackRun("bare Bolt", bare, fake, users, options);
    await bare.stop();

    const bot = await startBot({ slackApiUrl: fake.apiUrl, databaseUrl: pg.url });
    const ours = await ackRun("bot on PostgreSQL", bot, fake, users, options);
    await bot.stop();

    // PGlite: the same bot on its embedded database (fresh, with one member registered by SQL is not possible
    // — PGlite lives inside the bot — so its commands come from unregistered users, who get the join prompt).
    const lite = await startBot({ slackApiUrl: fake.apiUrl, dataDir });
    const pglite = await ackRun("bot on PGlite", lite, fake, users, options);
    await lite.stop();

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
    await fake.close();
    await pg.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (wants("ack")) await ackScenario();

results.totalSeconds = round((Date.now() - started) / 1000, 1);
writeFileSync(join(import.meta.dirname, "results", "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
