// 6. Soak: mixed traffic held for minutes against the bot on PostgreSQL, with its
// scheduler and dispatcher running. 200 requests/s (paced, not bursts): signed
// Slack slash commands (jobs, events, profile, find), button clicks (interested,
// RSVP), profile-edit modal submissions, and Teams messages (help, jobs). Every request must
// get a 2xx within 3 s. Per window (a minute in the full run): ack p50/p99 for
// Slack and Teams, the bot's RSS (/proc), heap and event-loop delay (its
// /metrics, whose event-loop histogram restarts at each scrape), and the
// deliveries its dispatcher made. Growth is compared from window 2 (after the
// warm-up) to the last one.
//
// The bot, the fake Slack and the fake Bot Connector each run in a process of
// their own; this process only generates the load and reads the figures.
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { Agent, request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";
import { scheduleEvent } from "../../src/core/events/schedule-event.js";
import { registrationModal } from "../../src/platforms/slack/blocks/registration-modal.js";
import type { FakeSlack } from "../../src/sandbox/fake-slack.js";
import {
  checkboxes,
  email,
  number,
  plainText,
  type SlackHttpResult,
  type SlackPostOptions,
  SlackRequester,
  signSlack,
  staticSelect,
} from "../../src/sandbox/slack-requests.js";
import { TeamsRequester, type TeamsUser } from "../../src/sandbox/teams-requests.js";
import { cpuMsOf, SIGNING_SECRET, startBot, startFakeConnectorProcess, startFakeSlackProcess } from "../bot.js";
import { type BenchOptions, createBenchDatabase, percentile, round, sleep } from "../lib.js";
import { machineBusyMs, startCanary } from "../machine.js";
import { BENCH_TEAM_ID, benchUserId, seedHr, seedMembers } from "../seed.js";
import { ALUMNI_CHANNEL, createJob, openMigrated } from "../world.js";

/** Slack's own limit: an ack later than 3 s is a failure (Slack retries and shows an error). */
const TIMEOUT_MS = 3_000;
const MEMBERS = 500;
const TEAMS_USERS = 40;

export type Kind = "command" | "click" | "submission" | "teams";

/**
 * Out of every 20 requests: 9 commands, 6 clicks, 3 modal submissions and 2 Teams messages (at
 * 200/s: 90, 60, 30 and 20 per second), interleaved.
 */
const MIX: readonly Kind[] = [
  "command",
  "click",
  "command",
  "submission",
  "click",
  "command",
  "teams",
  "command",
  "click",
  "command",
  "submission",
  "click",
  "command",
  "teams",
  "command",
  "click",
  "command",
  "submission",
  "click",
  "command",
];

export interface SoakWindow {
  /** 1-based. */
  window: number;
  requests: number;
  errors: number;
  ackP50Ms: number;
  ackP99Ms: number;
  slackP99Ms: number;
  teamsP99Ms: number;
  rssMb: number;
  heapUsedMb: number;
  eventLoopP99Ms: number;
  eventLoopMaxMs: number;
  /** Messages the dispatcher delivered in the window. */
  deliveries: number;
  /** CPU time per answered request in the window (ms): the bot (all its threads), PostgreSQL (every backend), the two fakes, this load generator. */
  cpuMsPerRequest: CpuShare;
  /** The machine in the window, apart from what it runs for the soak (bench/machine.ts). */
  machine: MachineWindow;
}

export interface MachineWindow {
  /** Median CPU ms of a fixed piece of work in a separate process: grows only when the machine's CPU slows. */
  canaryMs: number;
  /** The worst lateness of an idle process's 50 ms timer (ms): a stall of the whole machine, not of the bot. */
  machineStallMs: number;
  /** CPU the machine spent per second on anything but the bot, PostgreSQL, the fakes and the load generator (ms; 1,000 per core). */
  otherCpuMsPerSecond: number;
  /** CPU time per second the hypervisor gave to someone else (/proc/stat steal; 0 where not reported). */
  stealMsPerSecond: number;
}

export interface CpuShare {
  bot: number;
  postgres: number;
  fakes: number;
  loadGenerator: number;
}

export interface SoakFigures {
  /** The linear ramp from 0 to the rate before the measured run (real traffic does not start at full rate). */
  ramp: { seconds: number; requests: number; errors: number };
  seconds: number;
  windowSeconds: number;
  ratePerSecond: number;
  requests: number;
  achievedRate: number;
  /** Non-2xx answers plus timeouts (> 3 s) plus connection errors. */
  errors: number;
  non2xx: number;
  timeouts: number;
  ackP50Ms: number;
  ackP99Ms: number;
  byKind: Record<Kind, { requests: number; p50Ms: number; p99Ms: number }>;
  windows: SoakWindow[];
  /** From window 2 to the last: percent change (positive = grew). */
  growth: {
    fromWindow: number;
    toWindow: number;
    rssPercent: number;
    ackP99Percent: number;
    eventLoopP99Percent: number;
    /** The machine's own slowdown over the same windows (canaryMs): context for the other figures. */
    canaryPercent: number;
  };
  deliveries: number;
  /** CPU per request over the measured run (ms), by process; with 2 cores, 2,000 ms per second is all there is. */
  cpuMsPerRequest: CpuShare;
}

/** CPU time (ms) of each process whose command is `postgres` (the server and its backends), by pid, from /proc. */
function postgresCpuByPid(): Map<number, number> {
  const byPid = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== "postgres") continue;
      byPid.set(Number(entry), cpuMsOf(Number(entry)));
    } catch {
      // the process ended between the listing and the read
    }
  }
  return byPid;
}

/**
 * A running total of PostgreSQL's CPU: each reading adds what every process used since the last
 * one (a backend that started in between counts from zero; one that ended loses only its last
 * interval), so backends coming and going never make the figure go backwards.
 */
function postgresCpuMeter(): () => number {
  let last = postgresCpuByPid();
  let total = 0;
  return () => {
    const now = postgresCpuByPid();
    for (const [pid, ms] of now) total += Math.max(0, ms - (last.get(pid) ?? 0));
    last = now;
    return total;
  };
}

// node:http with keep-alive, not fetch: at 200/s for minutes, fetch with a timeout signal per
// request made this process grow past a gigabyte and stall, timing out answers that had come.
// An idle socket is dropped after 4 s, before the bot's server closes it (keepAliveTimeout 5 s):
// reusing one the server is closing fails as "socket hang up", a race of the client, not an answer.
const agent = new Agent({ keepAlive: true, maxSockets: 512, timeout: 4_000 });

/** POST `body`; rejects with a TimeoutError when the whole answer has not come within TIMEOUT_MS. */
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", agent, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    const timer = setTimeout(() => {
      const err = new Error(`no answer within ${TIMEOUT_MS} ms`);
      err.name = "TimeoutError";
      req.destroy(err);
    }, TIMEOUT_MS);
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(body);
  });
}

/** SlackRequester (signed like Slack), each request given up after TIMEOUT_MS. */
class TimedSlack extends SlackRequester {
  constructor(
    private readonly target: string,
    fakeSlack: FakeSlack,
  ) {
    super({ url: target, signingSecret: SIGNING_SECRET, teamId: BENCH_TEAM_ID, fakeSlack });
  }

  override post(rawBody: string, contentType: string, opts: SlackPostOptions = {}): Promise<SlackHttpResult> {
    const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return post(
      this.target,
      {
        "content-type": contentType,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": signSlack(SIGNING_SECRET, timestamp, rawBody),
      },
      rawBody,
    );
  }
}

interface Sample {
  kind: Kind;
  window: number;
  ms: number;
  outcome: "ok" | "non2xx" | "timeout" | "error";
}

/** CPU used between two readings, per request (ms). */
function perRequest(before: CpuShare, after: CpuShare, requests: number): CpuShare {
  const each = (key: keyof CpuShare) => round((after[key] - before[key]) / Math.max(1, requests), 2);
  return { bot: each("bot"), postgres: each("postgres"), fakes: each("fakes"), loadGenerator: each("loadGenerator") };
}

/** A few values from the bot's Prometheus text. */
function readMetrics(text: string) {
  const value = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)`, "m").exec(text)?.[1] ?? Number.NaN);
  let deliveries = 0;
  for (const m of text.matchAll(/^alumni_bridge_deliveries_total\{[^}]*outcome="sent"[^}]*\} ([0-9.e+-]+)/gm)) {
    deliveries += Number(m[1]);
  }
  return {
    eventLoopP99Ms: value("nodejs_eventloop_lag_p99_seconds") * 1000,
    eventLoopMaxMs: value("nodejs_eventloop_lag_max_seconds") * 1000,
    heapUsedMb: value("nodejs_heap_size_used_bytes") / 1_048_576,
    deliveries,
  };
}

/** What the machine did in one window, apart from the soak's own processes. */
function machineWindow(
  before: ReturnType<typeof machineBusyMs>,
  beforeAt: number,
  cpuBefore: CpuShare,
  mark: {
    machine: ReturnType<typeof machineBusyMs>;
    at: number;
    cpu: CpuShare;
    canary: { unitMs: number; stallMs: number };
  },
): MachineWindow {
  const seconds = (mark.at - beforeAt) / 1000;
  const ours = (Object.keys(mark.cpu) as (keyof CpuShare)[]).reduce((sum, k) => sum + mark.cpu[k] - cpuBefore[k], 0);
  const busy = mark.machine.busyMs - before.busyMs;
  return {
    canaryMs: round(mark.canary.unitMs, 3),
    machineStallMs: round(mark.canary.stallMs, 1),
    // Clock ticks are 10 ms and the readings are not taken at the same instant: clamp tiny negatives.
    otherCpuMsPerSecond: round(Math.max(0, (busy - ours) / seconds), 1),
    stealMsPerSecond: round((mark.machine.stealMs - before.stealMs) / seconds, 1),
  };
}

export async function soakRun(options: {
  seconds: number;
  rate: number;
  /** Length of one reporting window (60 in the full run). */
  windowSeconds: number;
  /** A linear ramp from 0 to `rate` before the measured windows start (not in the windows; its errors are reported). */
  rampSeconds?: number;
  /** Only these kinds of request (the mix keeps its proportions among them); default all. */
  kinds?: readonly Kind[];
  bench: BenchOptions;
}): Promise<SoakFigures> {
  const { bench, rate } = options;
  const mix = options.kinds ? MIX.filter((k) => options.kinds?.includes(k)) : MIX;
  const fake = await startFakeSlackProcess();
  // Teams users with fixed ids, known to the fake connector's member lookup (as in a real chat).
  const teamsPeople: TeamsUser[] = Array.from({ length: TEAMS_USERS }, (_, i) => ({
    id: `29:1soak-user-${i + 1}`,
    aadObjectId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, "0")}`,
    name: `Soak HR ${i + 1}`,
  }));
  const connector = await startFakeConnectorProcess(teamsPeople);
  const pg = await createBenchDatabase("ab_soak");
  let bot: Awaited<ReturnType<typeof startBot>> | undefined;
  const canary = startCanary();
  try {
    // Members, HR, five jobs and three events announced in the alumni channel. The jobs ask for a
    // skill nobody lists, so no alert fan-out runs at the start; RSVP clicks keep the dispatcher
    // busy editing the events' announcements (one edit per event per 15 s).
    const db = await openMigrated(pg.url);
    await seedMembers(pg.url, MEMBERS);
    const hr = await seedHr(pg.url);
    const postings: number[] = [];
    for (let i = 0; i < 5; i++) {
      postings.push((await createJob(db, hr, { title: `Soak job ${i + 1}`, skills: ["COBOL"] })).number);
    }
    const events: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { event } = await scheduleEvent({
        prisma: db.prisma,
        actorId: hr,
        input: {
          title: `Soak meetup ${i + 1}`,
          kind: "meetup",
          startsAt: new Date(Date.now() + (30 + i) * 86_400_000).toISOString(),
          timeZone: "Asia/Tokyo",
          endsAt: null,
          place: "Tokyo",
          url: null,
          capacity: null,
          description: "soak",
        },
        originConversationRefId: null,
        alumniChannelId: ALUMNI_CHANNEL,
        requestKey: randomUUID(),
      });
      events.push(event.number);
    }
    await db.close();

    bot = await startBot({
      slackApiUrl: fake.apiUrl,
      databaseUrl: pg.url,
      env: { SLACK_ALUMNI_CHANNEL_ID: ALUMNI_CHANNEL },
    });
    const running = bot;
    // Only what SlackRequester reads of a fake Slack: where response_urls point, and the bot's ids.
    const replyTarget = {
      responseUrl: (id?: string) => fake.responseUrl(id ?? randomUUID()),
      botUserId: "U0BOTUSER",
      botId: "B0BOTAPP1",
    } as Pick<FakeSlack, "responseUrl" | "botUserId" | "botId"> as FakeSlack;
    const slack = new TimedSlack(`${running.url}/slack/events`, replyTarget);
    const teams = new TeamsRequester({
      url: `${running.url}/api/messages`,
      serviceUrl: connector.serviceUrl,
      tenantId: "soak-tenant",
    });
    const modal = registrationModal({ mode: "edit", locale: "ja", prefill: { locale: "ja" } }) as {
      callback_id: string;
      private_metadata: string;
    };
    const commands = ["jobs", "events", "profile", "find TypeScript"];

    const request = async (i: number): Promise<{ status: number }> => {
      const kind = mix[i % mix.length] as Kind;
      const user = benchUserId(1 + (i % MEMBERS));
      const n = Math.floor(i / mix.length);
      switch (kind) {
        case "command":
          return slack.command(user, commands[n % commands.length] as string);
        case "click":
          return n % 2 === 0
            ? slack.blockAction(user, { actionId: "posting_interested", value: String(postings[n % postings.length]) })
            : slack.blockAction(user, {
                // A member's answer to an event changes from one click to the next (going, maybe, not
                // going in turn), so RSVPs keep writing instead of repeating the same answer.
                actionId: ["event_rsvp_going", "event_rsvp_maybe", "event_rsvp_not_going"][
                  (n + Math.floor(n / 3)) % 3
                ] as string,
                value: String(events[n % events.length]),
              });
        case "submission":
          return slack.viewSubmission(user, {
            callbackId: modal.callback_id,
            privateMetadata: modal.private_metadata,
            values: {
              displayName: { displayName: plainText(`Soak member ${i % MEMBERS}`) },
              email: { email: email(`member${1 + (i % MEMBERS)}@example.com`) },
              department: { department: plainText(n % 2 === 0 ? "Engineering" : "Sales") },
              joinedYear: { joinedYear: number(2015) },
              leftYear: { leftYear: number(2022) },
              leftOn: { leftOn: { type: "datepicker", selected_date: null } },
              currentEmployer: { currentEmployer: plainText("Example K.K.") },
              title: { title: plainText("Engineer") },
              skills: { skills: plainText("TypeScript, PostgreSQL") },
              interests: { interests: checkboxes(["job_alerts", "event_alerts"]) },
              directoryFields: { directoryFields: checkboxes(["skills"]) },
              hrFields: { hrFields: checkboxes([]) },
              locale: { locale: staticSelect("ja") },
            },
          });
        case "teams": {
          const activity = teams.buildMessage(teamsPeople[n % TEAMS_USERS] as TeamsUser, n % 2 === 0 ? "help" : "jobs");
          return post(`${running.url}/api/messages`, { "content-type": "application/json" }, JSON.stringify(activity));
        }
      }
    };

    const samples: Sample[] = [];
    const windows: SoakWindow[] = [];
    const windowCount = Math.max(1, Math.round(options.seconds / options.windowSeconds));
    const measuredMs = windowCount * options.windowSeconds * 1000;
    const rampMs = (options.rampSeconds ?? 0) * 1000;
    const totalMs = rampMs + measuredMs;
    /** Requests due `elapsed` ms after the start: the ramp's triangle, then the full rate. */
    const dueBy = (elapsed: number) => {
      const t = Math.min(elapsed, totalMs);
      if (t <= rampMs) return Math.floor((rate * t * t) / (2 * rampMs) / 1000);
      return Math.floor((rate * (rampMs / 2 + (t - rampMs))) / 1000);
    };
    const scrape = async () => readMetrics(await (await fetch(`${running.url}/metrics`)).text());
    let lastDeliveries = (await scrape()).deliveries; // also restarts the event-loop histogram

    bench.log(
      `soak: ramp to ${rate}/s over ${rampMs / 1000} s, then ${rate}/s for ${measuredMs / 1000} s (${windowCount} windows of ${options.windowSeconds} s)`,
    );
    const start = performance.now();
    let sent = 0;
    const inFlight = new Set<Promise<void>>();
    let failuresLogged = 0;
    const fire = (i: number) => {
      const since = performance.now() - start;
      // Window 0: the ramp.
      const window =
        since < rampMs ? 0 : Math.min(windowCount, 1 + Math.floor((since - rampMs) / (options.windowSeconds * 1000)));
      const kind = mix[i % mix.length] as Kind;
      const t0 = performance.now();
      const p = request(i).then(
        (res) => {
          const outcome = res.status >= 200 && res.status < 300 ? "ok" : "non2xx";
          if (outcome !== "ok" && failuresLogged++ < 5) bench.log(`soak: ${kind} answered ${res.status}`);
          samples.push({ kind, window, ms: performance.now() - t0, outcome });
        },
        (err: Error) => {
          const outcome = err.name === "TimeoutError" ? "timeout" : "error";
          if (failuresLogged++ < 5)
            bench.log(
              `soak: ${kind} failed: ${err.message} ${String((err.cause as Error | undefined)?.message ?? "")}`,
            );
          samples.push({ kind, window, ms: performance.now() - t0, outcome });
        },
      );
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    };
    // Paced: every 2 ms, send what is due by now (rate × elapsed), so the rate holds however long answers take.
    const pacer = setInterval(() => {
      const due = dueBy(performance.now() - start);
      while (sent < due) fire(sent++);
    }, 2);

    // At each window's end: the bot's RSS and its /metrics (latencies are summed up once all answers are in).
    const postgresCpuMs = postgresCpuMeter();
    const cpuNow = () => ({
      bot: running.cpuMs(),
      postgres: postgresCpuMs(),
      fakes: fake.cpuMs() + connector.cpuMs(),
      loadGenerator: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    });
    type Mark = {
      rssMb: number;
      metrics: Awaited<ReturnType<typeof scrape>>;
      cpu: CpuShare;
      machine: ReturnType<typeof machineBusyMs>;
      at: number;
      canary: { unitMs: number; stallMs: number };
    };
    const marks: Mark[] = [];
    let cpuAtStart = cpuNow();
    let machineAtStart = { ...machineBusyMs(), at: performance.now() };
    if (rampMs > 0) {
      await sleep(rampMs);
      await scrape(); // the event-loop histogram restarts with the measured run
      cpuAtStart = cpuNow();
      machineAtStart = { ...machineBusyMs(), at: performance.now() };
      canary.take();
      bench.log(`soak: ramp done: ${samples.filter((s) => s.outcome !== "ok").length} errors so far`);
    }
    for (let w = 1; w <= windowCount; w++) {
      await sleep(Math.max(0, start + rampMs + w * options.windowSeconds * 1000 - performance.now()));
      const metrics = await scrape();
      marks.push({
        rssMb: running.rssMb(),
        metrics,
        cpu: cpuNow(),
        machine: machineBusyMs(),
        at: performance.now(),
        canary: canary.take(),
      });
      const inWindow = samples.filter((s) => s.window === w);
      const failed = inWindow.filter((s) => s.outcome !== "ok");
      bench.log(
        `soak: window ${w}/${windowCount}: ${inWindow.length} answered, ` +
          `${failed.length} errors (${[...new Set(failed.map((s) => s.kind))].join(", ")}), ` +
          `p99 ${round(
            percentile(
              inWindow.map((s) => s.ms),
              99,
            ),
            2,
          )} ms, RSS ${round(running.rssMb(), 1)} MB, ` +
          `event loop p99 ${round(metrics.eventLoopP99Ms, 2)} ms, ` +
          `CPU ${JSON.stringify(perRequest(marks.at(-2)?.cpu ?? cpuAtStart, (marks.at(-1) as { cpu: CpuShare }).cpu, inWindow.length))} ms/request, ` +
          `canary ${(marks.at(-1) as Mark).canary.unitMs} ms, machine stall ${(marks.at(-1) as Mark).canary.stallMs} ms`,
      );
    }
    clearInterval(pacer);
    await Promise.all(inFlight);
    for (const [index, mark] of marks.entries()) {
      const w = index + 1;
      const cpuBefore = index === 0 ? cpuAtStart : (marks[index - 1] as Mark).cpu;
      const machineBefore = index === 0 ? machineAtStart : (marks[index - 1] as Mark);
      const machineBeforeBusy = "busyMs" in machineBefore ? machineBefore : machineBefore.machine;
      const inWindow = samples.filter((s) => s.window === w);
      const ok = inWindow.filter((s) => s.outcome === "ok");
      const times = (kinds: Kind[]) => ok.filter((s) => kinds.includes(s.kind)).map((s) => s.ms);
      const everything: Kind[] = ["command", "click", "submission", "teams"];
      windows.push({
        window: w,
        requests: inWindow.length,
        errors: inWindow.length - ok.length,
        ackP50Ms: round(percentile(times(everything), 50), 2),
        ackP99Ms: round(percentile(times(everything), 99), 2),
        slackP99Ms: round(percentile(times(["command", "click", "submission"]), 99), 2),
        teamsP99Ms: round(percentile(times(["teams"]), 99), 2),
        rssMb: round(mark.rssMb, 1),
        heapUsedMb: round(mark.metrics.heapUsedMb, 1),
        eventLoopP99Ms: round(mark.metrics.eventLoopP99Ms, 2),
        eventLoopMaxMs: round(mark.metrics.eventLoopMaxMs, 2),
        deliveries: mark.metrics.deliveries - lastDeliveries,
        cpuMsPerRequest: perRequest(cpuBefore, mark.cpu, inWindow.length),
        machine: machineWindow(machineBeforeBusy, machineBefore.at, cpuBefore, mark),
      });
      lastDeliveries = mark.metrics.deliveries;
    }

    const rampSamples = samples.filter((s) => s.window === 0);
    const measured = samples.filter((s) => s.window > 0);
    const ok = measured.filter((s) => s.outcome === "ok");
    const all = ok.map((s) => s.ms);
    const byKind = Object.fromEntries(
      (["command", "click", "submission", "teams"] as const).map((kind) => {
        const t = ok.filter((s) => s.kind === kind).map((s) => s.ms);
        return [
          kind,
          {
            requests: measured.filter((s) => s.kind === kind).length,
            p50Ms: round(percentile(t, 50), 2),
            p99Ms: round(percentile(t, 99), 2),
          },
        ];
      }),
    ) as SoakFigures["byKind"];
    const from = windows[Math.min(1, windows.length - 1)] as SoakWindow;
    const to = windows[windows.length - 1] as SoakWindow;
    const change = (a: number, b: number) => round(((b - a) / a) * 100, 1);
    return {
      ramp: {
        seconds: rampMs / 1000,
        requests: rampSamples.length,
        errors: rampSamples.filter((s) => s.outcome !== "ok").length,
      },
      seconds: measuredMs / 1000,
      windowSeconds: options.windowSeconds,
      ratePerSecond: rate,
      requests: measured.length,
      achievedRate: round(measured.length / (measuredMs / 1000), 1),
      errors: measured.length - ok.length,
      non2xx: measured.filter((s) => s.outcome === "non2xx").length,
      timeouts: measured.filter((s) => s.outcome === "timeout").length,
      ackP50Ms: round(percentile(all, 50), 2),
      ackP99Ms: round(percentile(all, 99), 2),
      byKind,
      windows,
      growth: {
        fromWindow: from.window,
        toWindow: to.window,
        rssPercent: change(from.rssMb, to.rssMb),
        ackP99Percent: change(from.ackP99Ms, to.ackP99Ms),
        eventLoopP99Percent: change(from.eventLoopP99Ms, to.eventLoopP99Ms),
        canaryPercent: change(from.machine.canaryMs, to.machine.canaryMs),
      },
      deliveries: windows.reduce((s, w) => s + w.deliveries, 0),
      cpuMsPerRequest: perRequest(cpuAtStart, (marks.at(-1) as { cpu: CpuShare }).cpu, measured.length),
    };
  } finally {
    canary.stop();
    agent.destroy();
    const output = bot?.spawned.output() ?? "";
    if (output.length > 0)
      bench.log(`soak: the bot logged ${output.length} bytes; the last lines:\n${output.slice(-1500)}`);
    await bot?.stop();
    await fake.stop();
    await connector.stop();
    await pg.drop();
  }
}
