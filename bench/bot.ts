// The bot under test, started as `npm start` does (src/main.ts in a child
// process) with the environment a scenario gives, plus helpers to wait for it
// and read its memory from /proc.
import { readFileSync } from "node:fs";
import { cleanEnv, freePort, type Spawned, spawnScript, waitForStatus } from "../test/support/processes.js";

export const SIGNING_SECRET = "bench-signing-secret";
export const BOT_TOKEN = "xoxb-bench-token";

export interface RunningProcess {
  url: string;
  port: number;
  spawned: Spawned;
  /** Resident set size in MiB, read from /proc/<pid>/status. */
  rssMb(): number;
  /** CPU time used so far (ms). */
  cpuMs(): number;
  stop(): Promise<void>;
}

/** CPU time (user + system) the process has used so far, in milliseconds. */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name), in clock ticks.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? "NaN");
  return kb / 1024;
}

async function startProcess(script: string, env: Record<string, string>, readyPath: string, readyStatus: number) {
  const port = await freePort();
  const extra: Record<string, string> = { PORT: String(port), LOG_LEVEL: "warn", ...env };
  if (process.env.NODE_EXTRA_CA_CERTS) extra.NODE_EXTRA_CA_CERTS = process.env.NODE_EXTRA_CA_CERTS;
  // BENCH_CPU_PROF=<dir>: every process under test writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF;
  const nodeArgs = profile ? ["--cpu-prof", `--cpu-prof-dir=${profile}`] : [];
  const spawned = spawnScript(script, { env: cleanEnv(extra), nodeArgs });
  const url = `http://127.0.0.1:${port}`;
  await waitForStatus(`${url}${readyPath}`, readyStatus, 90_000, spawned);
  const pid = spawned.child.pid as number;
  return {
    url,
    port,
    spawned,
    rssMb: () => rssMbOf(pid),
    cpuMs: () => cpuMsOf(pid),
    async stop() {
      if (spawned.child.exitCode === null) spawned.child.kill("SIGTERM");
      await spawned.exited;
    },
  } satisfies RunningProcess;
}

/** src/main.ts with Slack pointed at `slackApiUrl`; PostgreSQL when databaseUrl is given, else PGlite in dataDir. */
export async function startBot(options: {
  slackApiUrl: string;
  databaseUrl?: string;
  dataDir?: string;
  env?: Record<string, string>;
}): Promise<RunningProcess> {
  const env: Record<string, string> = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: options.slackApiUrl,
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...(options.dataDir ? { DATA_DIR: options.dataDir } : {}),
    ...options.env,
  };
  const bot = await startProcess("src/main.ts", env, "/healthz", 200);
  // With PostgreSQL the Slack worker thread starts after /healthz first answers: wait for it.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const health = (await (await fetch(`${bot.url}/healthz`)).json()) as { slack?: { workerThread?: string } };
    const state = health.slack?.workerThread;
    if (state === undefined || state === "off" || state === "ready") break;
    if (Date.now() > deadline) throw new Error(`the Slack worker thread is ${state} after 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return bot;
}

/** bench/fake-slack-process.ts: the fake Slack in its own process; `apiUrl` for the bot, `responseUrl(id)` for requests. */
export async function startFakeSlackProcess(): Promise<
  RunningProcess & { apiUrl: string; responseUrl(id: string): string }
> {
  const running = await startProcess("bench/fake-slack-process.ts", {}, "/nothing", 404);
  return {
    ...running,
    apiUrl: `${running.url}/api/`,
    responseUrl: (id: string) => `${running.url}/response/${encodeURIComponent(id)}`,
  };
}

/** bench/bare-bolt.ts: Bolt's own receiver, ack only. Ready when an unsigned POST is refused. */
export function startBareBolt(slackApiUrl: string): Promise<RunningProcess> {
  return startProcess(
    "bench/bare-bolt.ts",
    { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slackApiUrl },
    "/",
    404,
  );
}

/** bench/fake-connector-process.ts: the fake Bot Connector in its own process, knowing `members`. */
export async function startFakeConnectorProcess(
  members: { id: string; name: string; aadObjectId: string }[] = [],
): Promise<RunningProcess & { serviceUrl: string }> {
  const env = { FAKE_CONNECTOR_MEMBERS: JSON.stringify(members) };
  const running = await startProcess("bench/fake-connector-process.ts", env, "/nothing", 404);
  return { ...running, serviceUrl: `${running.url}/` };
}
