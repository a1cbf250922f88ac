// node-cron registration only: ONE task, every SCHEDULER_INTERVAL_SECONDS, whose
// tick runs every job (src/scheduler/jobs.ts) in order, each on its own so one
// failing job does not stop the others. Ticks never overlap: a tick due while
// the previous one still runs is skipped. One tick runs at start; since every
// job looks back over its own window, that catches up whatever was missed
// while the bot was down. Each job's last successful run is kept in
// scheduler_cursors (for operators; the jobs do not depend on it).
import cron, { type ScheduledTask } from "node-cron";
import type { Db } from "../core/db.js";
import type { Logger } from "../logger.js";
import { JOBS, type JobName, type SchedulerConfig } from "./jobs.js";

export type { SchedulerConfig };

export interface JobReport {
  job: JobName;
  ok: boolean;
  /** What the job did (counts), when it succeeded. */
  result?: object;
  /** The error message, when it failed (the stack is logged). */
  error?: string;
  ms: number;
}

export interface TickReport {
  /** The instant the jobs ran for. */
  at: Date;
  ok: boolean;
  jobs: JobReport[];
}

export interface Scheduler {
  /** Stop ticking; resolves once a running tick has finished. */
  stop(): Promise<void>;
  /** Run one tick now (after a running one finishes), e.g. from tests or an admin command. */
  runOnce(now?: Date): Promise<TickReport>;
}

const DIVISORS_OF_60 = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

function step(n: number): number {
  return DIVISORS_OF_60.filter((d) => d <= n).pop() ?? 1;
}

/**
 * A seconds-resolution cron expression ticking about every `intervalSeconds`:
 * 10 → every 10 s. Cron steps restart each minute (hour), so an interval that
 * does not divide 60 is rounded down to one that does (7 → 6 s, 90 → 1 min).
 */
export function cronExpression(intervalSeconds: number): string {
  const seconds = Math.max(1, Math.floor(intervalSeconds));
  if (seconds < 60) {
    const s = step(seconds);
    return s === 1 ? "* * * * * *" : `*/${s} * * * * *`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes >= 60) return "0 0 * * * *";
  const m = step(minutes);
  return m === 1 ? "0 * * * * *" : `0 */${m} * * * *`;
}

async function touchCursor(prisma: Db, job: JobName, at: Date): Promise<void> {
  // One statement, safe when replicas race; the cursor never moves backwards.
  await prisma.$executeRaw`
    INSERT INTO scheduler_cursors (job, last_run_at, updated_at) VALUES (${job}, ${at}, now())
    ON CONFLICT (job) DO UPDATE
      SET last_run_at = GREATEST(scheduler_cursors.last_run_at, EXCLUDED.last_run_at), updated_at = now()`;
}

function hasNews(result: object): boolean {
  return Object.entries(result).some(
    ([key, value]) => key !== "events" && key !== "pruned" && typeof value === "number" && value > 0,
  );
}

export function startScheduler(options: {
  prisma: Db;
  config: SchedulerConfig;
  logger: Logger;
  /** The clock (tests pass their own). */
  now?: () => Date;
  /** false: no cron task and no tick at start — only runOnce (tests). Default true. */
  schedule?: boolean;
}): Scheduler {
  const { prisma, config } = options;
  const logger = options.logger.child({ component: "scheduler" });
  const clock = options.now ?? (() => new Date());
  const horizonMs = config.schedulerIntervalSeconds * 1000;
  let running: Promise<TickReport> | null = null;
  let stopped = false;

  async function tick(at: Date): Promise<TickReport> {
    const jobs: JobReport[] = [];
    for (const job of JOBS) {
      const started = Date.now();
      try {
        const result = await job.run({ prisma, now: at, horizonMs, config });
        await touchCursor(prisma, job.name, at);
        jobs.push({ job: job.name, ok: true, result, ms: Date.now() - started });
        if (hasNews(result)) logger.info({ job: job.name, at, ...result }, "scheduled job queued messages");
        else if ("pruned" in result && Number(result.pruned) > 0)
          logger.info({ job: job.name, at, ...result }, "scheduled job pruned old rows");
      } catch (err) {
        logger.error({ err, job: job.name, at }, "scheduled job failed");
        jobs.push({ job: job.name, ok: false, error: String(err), ms: Date.now() - started });
      }
    }
    return { at, ok: jobs.every((j) => j.ok), jobs };
  }

  function begin(at: Date): Promise<TickReport> {
    const current = tick(at).finally(() => {
      running = null;
    });
    running = current;
    return current;
  }

  /** From the timer: skipped while a tick is running. */
  function fire(): void {
    if (stopped) return;
    if (running) {
      logger.debug("previous tick still running; skipping this one");
      return;
    }
    begin(clock()).catch((err: unknown) => logger.error({ err }, "scheduler tick failed"));
  }

  let task: ScheduledTask | null = null;
  if (options.schedule !== false) {
    const expression = cronExpression(config.schedulerIntervalSeconds);
    task = cron.schedule(expression, fire, {
      name: "alumni-bridge-scheduler",
      logger: {
        info: (message) => logger.debug(message),
        warn: (message) => logger.warn(message),
        error: (message, err) => logger.error({ err: err ?? message }, "node-cron error"),
        debug: (message) => logger.debug({ message }, "node-cron"),
      },
    });
    logger.info({ expression, jobs: JOBS.map((j) => j.name) }, "scheduler started");
    fire();
  }

  return {
    async runOnce(now?: Date): Promise<TickReport> {
      if (stopped) throw new Error("the scheduler is stopped");
      while (running) await running.catch(() => undefined);
      return begin(now ?? clock());
    },
    async stop(): Promise<void> {
      stopped = true;
      if (task) {
        await task.destroy();
        task = null;
      }
      while (running) await running.catch(() => undefined);
    },
  };
}
