// 5. Crashes: the bot is SIGKILLed at random points while it delivers a fan-out
// (a job posting: one DM per member and one announcement in the alumni channel;
// the weekly digest to Teams conversations) and an event reminder run (planned
// by the bot's own scheduler), then restarted, until everything is delivered.
//
// Each round has its own data (PostgreSQL: a fresh database; PGlite: a fresh
// DATA_DIR, where every restart after a kill finds the dead process's lock file
// and a database that was not shut down). The fakes live in this process, so
// they outlive every kill and count what a member would see: every expected
// message must arrive; a message that arrives twice is a duplicate.
//
// The documented window (src/delivery/dispatcher.ts): a row is marked sent
// right after its send, so a kill can only repeat sends in flight, at most
// DISPATCH_CONCURRENCY per kill. Each repeat is attributed to the kill that
// caused it: the copy before it was sent by the process that died before
// recording it — the last one started before that copy arrived (a request
// written just before a kill may land just after it). A repeat of a copy sent
// by the last, never killed, process would be outside the window.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scheduleEvent } from "../../src/core/events/schedule-event.js";
import { type Database, openDatabase } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { migrationsDir } from "../../src/paths.js";
import { type FakeConnector, startFakeConnector } from "../../src/sandbox/fake-connector.js";
import { type FakeSlack, startFakeSlack } from "../../src/sandbox/fake-slack.js";
import { cleanEnv, freePort, type Spawned, spawnScript } from "../../test/support/processes.js";
import { BOT_TOKEN, SIGNING_SECRET } from "../bot.js";
import { createBenchDatabase, round as roundTo, sleep } from "../lib.js";
import { BENCH_TEAM_ID, type Sql, seedHr, seedMembers, sqlForDb } from "../seed.js";
import { ALUMNI_CHANNEL, createJob } from "../world.js";

export interface CrashOptions {
  engine: "postgres" | "pglite";
  rounds: number;
  killsPerRound: number;
  /** Slack members per round: each gets one job alert and one event reminder. */
  members: number;
  /** Teams conversations per round: each gets the weekly digest. */
  conversations: number;
  /** Seed of the kill schedule (which kills happen during start-up, and when). */
  seed: number;
  /** The bot's DISPATCH_CONCURRENCY: the bound on repeats per kill. Default 8 (the default setting). */
  concurrency?: number;
  /** A kill after start-up comes at a random moment up to this long after /healthz first answers. */
  runMs?: number;
  /** Share of kills made during start-up (before /healthz answers: migrations, PGlite recovery, first tick). */
  startupShare?: number;
  log(message: string): void;
}

export interface KillRecord {
  round: number;
  phase: "startup" | "running";
  /** How long the killed process lived. */
  aliveMs: number;
  /** Expected messages delivered (first copies) when the kill came. */
  deliveredAtKill: number;
  /** Outbox rows the dead process held leased (PostgreSQL only: read right after the kill). */
  leasedAtKill?: number;
  /** Messages this kill made arrive a second time. */
  duplicates: number;
}

export interface CrashFigures {
  engine: "postgres" | "pglite";
  rounds: number;
  kills: number;
  killsDuringStartup: number;
  /** Messages expected over all rounds, and those that arrived at least once. */
  expected: number;
  delivered: number;
  lost: number;
  /** Extra copies that arrived (a message arriving twice counts 1). */
  duplicates: number;
  maxDuplicatesPerKill: number;
  /** DISPATCH_CONCURRENCY: no kill may cause more repeats than this. */
  duplicateBoundPerKill: number;
  /** Repeats with no kill to explain them (must be 0). */
  unexplainedDuplicates: number;
  /** Outbox rows of the rounds not `sent` at the end (must be 0). */
  rowsNotSent: number;
  /** PGlite: restarts that found the killed process's lock file and took it over. */
  staleLocksTakenOver?: number;
  /** Median time from spawn to /healthz answering, after a kill. */
  restartP50Ms: number;
  seconds: number;
  perKill: KillRecord[];
}

/** A small seeded PRNG (mulberry32): the same seed gives the same kill schedule. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Every expected message of a round, by a key naming its recipient and kind. */
interface RoundWorld {
  jobTitle: string;
  eventTitle: string;
  conversations: Set<string>;
  expected: Set<string>;
}

/** What the fakes received for this round: arrival times of each expected message. */
function arrivalsOf(world: RoundWorld, slack: FakeSlack, connector: FakeConnector): Map<string, number[]> {
  const arrivals = new Map<string, number[]>();
  const add = (key: string, at: number) => {
    if (!world.expected.has(key)) return;
    const list = arrivals.get(key) ?? [];
    list.push(at);
    arrivals.set(key, list);
  };
  for (const call of slack.calls) {
    if (call.method !== "chat.postMessage" || call.error) continue;
    const channel = String(call.args.channel ?? "");
    const text = String(call.args.text ?? "");
    if (channel === ALUMNI_CHANNEL && text.includes(world.jobTitle)) add("announcement", call.at);
    else if (text.includes(world.eventTitle)) add(`reminder:${channel}`, call.at);
    else if (text.includes(world.jobTitle)) add(`alert:${channel}`, call.at);
  }
  for (const call of connector.calls) {
    if (call.method !== "POST" || call.status !== 201 || !call.conversationId) continue;
    if (world.conversations.has(call.conversationId)) add(`digest:${call.conversationId}`, call.at);
  }
  return arrivals;
}

/**
 * A round's data, written through the app's own code where it matters: the job
 * posting (which queues the alerts and the announcement) and the event; members,
 * RSVPs and Teams conversations by SQL. The reminders are left to the bot's scheduler.
 */
async function seedRound(
  db: Database,
  sql: Sql,
  options: { round: number; members: number; conversations: number; serviceUrl: string },
): Promise<RoundWorld> {
  const { round, members } = options;
  await seedMembers(sql, members);
  const hr = await seedHr(sql);
  const jobTitle = `Crash round ${round} job`;
  const eventTitle = `Crash round ${round} reunion`;
  await createJob(db, hr, { title: jobTitle });
  // Reminders 1 h before (REMINDER_OFFSETS=1h): due a second from now, so the bot's first tick queues them.
  const { event } = await scheduleEvent({
    prisma: db.prisma,
    actorId: hr,
    input: {
      title: eventTitle,
      kind: "meetup",
      startsAt: new Date(Date.now() + 3_600_000 + 1_000).toISOString(),
      timeZone: "Asia/Tokyo",
      endsAt: null,
      place: "Tokyo",
      url: null,
      capacity: null,
      description: "crash bench",
    },
    originConversationRefId: null,
    alumniChannelId: null,
    requestKey: `crash-event-${round}-${Date.now()}`,
  });
  await sql(
    `INSERT INTO rsvps (id, event_id, person_id, response, created_at, updated_at)
     SELECT gen_random_uuid(), $1::uuid, si.person_id, 'going', now(), now()
     FROM slack_identities si WHERE si.user_id LIKE 'UB%'`,
    [event.id],
  );
  const conversations = Array.from({ length: options.conversations }, (_, k) => `a:crash-${round}-${k + 1}`);
  await sql(
    `INSERT INTO teams_conversation_refs (id, conversation_id, tenant_id, conversation_type, service_url, reference,
                                          notify_here, created_at, updated_at)
     SELECT gen_random_uuid(), cid, 'bench-tenant', 'personal', $2,
            jsonb_build_object('channelId', 'msteams', 'serviceUrl', $2::text,
                               'conversation', jsonb_build_object('id', cid, 'conversationType', 'personal',
                                                                  'tenantId', 'bench-tenant'),
                               'bot', jsonb_build_object('id', '28:bench-bot', 'name', 'alumni-bridge'),
                               'user', jsonb_build_object('id', '29:' || cid, 'name', 'HR ' || cid),
                               'locale', 'ja-JP'),
            true, now(), now()
     FROM unnest($1::text[]) cid`,
    [conversations, options.serviceUrl],
  );
  const expected = new Set<string>(["announcement"]);
  for (let i = 1; i <= members; i++) {
    const user = `UB${String(i).padStart(7, "0")}`;
    expected.add(`alert:${user}`);
    expected.add(`reminder:${user}`);
  }
  for (const c of conversations) expected.add(`digest:${c}`);
  return { jobTitle, eventTitle, conversations: new Set(conversations), expected };
}

interface Life {
  spawned: Spawned;
  url: string;
  startedAt: number;
  /** When /healthz first answered 200 (undefined while starting). */
  readyAt: number | undefined;
  ready: Promise<void>;
}

function startLife(env: Record<string, string>, port: number): Life {
  const spawned = spawnScript("src/main.ts", { env: cleanEnv({ ...env, PORT: String(port) }) });
  const url = `http://127.0.0.1:${port}`;
  const life: Life = { spawned, url, startedAt: Date.now(), readyAt: undefined, ready: Promise.resolve() };
  life.ready = (async () => {
    for (;;) {
      if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) {
        throw new Error(`the bot exited (${spawned.child.exitCode ?? spawned.child.signalCode}):\n${spawned.output()}`);
      }
      try {
        const res = await fetch(`${url}/healthz`);
        if (res.status === 200) {
          life.readyAt = Date.now();
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
  })();
  life.ready.catch(() => undefined);
  return life;
}

async function kill(life: Life): Promise<void> {
  if (life.spawned.child.exitCode === null && life.spawned.child.signalCode === null) {
    life.spawned.child.kill("SIGKILL");
  }
  await life.spawned.exited;
}

/** Pending and sending outbox rows, as the bot's /metrics reports them. */
async function openRows(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let open = 0;
  for (const m of text.matchAll(/^alumni_bridge_outbox_messages\{status="(pending|sending)"\} (\d+)/gm)) {
    open += Number(m[2]);
  }
  return open;
}

export async function crashRun(options: CrashOptions): Promise<CrashFigures> {
  const { log, engine } = options;
  const random = seededRandom(options.seed);
  const concurrency = options.concurrency ?? 8;
  const runMs = options.runMs ?? 2_500;
  const startupShare = options.startupShare ?? 0.2;
  const started = Date.now();
  const slack = await startFakeSlack({ teamId: BENCH_TEAM_ID });
  // A Slack answer takes a while, as the real one does: sends are in flight when a kill comes.
  slack.setDelay("chat.postMessage", 40);
  const connector = await startFakeConnector();
  const perKill: KillRecord[] = [];
  const restartMs: number[] = [];
  let expectedTotal = 0;
  let deliveredTotal = 0;
  let duplicatesTotal = 0;
  let unexplained = 0;
  let rowsNotSent = 0;
  let staleLocks = 0;
  let startupEstimateMs = 2_000;
  let live: Life | undefined;
  try {
    for (let round = 1; round <= options.rounds; round++) {
      slack.reset();
      connector.reset();
      const dataDir = engine === "pglite" ? mkdtempSync(join(tmpdir(), "ab-crash-pglite-")) : undefined;
      const pg = engine === "postgres" ? await createBenchDatabase("ab_crash") : undefined;
      try {
        // The data, before the first start (PGlite is one process's at a time).
        const db =
          engine === "postgres"
            ? await openDatabase({ engine: "postgres", url: (pg as { url: string }).url })
            : await openDatabase({ engine: "pglite", dataDir: dataDir as string });
        await applyMigrations({ db, migrationsDir });
        const world = await seedRound(db, sqlForDb(db), {
          round,
          members: options.members,
          conversations: options.conversations,
          serviceUrl: connector.url,
        });
        if (engine === "pglite") await db.close();
        const env: Record<string, string> = {
          SLACK_BOT_TOKEN: BOT_TOKEN,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: slack.apiUrl,
          SLACK_ALUMNI_CHANNEL_ID: ALUMNI_CHANNEL,
          ...(pg ? { DATABASE_URL: pg.url } : { DATA_DIR: dataDir as string }),
          REMINDER_OFFSETS: "1h",
          SCHEDULER_INTERVAL_SECONDS: "2",
          DISPATCH_LEASE_SECONDS: "5",
          DISPATCH_CONCURRENCY: String(concurrency),
          // Slack's and Teams' own paces: the fan-out takes seconds, so kills land while it is sent.
          SLACK_DM_RATE: "100/1s",
          SLACK_WORKSPACE_RATE: "100/1s",
          TEAMS_APP_RATE: "30/1s",
          LOG_LEVEL: "warn",
        };
        // Each killed process: when it started (copies arriving from then on, until the next start, are its sends).
        const kills: { startedAt: number; record: KillRecord }[] = [];
        const deliveredNow = () => arrivalsOf(world, slack, connector).size;
        for (let k = 0; k < options.killsPerRound; k++) {
          const lockFile = dataDir ? join(dataDir, "pglite.lock") : undefined;
          const staleLock = lockFile !== undefined && existsSync(lockFile) ? readFileSync(lockFile, "utf8").trim() : "";
          live = startLife(env, await freePort());
          const duringStartup = random() < startupShare;
          if (duringStartup) {
            await sleep(random() * startupEstimateMs);
          } else {
            await live.ready;
            await sleep(random() * runMs);
          }
          if (live.readyAt !== undefined) {
            startupEstimateMs = live.readyAt - live.startedAt;
            if (k > 0 || round > 1) restartMs.push(startupEstimateMs);
            if (staleLock !== "") staleLocks++;
          }
          if (live.spawned.child.exitCode !== null) {
            throw new Error(`the bot exited by itself (${live.spawned.child.exitCode}):\n${live.spawned.output()}`);
          }
          const phase = live.readyAt === undefined ? "startup" : "running";
          const killedAt = Date.now();
          await kill(live);
          // Requests the process wrote just before it died still reach the fakes: let them land.
          await sleep(200);
          const record: KillRecord = {
            round,
            phase,
            aliveMs: killedAt - live.startedAt,
            deliveredAtKill: deliveredNow(),
            duplicates: 0,
          };
          if (engine === "postgres") {
            record.leasedAtKill = Number(
              (
                (await db.prisma
                  .$queryRaw`SELECT count(*)::int AS n FROM outbox_messages WHERE status = 'sending'`) as {
                  n: number;
                }[]
              )[0]?.n ?? 0,
            );
          }
          kills.push({ startedAt: live.startedAt, record });
          perKill.push(record);
          log(
            `crash: ${engine} round ${round} kill ${k + 1}/${options.killsPerRound} during ${phase} ` +
              `after ${record.aliveMs} ms (ready after ${live.readyAt === undefined ? "-" : live.readyAt - live.startedAt} ms); ${record.deliveredAtKill}/${world.expected.size} delivered` +
              (record.leasedAtKill !== undefined ? `, ${record.leasedAtKill} rows left leased` : ""),
          );
          live = undefined;
        }
        // The last start: runs until every message is out and the outbox is empty, then stops gracefully.
        const lockFile = dataDir ? join(dataDir, "pglite.lock") : undefined;
        const staleLock = lockFile !== undefined && existsSync(lockFile);
        live = startLife(env, await freePort());
        const finalStartedAt = live.startedAt;
        await live.ready;
        restartMs.push((live.readyAt as number) - live.startedAt);
        if (staleLock) staleLocks++;
        const deadline = Date.now() + 180_000;
        for (;;) {
          if (deliveredNow() >= world.expected.size && (await openRows(live.url)) === 0) break;
          if (Date.now() > deadline) {
            log(`crash: ${engine} round ${round}: not done after 180 s (${deliveredNow()}/${world.expected.size})`);
            break;
          }
          await sleep(200);
        }
        // A copy still on its way would arrive now.
        await sleep(500);
        live.spawned.child.kill("SIGTERM");
        const code = await live.spawned.exited;
        if (code !== 0) throw new Error(`the last bot of round ${round} exited ${code}:\n${live.spawned.output()}`);
        live = undefined;

        // The outbox as the database has it: every row of the round sent.
        const check = engine === "postgres" ? db : await openDatabase({ engine: "pglite", dataDir: dataDir as string });
        const notSent = (await check.prisma.$queryRaw`
          SELECT count(*)::int AS n FROM outbox_messages WHERE status <> 'sent'`) as { n: number }[];
        rowsNotSent += notSent[0]?.n ?? 0;
        await check.close();

        const arrivals = arrivalsOf(world, slack, connector);
        for (const times of arrivals.values()) {
          times.sort((a, b) => a - b);
          // Each copy but the last was followed by a repeat: caused by the first kill after it.
          for (let i = 0; i < times.length - 1; i++) {
            const sentBy = kills.findLast((kl) => kl.startedAt <= (times[i] as number));
            const cause = sentBy && (times[i] as number) < finalStartedAt ? sentBy : undefined;
            if (cause) cause.record.duplicates++;
            else unexplained++;
            duplicatesTotal++;
          }
        }
        expectedTotal += world.expected.size;
        deliveredTotal += arrivals.size;
        const roundDuplicates = kills.reduce((s, kl) => s + kl.record.duplicates, 0);
        log(
          `crash: ${engine} round ${round}: ${arrivals.size}/${world.expected.size} delivered, ` +
            `${roundDuplicates} duplicates over ${kills.length} kills (per kill: ${kills.map((kl) => kl.record.duplicates).join(" ")})`,
        );
      } finally {
        if (live) await kill(live);
        live = undefined;
        await pg?.drop();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    await slack.close();
    await connector.close();
  }
  const sortedRestarts = [...restartMs].sort((a, b) => a - b);
  return {
    engine,
    rounds: options.rounds,
    kills: perKill.length,
    killsDuringStartup: perKill.filter((k) => k.phase === "startup").length,
    expected: expectedTotal,
    delivered: deliveredTotal,
    lost: expectedTotal - deliveredTotal,
    duplicates: duplicatesTotal,
    maxDuplicatesPerKill: Math.max(0, ...perKill.map((k) => k.duplicates)),
    duplicateBoundPerKill: concurrency,
    unexplainedDuplicates: unexplained,
    rowsNotSent,
    ...(engine === "pglite" ? { staleLocksTakenOver: staleLocks } : {}),
    restartP50Ms: sortedRestarts[Math.floor(sortedRestarts.length / 2)] ?? 0,
    seconds: roundTo((Date.now() - started) / 1000, 1),
    perKill,
  };
}
