// `npm run fuzz`: the long fuzz run (test/fuzz/*.fuzz.ts, one file per entry point), kept out of
// `npm test`, whose include is test/**/*.test.ts. FUZZ_RUNS (default 10,000) cases per entry
// point, FUZZ_SEED to repeat a run; `npm run fuzz -- slack-command` runs one entry point.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/fuzz/**/*.fuzz.ts"],
    globalSetup: ["test/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 4 * 60 * 60_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
