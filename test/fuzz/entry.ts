// One fuzz file per entry point (so vitest runs them on parallel workers, each against its own
// bot): FUZZ_RUNS cases (default 10,000) with seed FUZZ_SEED (default random, always printed).
// A failing case is replayed with FUZZ_SEED=<seed> FUZZ_PATH=<path> FUZZ_RUNS=1.
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FuzzBot, startFuzzBot } from "./harness.js";
import { type EntryPoint, formatFailures, runEntryPoint, seedFromEnv } from "./properties.js";

export function fuzzEntryPoint<T>(entry: EntryPoint<T>): void {
  let bot: FuzzBot;
  beforeAll(async () => {
    bot = await startFuzzBot();
  });
  afterAll(async () => {
    await bot?.stop();
  });
  it(`${entry.name}: every case keeps the properties`, async () => {
    const seed = seedFromEnv();
    const numRuns = Number(process.env.FUZZ_RUNS ?? 10_000);
    const path = process.env.FUZZ_PATH || undefined;
    console.log(`fuzz ${entry.name}: FUZZ_SEED=${seed}, ${numRuns} cases${path ? `, from FUZZ_PATH=${path}` : ""}`);
    const report = await runEntryPoint(bot, entry, { seed, numRuns, progressEvery: 1000, ...(path ? { path } : {}) });
    const line = `fuzz ${entry.name}: ${report.runs} cases in ${(report.ms / 1000).toFixed(1)} s (${report.refused} refused), ${report.failures.length} failing, FUZZ_SEED=${seed}`;
    console.log(line);
    mkdirSync("test-results/fuzz", { recursive: true });
    writeFileSync(`test-results/fuzz/${entry.name}.json`, `${JSON.stringify(report, null, 2)}\n`);
    expect(report.failures, `${line}\n${formatFailures(report.failures)}`).toEqual([]);
    // Still healthy after all of it.
    expect((await fetch(`${bot.app.url}/healthz`)).status).toBe(200);
  });
}
