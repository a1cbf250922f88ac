// `npm run db:check` / `npm run db:new` against temporary copies of the schema
// and migrations, and the new migration applied by the app's own migrator.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { migrationsDir, projectRoot } from "../../src/paths.js";

const work = mkdtempSync(join(tmpdir(), "ab-dbtool-"));
const schemaPath = join(work, "schema.prisma");
const migrations = join(work, "migrations");
cpSync(join(projectRoot, "prisma", "schema.prisma"), schemaPath);
cpSync(migrationsDir, migrations, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [join(projectRoot, "prisma", "scripts", "db-migrations.mjs"), ...args], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // The first run may install prisma/tool from the registry, through this machine's CA bundle.
      ...(process.env.NODE_EXTRA_CA_CERTS ? { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS } : {}),
      ...(process.env.SSL_CERT_FILE ? { SSL_CERT_FILE: process.env.SSL_CERT_FILE } : {}),
      DB_SCHEMA_PATH: schemaPath,
      DB_MIGRATIONS_DIR: migrations,
    },
    encoding: "utf8",
    timeout: 240_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("offline migration tooling", () => {
  it("check passes on the committed schema and migrations", () => {
    const { status, output } = run("check");
    expect(output).toContain("Migrations are in sync with schema.prisma.");
    expect(status).toBe(0);
  }, 240_000); // spawns the Prisma tool several times; slow on a busy machine

  it("check fails on a schema change no migration holds; new writes it; the app applies it", async () => {
    writeFileSync(
      schemaPath,
      readFileSync(schemaPath, "utf8").replace(
        "  bio             String?",
        "  bio             String?\n  nickname        String?",
      ),
    );
    const failing = run("check");
    expect(failing.status).toBe(1);
    expect(failing.output).toContain('ALTER TABLE "profiles" ADD COLUMN     "nickname" TEXT;');

    const created = run("new", "add_nickname");
    expect(created.status).toBe(0);
    const folder = readdirSync(migrations).find((name) => name.endsWith("_add_nickname"));
    expect(folder).toMatch(/^\d{14}_add_nickname$/);
    // Now in sync: a further `new` finds nothing to write.
    expect(run("new", "again").output).toContain("No schema changes; no migration created.");

    const db = await openDatabase({ engine: "pglite", dataDir: null });
    try {
      const result = await applyMigrations({ db, migrationsDir: migrations });
      expect(result.applied.at(-1)).toBe(folder);
      const columns = await db.withSession((s) =>
        s.query("SELECT 1 FROM information_schema.columns WHERE table_name = 'profiles' AND column_name = 'nickname'"),
      );
      expect(columns).toHaveLength(1);
    } finally {
      await db.close();
    }
  }, 240_000); // spawns the Prisma tool several times; slow on a busy machine

  it("new refuses a name that is not a folder-safe identifier", () => {
    const { status, output } = run("new", "drop table;");
    expect(status).not.toBe(0);
    expect(output).toMatch(/name/i);
  });
});
