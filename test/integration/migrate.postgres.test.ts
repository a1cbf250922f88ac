import { rm } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { migrationsDir } from "../../src/paths.js";
import { migrationsCopy, realMigrationNames } from "../support/migrations.js";
import { createThrowawayDatabase, queryUrl, type ThrowawayDatabase } from "../support/postgres.js";
import { cleanEnv, spawnScript } from "../support/processes.js";

const names = realMigrationNames();

const COLUMNS_SQL = `
  SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length
  FROM information_schema.columns WHERE table_schema = 'public'
  ORDER BY table_name, column_name`;

describe("migrations on PostgreSQL", () => {
  let pgdb: ThrowawayDatabase;

  beforeAll(async () => {
    pgdb = await createThrowawayDatabase();
  });
  afterAll(async () => {
    await pgdb?.drop();
  });

  it("applies every migration once and keeps Prisma's history table format", async () => {
    const db = await openDatabase({ engine: "postgres", url: pgdb.url });
    try {
      expect((await applyMigrations({ db, migrationsDir })).applied).toEqual(names);
      expect((await applyMigrations({ db, migrationsDir })).applied).toEqual([]);
    } finally {
      await db.close();
    }
    const columns = await queryUrl(
      pgdb.url,
      `SELECT column_name, udt_name, is_nullable, column_default, character_maximum_length
       FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    // The DDL Prisma's schema engine uses for PostgreSQL.
    expect(columns).toEqual([
      { column_name: "id", udt_name: "varchar", is_nullable: "NO", column_default: null, character_maximum_length: 36 },
      {
        column_name: "checksum",
        udt_name: "varchar",
        is_nullable: "NO",
        column_default: null,
        character_maximum_length: 64,
      },
      {
        column_name: "finished_at",
        udt_name: "timestamptz",
        is_nullable: "YES",
        column_default: null,
        character_maximum_length: null,
      },
      {
        column_name: "migration_name",
        udt_name: "varchar",
        is_nullable: "NO",
        column_default: null,
        character_maximum_length: 255,
      },
      {
        column_name: "logs",
        udt_name: "text",
        is_nullable: "YES",
        column_default: null,
        character_maximum_length: null,
      },
      {
        column_name: "rolled_back_at",
        udt_name: "timestamptz",
        is_nullable: "YES",
        column_default: null,
        character_maximum_length: null,
      },
      {
        column_name: "started_at",
        udt_name: "timestamptz",
        is_nullable: "NO",
        column_default: "now()",
        character_maximum_length: null,
      },
      {
        column_name: "applied_steps_count",
        udt_name: "int4",
        is_nullable: "NO",
        column_default: "0",
        character_maximum_length: null,
      },
    ]);
    const rows = await queryUrl<{ migration_name: string; applied_steps_count: number; finished_at: Date | null }>(
      pgdb.url,
      "SELECT migration_name, applied_steps_count, finished_at FROM _prisma_migrations ORDER BY migration_name",
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    expect(rows.every((r) => r.applied_steps_count === 1 && r.finished_at instanceof Date)).toBe(true);
  });

  it("produces exactly the same schema as PGlite does", async () => {
    const lite = await openDatabase({ engine: "pglite", dataDir: null });
    try {
      await applyMigrations({ db: lite, migrationsDir });
      const liteColumns = await lite.withSession((s) => s.query(COLUMNS_SQL));
      const pgColumns = await queryUrl(pgdb.url, COLUMNS_SQL);
      expect(liteColumns.length).toBeGreaterThan(50);
      expect(liteColumns).toEqual(pgColumns);
    } finally {
      await lite.close();
    }
  });
});

describe("concurrent starts on one PostgreSQL database", () => {
  it("two processes migrating at once apply each migration exactly once", async () => {
    const pgdb = await createThrowawayDatabase();
    try {
      const env = cleanEnv({ DATABASE_URL: pgdb.url, LOG_LEVEL: "info" });
      const a = spawnScript("src/db/migrate-cli.ts", { env });
      const b = spawnScript("src/db/migrate-cli.ts", { env });
      const [codeA, codeB] = await Promise.all([a.exited, b.exited]);
      expect({ codeA, codeB, out: codeA || codeB ? a.output() + b.output() : "" }).toEqual({
        codeA: 0,
        codeB: 0,
        out: "",
      });
      const rows = await queryUrl<{ migration_name: string; n: number }>(
        pgdb.url,
        "SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY 1 ORDER BY 1",
      );
      expect(rows).toEqual(names.map((name) => ({ migration_name: name, n: 1 })));
      // Exactly one of the two did the work; the other found everything applied.
      const appliedBy = [a.output(), b.output()].filter((o) => o.includes('"msg":"migrations applied"'));
      expect(appliedBy).toHaveLength(1);
    } finally {
      await pgdb.drop();
    }
  });

  it("a slow migration holds the lock; the waiting replica then finds it applied", async () => {
    const pgdb = await createThrowawayDatabase();
    const dir = migrationsCopy({
      "29990101000000_slow": "SELECT pg_sleep(1.5);\nCREATE TABLE slow_marker (id int);\n",
    });
    const dbs: Database[] = [];
    try {
      for (let i = 0; i < 3; i++) dbs.push(await openDatabase({ engine: "postgres", url: pgdb.url }));
      const results = await Promise.all(dbs.map((db) => applyMigrations({ db, migrationsDir: dir })));
      const appliers = results.filter((r) => r.applied.length > 0);
      expect(appliers).toHaveLength(1);
      expect(appliers[0]?.applied).toEqual([...names, "29990101000000_slow"]);
      const counts = await queryUrl<{ n: number }>(pgdb.url, "SELECT count(*)::int AS n FROM _prisma_migrations");
      expect(counts[0]?.n).toBe(names.length + 1);
      // The lock is released: another run gets it at once.
      const again = await applyMigrations({ db: dbs[0] as Database, migrationsDir: dir, lockTimeoutMs: 1_000 });
      expect(again.applied).toEqual([]);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
      await rm(dir, { recursive: true });
      await pgdb.drop();
    }
  });
});
