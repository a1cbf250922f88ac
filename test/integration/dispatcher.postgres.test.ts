// Delivery across replicas on real PostgreSQL: two dispatcher processes over one
// database, a replica killed mid-batch, and Slack answering 429. Every message
// must arrive, and (short of a crash mid-send) arrive once.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { enqueueOutbox } from "../../src/delivery/outbox.js";
import { migrationsDir } from "../../src/paths.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../support/postgres.js";
import { cleanEnv, type Spawned, spawnScript } from "../support/processes.js";

const TEAM = "T0RELAY01";
let pg: ThrowawayDatabase;
let db: Database;
let fake: FakeSlack;
const replicas: Spawned[] = [];

beforeAll(async () => {
  pg = await createThrowawayDatabase();
  db = await openDatabase({ engine: "postgres", url: pg.url });
  await applyMigrations({ db, migrationsDir });
  fake = await startFakeSlack({ teamId: TEAM });
});

afterAll(async () => {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill("SIGKILL");
  await db?.close();
  await pg?.drop();
  await fake?.close();
});

function replica(name: string, extra: Record<string, string> = {}): Promise<Spawned> {
  const spawned = spawnScript("test/support/dispatcher-process.ts", {
    env: cleanEnv({
      DATABASE_URL: pg.url,
      SLACK_BOT_TOKEN: "xoxb-relay",
      SLACK_SIGNING_SECRET: "relay-secret",
      SLACK_API_URL: fake.apiUrl,
      SLACK_DM_RATE: "2000/1s",
      SLACK_WORKSPACE_RATE: "2000/1s",
      DISPATCH_BATCH_SIZE: "50",
      DISPATCH_CONCURRENCY: "8",
      LOG_LEVEL: "warn",
      REPLICA_NAME: name,
      ...extra,
    }),
  });
  replicas.push(spawned);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${spawned.output()}`)), 60_000);
    spawned.child.stdout?.on("data", () => {
      if (spawned.output().includes("ready")) {
        clearTimeout(timer);
        resolve(spawned);
      }
    });
    spawned.child.once("exit", (code) => reject(new Error(`${name} exited ${code}:\n${spawned.output()}`)));
  });
}

async function stop(r: Spawned): Promise<void> {
  if (r.child.exitCode !== null) return;
  r.child.kill("SIGTERM");
  await r.exited;
}

/** An event, `n` members who said "going", and one due reminder row for each. */
async function dueReminders(n: number, label: string): Promise<string[]> {
  const event = await db.prisma.event.create({
    data: {
      kind: "meetup",
      title: `Relay ${label}`,
      startsAt: new Date(Date.now() + 3_600_000),
      timeZone: "Asia/Tokyo",
    },
  });
  const people = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    userId: `U${label}${String(i).padStart(5, "0")}`,
  }));
  await db.prisma.person.createMany({
    data: people.map((p) => ({ id: p.id, displayName: p.userId, locale: "ja" as const })),
  });
  await db.prisma.slackIdentity.createMany({
    data: people.map((p) => ({ personId: p.id, teamId: TEAM, userId: p.userId })),
  });
  await db.prisma.rsvp.createMany({
    data: people.map((p) => ({ eventId: event.id, personId: p.id, response: "going" as const })),
  });
  await db.prisma.$transaction((tx) =>
    enqueueOutbox(
      tx,
      people.map((p) => ({
        idempotencyKey: `reminder:${event.id}:${p.id}:3600000`,
        platform: "slack" as const,
        operation: "dm" as const,
        target: p.userId,
        recipientId: p.id,
        subjectType: "event",
        subjectId: event.id,
        rateKey: `slack:${TEAM}:dm`,
        payload: { type: "slack.event_reminder" as const, eventId: event.id, offsetMs: 3_600_000 },
      })),
    ),
  );
  return people.map((p) => p.userId);
}

async function allSettled(subjectPrefix: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await db.prisma.outboxMessage.count({
      where: { status: { in: ["pending", "sending"] }, target: { startsWith: subjectPrefix } },
    });
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`${open} rows still not delivered`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function deliveriesTo(users: string[]): Map<string, number> {
  const wanted = new Set(users);
  const counts = new Map<string, number>();
  for (const call of fake.callsTo("chat.postMessage")) {
    const channel = String(call.args.channel);
    if (!call.error && wanted.has(channel)) counts.set(channel, (counts.get(channel) ?? 0) + 1);
  }
  return counts;
}

describe("dispatcher across replicas (PostgreSQL)", () => {
  it("two replicas deliver 1,000 due reminders, each exactly once", async () => {
    const users = await dueReminders(1000, "A");
    const started = Date.now();
    const [a, b] = await Promise.all([replica("replica-a"), replica("replica-b")]);
    await allSettled("UA", 90_000);
    const seconds = (Date.now() - started) / 1000;
    await Promise.all([stop(a as Spawned), stop(b as Spawned)]);
    const counts = deliveriesTo(users);
    expect(counts.size).toBe(1000);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    expect(await db.prisma.outboxMessage.count({ where: { target: { startsWith: "UA" }, status: "sent" } })).toBe(1000);
    // Both replicas took part (SKIP LOCKED lets them share the queue).
    expect(a?.output()).not.toContain("Error");
    console.info(`1,000 reminders by two replicas in ${seconds.toFixed(1)} s`);
  }, 150_000);

  it("a replica killed mid-batch loses nothing: its leased rows are delivered after the lease expires", async () => {
    const users = await dueReminders(200, "B");
    fake.setDelay("chat.postMessage", 150);
    const a = await replica("replica-killed", { DISPATCH_LEASE_SECONDS: "5" });
    const deadline = Date.now() + 30_000;
    while (deliveriesTo(users).size < 30 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    a.child.kill("SIGKILL");
    await a.exited;
    const leased = await db.prisma.outboxMessage.count({ where: { target: { startsWith: "UB" }, status: "sending" } });
    expect(leased).toBeGreaterThan(0);
    fake.setDelay("chat.postMessage", 0);
    const b = await replica("replica-survivor", { DISPATCH_LEASE_SECONDS: "5" });
    await allSettled("UB", 60_000);
    await stop(b);
    const counts = deliveriesTo(users);
    expect(counts.size).toBe(200);
    const duplicates = [...counts.values()].filter((c) => c > 1).length;
    // At-least-once: only a send in flight at the moment of the kill can be repeated.
    expect(duplicates).toBeLessThanOrEqual(8);
    expect(await db.prisma.outboxMessage.count({ where: { target: { startsWith: "UB" }, status: "sent" } })).toBe(200);
  }, 150_000);

  it("Slack's 429 pauses the key for Retry-After; nothing is lost or duplicated", async () => {
    const users = await dueReminders(40, "C");
    fake.failNext("chat.postMessage", "ratelimited", 1, 1);
    const a = await replica("replica-429");
    await allSettled("UC", 60_000);
    await stop(a);
    const counts = deliveriesTo(users);
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    const pause = await db.prisma.rateLimitPause.findUnique({ where: { key: `slack:${TEAM}:dm` } });
    expect(pause).not.toBeNull();
    expect(fake.calls.filter((c) => c.error === "ratelimited")).toHaveLength(1);
  }, 120_000);
});
