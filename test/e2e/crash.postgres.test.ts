// The bot SIGKILLed at seeded random points while it sends a fan-out (job alerts
// by DM, the channel announcement, the Teams weekly digest) and event reminders,
// then restarted: every message arrives, and only sends in flight at a kill can
// arrive twice (at most DISPATCH_CONCURRENCY per kill). A short version of
// `npm run bench -- --only=crash` (bench/scenarios/crash.ts), which does 50 kills
// on PostgreSQL and 10 on PGlite.
import { describe, expect, it } from "vitest";
import { type CrashFigures, crashRun } from "../../bench/scenarios/crash.js";

const log = (message: string) => console.info(message);

function expectRecovered(f: CrashFigures, kills: number) {
  expect(f.kills).toBe(kills);
  expect(f.lost).toBe(0);
  expect(f.delivered).toBe(f.expected);
  expect(f.rowsNotSent).toBe(0);
  expect(f.unexplainedDuplicates).toBe(0);
  expect(f.maxDuplicatesPerKill).toBeLessThanOrEqual(f.duplicateBoundPerKill);
}

describe("crashes", () => {
  it("PostgreSQL: 3 kills during a fan-out and a reminder run lose nothing", async () => {
    const f = await crashRun({
      engine: "postgres",
      rounds: 1,
      killsPerRound: 3,
      members: 60,
      conversations: 15,
      seed: 7,
      runMs: 1_500,
      log,
    });
    expectRecovered(f, 3);
    // The kills came while work was under way: the dead process left outbox rows leased.
    expect(f.perKill.some((k) => (k.leasedAtKill ?? 0) > 0)).toBe(true);
  }, 150_000);

  it("PGlite: 2 kills; the dead process's lock file is taken over and the database recovers", async () => {
    const f = await crashRun({
      engine: "pglite",
      rounds: 1,
      killsPerRound: 2,
      members: 60,
      conversations: 15,
      seed: 11,
      runMs: 1_500,
      startupShare: 0,
      log,
    });
    expectRecovered(f, 2);
    // Both restarts after a kill found the lock file of a dead process and went on.
    expect(f.staleLocksTakenOver).toBe(2);
  }, 150_000);
});
