// The same Prisma operations behave the same on both engines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { Prisma } from "../../src/generated/prisma/client.js";
import { migrationsDir } from "../../src/paths.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";
import { openMigratedPglite } from "../support/pglite.js";

describe.each(ENGINES)("database on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("answers ping", async () => {
    await expect(db.ping()).resolves.toBeUndefined();
    expect(db.engine).toBe(engine);
  });

  it("rejects a second outbox row with the same idempotency key (P2002)", async () => {
    const row = {
      idempotencyKey: "posting:1:announce",
      platform: "slack" as const,
      operation: "post" as const,
      kind: "posting.announce",
      target: "C0123",
      rateKey: "slack:channel:C0123",
      payload: { text: "hello" },
    };
    await db.prisma.outboxMessage.create({ data: row });
    const error = await db.prisma.outboxMessage.create({ data: row }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((error as Prisma.PrismaClientKnownRequestError).code).toBe("P2002");
    expect(await db.prisma.outboxMessage.count({ where: { idempotencyKey: row.idempotencyKey } })).toBe(1);
  });

  it("rolls back an interactive transaction as a whole", async () => {
    const before = await db.prisma.person.count();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.person.create({ data: { displayName: "Temp" } });
        await tx.auditLog.create({ data: { action: "test" } });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await db.prisma.person.count()).toBe(before);
    expect(await db.prisma.auditLog.count({ where: { action: "test" } })).toBe(0);
  });

  it("stores instants in UTC and dates without a time zone shift", async () => {
    const startsAt = new Date("2026-12-05T10:00:00.000Z"); // 19:00 in Tokyo
    const event = await db.prisma.event.create({
      data: { kind: "homecoming_day", title: "Homecoming", startsAt, timeZone: "Asia/Tokyo" },
    });
    const person = await db.prisma.person.create({
      data: { displayName: "Leaver", profile: { create: { leftOn: new Date("2026-03-31") } } },
      include: { profile: true },
    });
    const rows = await db.withSession((s) =>
      s.query<{ utc: string }>(
        "SELECT to_char(starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS utc FROM events WHERE id = $1",
        [event.id],
      ),
    );
    expect(rows[0]?.utc).toBe("2026-12-05 10:00");
    expect(person.profile?.leftOn?.toISOString()).toBe("2026-03-31T00:00:00.000Z");
    expect((await db.prisma.event.findUniqueOrThrow({ where: { id: event.id } })).startsAt).toEqual(startsAt);
  });

  it("keeps an erased person as an anonymous tombstone so counts survive", async () => {
    const posting = await db.prisma.posting.create({
      data: { kind: "job", title: "SRE", description: "…", status: "open" },
    });
    const person = await db.prisma.person.create({
      data: { displayName: "Taro", email: "taro@example.com", interests: { create: { postingId: posting.id } } },
    });
    await db.prisma.person.update({
      where: { id: person.id },
      data: { status: "erased", displayName: null, email: null, erasedAt: new Date() },
    });
    expect(await db.prisma.interest.count({ where: { postingId: posting.id } })).toBe(1);
    expect(await db.prisma.person.count({ where: { email: "taro@example.com" } })).toBe(0);
  });
});

describe("prepared statements on postgres", () => {
  let handle: EngineHandle;
  beforeAll(async () => {
    handle = await openEngine("postgres");
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("prepares a repeated Prisma query once per connection, and leaves long parameter lists unnamed", async () => {
    const prisma = handle.db.prisma;
    const ids = Array.from({ length: 30 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);
    // An interactive transaction holds one connection, so pg_prepared_statements shows that connection's.
    const prepared = await prisma.$transaction(async (tx) => {
      for (let i = 0; i < 3; i++) {
        expect(await tx.person.findFirst({ where: { id: ids[i] as string } })).toBeNull();
        expect(await tx.person.findMany({ where: { id: { in: ids } } })).toEqual([]);
      }
      return tx.$queryRaw<{ name: string; statement: string }[]>`SELECT name, statement FROM pg_prepared_statements`;
    });
    const people = prepared.filter((p) => p.statement.includes('"people"'));
    expect(people.map((p) => p.name)).toHaveLength(1);
    expect(people[0]?.name).toMatch(/^ab_/);
  });
});

describe("a full connection pool on postgres", () => {
  let handle: EngineHandle;
  beforeAll(async () => {
    handle = await openEngine("postgres", { poolSize: 1 });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("queues a transaction behind a busy pool for longer than Prisma's 2 s default instead of failing it", async () => {
    const prisma = handle.db.prisma;
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started!: () => void;
    const holding = new Promise<void>((resolve) => {
      started = resolve;
    });
    // The pool's only connection, held for 2.5 s (as a burst would hold every connection).
    const first = prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT 1`;
        started();
        await held;
        return "first";
      },
      { timeout: 10_000 },
    );
    await holding;
    const second = prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT 1`;
      return "second";
    });
    setTimeout(release, 2_500);
    expect(await Promise.all([first, second])).toEqual(["first", "second"]);
  }, 20_000);
});

describe("the PGlite test template", () => {
  it("is the migrated schema, and each database made from it is independent", async () => {
    const a = await openMigratedPglite();
    const b = await openMigratedPglite();
    try {
      const history = await a.withSession((s) =>
        s.query<{ migration_name: string }>("SELECT migration_name FROM _prisma_migrations ORDER BY 1"),
      );
      expect(history.length).toBeGreaterThan(0);
      expect((await applyMigrations({ db: a, migrationsDir })).applied).toEqual([]);
      await a.prisma.person.create({ data: { displayName: "only in a" } });
      expect(await b.prisma.person.count()).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
