import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.js";
import { DirectoryLockedError } from "../../src/db/directory-lock.js";
import { applyMigrations, MigrationError, migrationChecksum } from "../../src/db/migrate.js";
import { migrationsDir } from "../../src/paths.js";
import { migrationsCopy, realMigrationNames } from "../support/migrations.js";

const names = realMigrationNames();

describe("migrations on embedded PGlite", () => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase({ engine: "pglite", dataDir: null });
  });
  afterAll(async () => {
    await db.close();
  });

  it("applies every migration folder, in order, once", async () => {
    expect(names.length).toBeGreaterThan(0);
    const first = await applyMigrations({ db, migrationsDir });
    expect(first.applied).toEqual(names);
    const second = await applyMigrations({ db, migrationsDir });
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(names);
  });

  it("records _prisma_migrations rows the way Prisma does", async () => {
    const rows = await db.withSession((s) =>
      s.query<{
        id: string;
        checksum: string;
        migration_name: string;
        finished_at: Date | null;
        started_at: Date;
        logs: string | null;
        rolled_back_at: Date | null;
        applied_steps_count: number;
      }>("SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name"),
    );
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const sql = readFileSync(join(migrationsDir, row.migration_name, "migration.sql"), "utf8");
      expect(row.checksum).toBe(migrationChecksum(sql));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at?.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.logs).toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("gives a working Prisma client over the migrated schema", async () => {
    const person = await db.prisma.person.create({
      data: {
        displayName: "山田 花子",
        locale: "ja",
        profile: {
          create: { skills: ["TypeScript", "経理"], listed: true, directoryFields: ["display_name", "skills"] },
        },
      },
      include: { profile: true },
    });
    expect(person.profile?.directoryFields).toEqual(["display_name", "skills"]);
    const found = await db.prisma.profile.findFirst({ where: { skills: { has: "経理" } } });
    expect(found?.personId).toBe(person.id);
  });
});

describe("a migration that fails", () => {
  it("is rolled back whole, recorded nowhere, and stops start-up with its name", async () => {
    const db = await openDatabase({ engine: "pglite", dataDir: null });
    try {
      const dir = migrationsCopy({
        "29990101000000_broken": 'CREATE TABLE "half_done" (id int);\nSELECT no_such_function();\n',
      });
      const error = await applyMigrations({ db, migrationsDir: dir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as Error).message).toMatch(/29990101000000_broken failed and was rolled back/);
      const state = await db.withSession(async (s) => ({
        table: await s.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'"),
        rows: await s.query<{ migration_name: string }>("SELECT migration_name FROM _prisma_migrations ORDER BY 1"),
      }));
      expect(state.table).toEqual([]);
      // The good migrations before it stay applied; the broken one left no row.
      expect(state.rows.map((r) => r.migration_name)).toEqual(names);
      await rm(dir, { recursive: true });
    } finally {
      await db.close();
    }
  });

  it("refuses to continue past an unfinished row left by Prisma's own CLI", async () => {
    const db = await openDatabase({ engine: "pglite", dataDir: null });
    try {
      await applyMigrations({ db, migrationsDir });
      await db.withSession((s) =>
        s.query("INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ($1, $2, $3, $4)", [
          "00000000-0000-4000-8000-000000000000",
          "0".repeat(64),
          "20990101000000_crashed",
          "boom",
        ]),
      );
      await expect(applyMigrations({ db, migrationsDir })).rejects.toThrow(
        /20990101000000_crashed failed earlier[\s\S]*prisma migrate resolve --rolled-back/,
      );
    } finally {
      await db.close();
    }
  });

  it("reports a migration file edited after it was applied", async () => {
    const db = await openDatabase({ engine: "pglite", dataDir: null });
    const dir = migrationsCopy();
    try {
      await applyMigrations({ db, migrationsDir: dir });
      const file = join(dir, names[0] as string, "migration.sql");
      writeFileSync(file, `${readFileSync(file, "utf8")}\n-- edited\n`);
      const result = await applyMigrations({ db, migrationsDir: dir });
      expect(result.modified).toEqual([names[0]]);
      // Only line endings differ: Prisma treats that as unchanged, so do we.
      writeFileSync(
        file,
        readFileSync(join(migrationsDir, names[0] as string, "migration.sql"), "utf8").replaceAll("\n", "\r\n"),
      );
      expect((await applyMigrations({ db, migrationsDir: dir })).modified).toEqual([]);
    } finally {
      await db.close();
      await rm(dir, { recursive: true });
    }
  });
});

describe("PGlite persisted in DATA_DIR", () => {
  it("keeps data across restarts and is locked against a second opener", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "ab-data-"));
    try {
      const first = await openDatabase({ engine: "pglite", dataDir });
      await applyMigrations({ db: first, migrationsDir });
      await first.prisma.person.create({ data: { displayName: "Ann" } });
      await expect(openDatabase({ engine: "pglite", dataDir })).rejects.toBeInstanceOf(DirectoryLockedError);
      await first.close();

      const again = await openDatabase({ engine: "pglite", dataDir });
      const result = await applyMigrations({ db: again, migrationsDir });
      expect(result.applied).toEqual([]);
      expect(await again.prisma.person.count({ where: { displayName: "Ann" } })).toBe(1);
      await again.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe("the verified-membership migration", () => {
  it("keeps everyone who registered before it a verified member, and starts a new person as pending", async () => {
    const verification = names.find((n) => n.endsWith("_verified_membership")) as string;
    expect(verification).toBeDefined();
    // The migrations as they were before verification existed.
    const before = migrationsCopy();
    for (const later of names.filter((n) => n >= verification)) {
      await rm(join(before, later), { recursive: true });
    }
    const db = await openDatabase({ engine: "pglite", dataDir: null });
    try {
      await applyMigrations({ db, migrationsDir: before });
      await db.withSession((s) =>
        s.exec(
          "INSERT INTO people (id, display_name, updated_at) VALUES ('00000000-0000-4000-8000-000000000001', 'Early Bird', now())",
        ),
      );
      await applyMigrations({ db, migrationsDir });
      const newcomer = await db.prisma.person.create({ data: { displayName: "Newcomer" } });
      const people = await db.prisma.person.findMany({ select: { displayName: true, membership: true } });
      expect(people.sort((a, b) => String(a.displayName).localeCompare(String(b.displayName)))).toEqual([
        { displayName: "Early Bird", membership: "verified" },
        { displayName: "Newcomer", membership: "pending" },
      ]);
      expect(newcomer.membership).toBe("pending");
    } finally {
      await db.close();
      await rm(before, { recursive: true, force: true });
    }
  });
});
