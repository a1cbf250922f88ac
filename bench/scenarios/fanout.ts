// 2. Fan-out through the outbox against fakes that enforce the platforms' limits.
// Slack: one job posting alerts N members by DM; the fake answers 429 beyond its
// per-channel and workspace windows. Teams: the weekly digest to N personal
// conversations; the fake connector enforces Teams' per-conversation and per-app
// windows. Every delivery is counted where it lands (the fake), so "lost" and
// "duplicated" are what a member would notice.
import { planWeeklyDigest } from "../../src/core/digest/plan-weekly-digest.js";
import type { Database } from "../../src/db/database.js";
import type { FakeConnector } from "../../src/sandbox/fake-connector.js";
import type { FakeSlack } from "../../src/sandbox/fake-slack.js";
import type { RunningProcess } from "../bot.js";
import { type BenchOptions, round, sleep } from "../lib.js";
import { createJob } from "../world.js";

export interface FanoutFigures {
  expected: number;
  delivered: number;
  lost: number;
  duplicated: number;
  got429: number;
  /** Messages per second over the run, first to last delivery. */
  achievedRate: number;
  allowedRate: number;
  rateRatio: number;
  seconds: number;
  rssMbAfter: number;
}

/**
 * Deliveries per recipient → figures; the rate is the sustained one (see below).
 */
function summarise(
  arrivals: Map<string, number[]>,
  expected: number,
  allowedRate: number,
  got429: number,
  rssMbAfter: number,
): FanoutFigures {
  const times = [...arrivals.values()].flat().sort((a, b) => a - b);
  const delivered = arrivals.size;
  const duplicated = times.length - delivered;
  const first = times[0] ?? 0;
  const last = times[times.length - 1] ?? 0;
  const seconds = (last - first) / 1000;
  // A sliding window lets one window's worth (allowedRate in 1 s) go at once at the start: those are not
  // part of the sustained rate, the rest is spread over the run.
  const achievedRate = times.length > allowedRate && last > first ? (times.length - allowedRate) / seconds : 0;
  return {
    expected,
    delivered,
    lost: expected - delivered,
    duplicated,
    got429,
    achievedRate: round(achievedRate, 1),
    allowedRate,
    rateRatio: round(achievedRate / allowedRate, 3),
    seconds: round(seconds, 1),
    rssMbAfter: round(rssMbAfter, 0),
  };
}

/** One log line for a run's figures. */
function describe(f: FanoutFigures): string {
  return (
    `${f.delivered}/${f.expected} in ${f.seconds} s, ${f.achievedRate}/s of ${f.allowedRate}/s (${f.rateRatio}), ` +
    `429s ${f.got429}, duplicates ${f.duplicated}, RSS ${f.rssMbAfter} MB`
  );
}

/** Wait until `count()` reaches `expected`, or nothing moved for `stallMs`; then `afterMs` for late duplicates. */
async function settle(count: () => number, expected: number, stallMs: number, afterMs = 1_000): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  while (count() < expected) {
    const now = count();
    if (now !== last) {
      last = now;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) return;
    await sleep(100);
  }
  // Anything extra (a duplicate) would come right after.
  await sleep(afterMs);
}

/**
 * One job posting with alerts to the `members` seeded members (user ids UB…),
 * delivered by the running `bot` through `fake` (limits already set there).
 */
export async function slackFanout(options: {
  label: string;
  db: Database;
  hrId: string;
  fake: FakeSlack;
  bot: RunningProcess;
  members: number;
  allowedRate: number;
  bench: BenchOptions;
}): Promise<FanoutFigures> {
  const { fake, bench } = options;
  fake.reset();
  const before429 = fake.rateLimited;
  const arrivals = new Map<string, number[]>();
  let counted = 0;
  const count = () => {
    for (; counted < fake.calls.length; counted++) {
      const call = fake.calls[counted];
      if (call?.method !== "chat.postMessage" || call.error) continue;
      const channel = String(call.args.channel ?? "");
      if (!channel.startsWith("UB")) continue;
      const list = arrivals.get(channel) ?? [];
      list.push(call.at);
      arrivals.set(channel, list);
    }
    return arrivals.size;
  };
  bench.log(`fanout: ${options.label}: posting a job to ${options.members} members`);
  await createJob(options.db, options.hrId, { title: `${options.label} ${Date.now()}` });
  await settle(count, options.members, 20_000, bench.quick ? 300 : 1_000);
  count();
  const figures = summarise(
    arrivals,
    options.members,
    options.allowedRate,
    fake.rateLimited - before429,
    options.bot.rssMb(),
  );
  bench.log(`fanout: ${options.label}: ${describe(figures)}`);
  return figures;
}

/** The weekly digest to every seeded `notify here` conversation, through the fake connector. */
export async function teamsFanout(options: {
  db: Database;
  connector: FakeConnector;
  bot: RunningProcess;
  conversations: string[];
  allowedRate: number;
  bench: BenchOptions;
}): Promise<FanoutFigures> {
  const { connector, bench } = options;
  const wanted = new Set(options.conversations);
  const before429 = connector.rateLimited;
  bench.log(`fanout: teams: weekly digest to ${wanted.size} conversations`);
  await planWeeklyDigest({ prisma: options.db.prisma, now: new Date(), horizonMs: 0, timeZone: "Asia/Tokyo" });
  const arrivals = new Map<string, number[]>();
  const count = () => {
    arrivals.clear();
    for (const call of connector.calls) {
      if (call.method !== "POST" || call.status !== 201 || !call.conversationId) continue;
      if (!wanted.has(call.conversationId)) continue;
      const list = arrivals.get(call.conversationId) ?? [];
      list.push(call.at);
      arrivals.set(call.conversationId, list);
    }
    return arrivals.size;
  };
  await settle(count, wanted.size, 20_000, bench.quick ? 300 : 1_000);
  count();
  const figures = summarise(
    arrivals,
    wanted.size,
    options.allowedRate,
    connector.rateLimited - before429,
    options.bot.rssMb(),
  );
  bench.log(`fanout: teams: ${describe(figures)}`);
  return figures;
}
