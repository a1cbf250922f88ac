// 1. Ack latency: signed `/alumni jobs` and `/alumni events` commands at a fixed
// rate (200/s for 20 s; 3 s in --quick) against the bot on PostgreSQL, a bare
// Bolt app that only acks the same command, and the bot on embedded PGlite, in
// one run. Latency is measured per request by autocannon (from the write of the
// request to the end of the response, i.e. the time until Slack would see the
// ack), kept unrounded, and summarised here.
import { randomBytes } from "node:crypto";
import autocannon from "autocannon";
import { signSlack } from "../../test/support/slack-requests.js";
import { SIGNING_SECRET } from "../bot.js";
import { type BenchOptions, percentile, round } from "../lib.js";
import { BENCH_TEAM_ID, benchUserId } from "../seed.js";

export interface AckFigures {
  requests: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  achievedRate: number;
  /** CPU time the app used per request (user + system), when its process was given. */
  cpuMsPerRequest?: number;
}

/** Where the bot's replies go: a fake Slack (response URLs are made here). */
export interface ReplyTarget {
  responseUrl(id: string): string;
}

function commandBody(fake: ReplyTarget, userId: string, text: string): string {
  return new URLSearchParams({
    token: "bench-verification-token",
    team_id: BENCH_TEAM_ID,
    team_domain: "alumni-bench",
    channel_id: `D${userId}`,
    channel_name: "directmessage",
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: "/alumni",
    text,
    api_app_id: "A0ALUMNI1",
    is_enterprise_install: "false",
    response_url: fake.responseUrl(`ack-${randomBytes(6).toString("hex")}`),
    trigger_id: `${Date.now()}.${randomBytes(8).toString("hex")}`,
  }).toString();
}

/**
 * Fire signed commands at `url` (…/slack/events) at `rate` per second for
 * `seconds`, from `users` registered members, alternating jobs/events.
 */
export async function measureAck(options: {
  url: string;
  fake: ReplyTarget;
  users: number;
  rate: number;
  seconds: number;
  /** The app's CPU clock, to report CPU per request. */
  cpuMs?: () => number;
}): Promise<AckFigures> {
  const { fake } = options;
  let n = 0;
  const times: number[] = [];
  let finished: (result: autocannon.Result) => void = () => undefined;
  let failed: (err: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const instance = autocannon(
    {
      url: options.url,
      connections: 20,
      overallRate: options.rate,
      duration: options.seconds,
      requests: [
        {
          method: "POST",
          setupRequest: (req) => {
            n++;
            const body = commandBody(fake, benchUserId(1 + (n % options.users)), n % 2 === 0 ? "jobs" : "events");
            const ts = Math.floor(Date.now() / 1000);
            return {
              ...req,
              body,
              headers: {
                "content-type": "application/x-www-form-urlencoded",
                "x-slack-request-timestamp": String(ts),
                "x-slack-signature": signSlack(SIGNING_SECRET, ts, body),
              },
            };
          },
        },
      ],
    },
    (err, result) => (err ? failed(err) : finished(result)),
  );
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
  });
  const cpuBefore = options.cpuMs?.();
  const result = await done;
  const cpuUsed = cpuBefore === undefined ? undefined : (options.cpuMs?.() ?? 0) - cpuBefore;
  return {
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    p50Ms: round(percentile(times, 50), 2),
    p90Ms: round(percentile(times, 90), 2),
    p99Ms: round(percentile(times, 99), 2),
    maxMs: round(Math.max(...times), 2),
    achievedRate: round(result.requests.total / options.seconds, 1),
    ...(cpuUsed !== undefined ? { cpuMsPerRequest: round(cpuUsed / Math.max(1, result.requests.total), 2) } : {}),
  };
}

/** Warm up (not counted), then measure. */
export async function ackRun(
  label: string,
  app: { url: string; cpuMs(): number },
  fake: ReplyTarget,
  users: number,
  options: BenchOptions,
): Promise<AckFigures> {
  const url = `${app.url}/slack/events`;
  const rate = 200;
  const seconds = options.quick ? 1 : 20;
  // Warm-up, not counted: JIT, connection pools, and the Slack worker thread's own.
  await measureAck({ url, fake, users, rate, seconds: options.quick ? 0.5 : 5 });
  options.log(`ack: ${label}: ${rate}/s for ${seconds} s`);
  const figures = await measureAck({ url, fake, users, rate, seconds, cpuMs: () => app.cpuMs() });
  options.log(
    `ack: ${label}: p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, ${figures.requests} requests, ` +
      `${figures.cpuMsPerRequest} ms CPU each`,
  );
  return figures;
}
