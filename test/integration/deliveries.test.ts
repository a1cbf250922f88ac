// Inbound deduplication (src/http/deliveries.ts) on both engines: a delivery is
// processed once; a crashed attempt's claim expires; a failed one is released.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PROCESSED_DELIVERY_RETENTION_MS,
  pruneProcessedDeliveries,
} from "../../src/core/deliveries/prune-processed-deliveries.js";
import type { Database } from "../../src/db/database.js";
import { claimDelivery, completeDelivery, releaseDelivery, STALE_CLAIM_SECONDS } from "../../src/http/deliveries.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

describe.each(ENGINES)("delivery dedupe on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  let n = 0;
  const freshKey = () => `Ev${engine}${++n}`;

  beforeAll(async () => {
    expect(STALE_CLAIM_SECONDS).toBeLessThan(120);
    handle = await openEngine(engine, { poolSize: 25 });
    db = handle.db;
  });
  afterAll(async () => {
    await handle?.close();
  });

  /** Pretend the claim was made `seconds` ago. */
  async function age(key: string, seconds: number) {
    const changed = await db.prisma.$executeRaw`
      UPDATE processed_deliveries SET received_at = now() - make_interval(secs => ${seconds}) WHERE key = ${key}`;
    expect(changed).toBe(1);
  }

  it("the scheduler forgets deliveries older than a day, in batches, and keeps the recent ones", async () => {
    expect(PROCESSED_DELIVERY_RETENTION_MS).toBe(24 * 3600 * 1000);
    // More than one batch (5,000) of old deliveries, done and unfinished, and two recent ones.
    const old = Array.from({ length: 5_003 }, () => freshKey());
    const recent = [freshKey(), freshKey()];
    await db.prisma.$executeRaw`
      INSERT INTO processed_deliveries (key, platform, response, received_at)
      SELECT k, 'slack', CASE WHEN i % 2 = 0 THEN '{"done":true}'::jsonb END, now() - interval '25 hours'
      FROM unnest(${old}::text[]) WITH ORDINALITY AS t(k, i)`;
    for (const key of recent) expect(await claimDelivery(db.prisma, "slack", key)).toBe(true);
    await completeDelivery(db.prisma, recent[0] as string);
    await age(recent[1] as string, 23 * 3600);

    expect(await pruneProcessedDeliveries({ prisma: db.prisma, now: new Date() })).toEqual({ pruned: 5_003 });
    expect(await db.prisma.processedDelivery.count({ where: { key: { in: old } } })).toBe(0);
    expect(await db.prisma.processedDelivery.count({ where: { key: { in: recent } } })).toBe(2);
    // A recent delivery is still a redelivery to skip.
    expect(await claimDelivery(db.prisma, "slack", recent[0] as string)).toBe(false);
    expect(await pruneProcessedDeliveries({ prisma: db.prisma, now: new Date() })).toEqual({ pruned: 0 });
  });

  it("claims a new delivery once", async () => {
    const key = freshKey();
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(true);
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(false);
    expect(await claimDelivery(db.prisma, "teams", key)).toBe(false);
    const row = await db.prisma.processedDelivery.findUniqueOrThrow({ where: { key } });
    expect(row).toMatchObject({ platform: "slack", response: null });
  });

  it("keeps different deliveries apart", async () => {
    const a = freshKey();
    const b = freshKey();
    expect(await claimDelivery(db.prisma, "slack", a)).toBe(true);
    expect(await claimDelivery(db.prisma, "slack", b)).toBe(true);
    await releaseDelivery(db.prisma, a);
    expect(await claimDelivery(db.prisma, "slack", b)).toBe(false);
  });

  it("never reprocesses a completed delivery, however old", async () => {
    const key = freshKey();
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(true);
    await completeDelivery(db.prisma, key);
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(false);
    await age(key, 120);
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(false);
    // Releasing a completed delivery (a late failure path) does not reopen it.
    await releaseDelivery(db.prisma, key);
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(false);
    expect((await db.prisma.processedDelivery.findUniqueOrThrow({ where: { key } })).response).toEqual({ done: true });
  });

  it("skips a redelivery while the first attempt is still in flight", async () => {
    const key = freshKey();
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(true);
    await age(key, STALE_CLAIM_SECONDS - 20);
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(false);
  });

  it("lets a redelivery through when the first attempt crashed long ago, once", async () => {
    const key = freshKey();
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(true);
    await db.prisma.$executeRaw`
      UPDATE processed_deliveries SET received_at = now() - interval '2 minutes' WHERE key = ${key}`;
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(true);
    // The new claim is fresh again: a further redelivery waits for it.
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(false);
    const row = await db.prisma.processedDelivery.findUniqueOrThrow({ where: { key } });
    expect(Date.now() - row.receivedAt.getTime()).toBeLessThan(30_000);
  });

  it("makes a released delivery claimable at once", async () => {
    const key = freshKey();
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(true);
    await releaseDelivery(db.prisma, key);
    expect(await db.prisma.processedDelivery.count({ where: { key } })).toBe(0);
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(true);
    expect(await claimDelivery(db.prisma, "slack", key)).toBe(false);
  });

  if (engine === "postgres") {
    it("grants exactly one of 20 concurrent claims of a new delivery", async () => {
      const key = freshKey();
      const results = await Promise.all(Array.from({ length: 20 }, () => claimDelivery(db.prisma, "slack", key)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await db.prisma.processedDelivery.count({ where: { key } })).toBe(1);
    });

    it("grants exactly one of 20 concurrent reclaims of a crashed delivery", async () => {
      const key = freshKey();
      expect(await claimDelivery(db.prisma, "slack", key)).toBe(true);
      await age(key, 120);
      const results = await Promise.all(Array.from({ length: 20 }, () => claimDelivery(db.prisma, "slack", key)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  }
});
