// The scheduled jobs, in the order a tick runs them. Each is a plain core
// function taking { prisma, now, ... }; each looks back over its own window,
// so a tick after downtime catches up, and each is idempotent by unique keys,
// so two replicas ticking at once do every thing once.
import type { TConfig } from "../config.js";
import type { Db } from "../core/db.js";
import { pruneProcessedDeliveries } from "../core/deliveries/prune-processed-deliveries.js";
import { planWeeklyDigest } from "../core/digest/plan-weekly-digest.js";
import { planEventReminders } from "../core/events/plan-event-reminders.js";
import { pruneRoster } from "../core/roster/prune-roster.js";
import { planExitSurveys } from "../core/surveys/plan-exit-surveys.js";
import { planHomecomingWishes } from "../core/surveys/plan-homecoming-wishes.js";

export { buildWeeklyDigest } from "../core/digest/build-weekly-digest.js";
export { planWeeklyDigest } from "../core/digest/plan-weekly-digest.js";
export { planEventReminders } from "../core/events/plan-event-reminders.js";
export { planExitSurveys } from "../core/surveys/plan-exit-surveys.js";
export { planHomecomingWishes } from "../core/surveys/plan-homecoming-wishes.js";
export { submitSurveyAnswers } from "../core/surveys/submit-survey-answers.js";
export { summarizeSurveyResults } from "../core/surveys/summarize-survey-results.js";

export type SchedulerConfig = Pick<
  TConfig,
  "reminderOffsetsMs" | "surveyOffsetsMs" | "schedulerIntervalSeconds" | "defaultTimeZone"
> & {
  /** Roster retention (ROSTER_RETENTION_DAYS); the default 730 days when absent. */
  roster?: Pick<TConfig["roster"], "retentionDays">;
};

/** ROSTER_RETENTION_DAYS' default, for a scheduler configured without it. */
const DEFAULT_ROSTER_RETENTION_DAYS = 730;

export interface JobContext {
  prisma: Db;
  now: Date;
  /** How far ahead to queue sends (one tick), each held back until its own time by notBefore. */
  horizonMs: number;
  config: SchedulerConfig;
}

export const JOB_NAMES = [
  "event_reminders",
  "homecoming_wishes",
  "exit_surveys",
  "weekly_digest",
  "prune_deliveries",
  "prune_roster",
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const JOBS: readonly { name: JobName; run(ctx: JobContext): Promise<object> }[] = [
  {
    name: "event_reminders",
    run: ({ prisma, now, horizonMs, config }) =>
      planEventReminders({ prisma, now, horizonMs, offsetsMs: config.reminderOffsetsMs }),
  },
  {
    name: "homecoming_wishes",
    run: ({ prisma, now, horizonMs }) => planHomecomingWishes({ prisma, now, horizonMs }),
  },
  {
    name: "exit_surveys",
    run: ({ prisma, now, horizonMs, config }) =>
      planExitSurveys({ prisma, now, horizonMs, offsetsMs: config.surveyOffsetsMs }),
  },
  {
    name: "weekly_digest",
    run: ({ prisma, now, horizonMs, config }) =>
      planWeeklyDigest({ prisma, now, horizonMs, timeZone: config.defaultTimeZone }),
  },
  {
    // Housekeeping, not a message: forget inbound deliveries older than a day (their retries are long over).
    name: "prune_deliveries",
    run: ({ prisma, now }) => pruneProcessedDeliveries({ prisma, now }),
  },
  {
    // APPI: roster rows of people who never joined are deleted after ROSTER_RETENTION_DAYS.
    name: "prune_roster",
    run: ({ prisma, now, config }) =>
      pruneRoster({
        prisma,
        now,
        retentionDays: config.roster?.retentionDays ?? DEFAULT_ROSTER_RETENTION_DAYS,
      }).then(({ deleted }) => ({ pruned: deleted })),
  },
];
