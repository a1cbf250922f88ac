// Applies prisma/migrations/*/migration.sql at start, on PostgreSQL and PGlite
// alike, because Prisma's schema engine cannot be downloaded everywhere we run.
// It keeps `_prisma_migrations` exactly as `prisma migrate deploy` does (same
// table, same sha256 checksum, same advisory lock), so that Prisma's own CLI,
// where it is available, agrees with us about what has been applied.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import type { Database, SqlSession } from "./database.js";

/** The advisory lock key `prisma migrate` takes; sharing it serialises us with it. */
export const PRISMA_MIGRATE_LOCK_KEY = 72707369;

/** Prisma's own DDL for the history table (schema-engine, PostgreSQL flavour). */
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
  /** Applied migrations whose file changed since (Prisma warns about these too). */
  modified: string[];
  /** Rows in the database with no folder here (database newer than this code). */
  unknown: string[];
}

export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/** sha256 of the script, hex, as Prisma stores it. */
export function migrationChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/** Prisma accepts a checksum computed with either line-ending convention. */
function checksumMatches(script: string, checksum: string): boolean {
  return [script, script.replaceAll("\r\n", "\n"), script.replaceAll(/\r?\n/g, "\r\n")].some(
    (variant) => migrationChecksum(variant) === checksum,
  );
}

/** Migration folders in name order (Prisma's timestamps sort chronologically). */
export async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of names) {
    let sql: string;
    try {
      sql = await readFile(join(dir, name, "migration.sql"), "utf8");
    } catch (err) {
      throw new MigrationError(`migration folder ${name} has no readable migration.sql`, { cause: err });
    }
    files.push({ name, sql, checksum: migrationChecksum(sql) });
  }
  return files;
}

interface HistoryRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
  logs: string | null;
}

async function takeAdvisoryLock(session: SqlSession, timeoutMs: number, logger?: Logger): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let warned = false;
  for (;;) {
    const [row] = await session.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
      PRISMA_MIGRATE_LOCK_KEY,
    ]);
    if (row?.locked) return;
    if (Date.now() > deadline) {
      throw new MigrationError(
        `timed out after ${timeoutMs} ms waiting for the migration lock (advisory lock ${PRISMA_MIGRATE_LOCK_KEY}); ` +
          "another process is migrating this database or holds the lock",
      );
    }
    if (!warned) {
      logger?.info("another process is applying migrations; waiting for it");
      warned = true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function applyMigrations(options: {
  db: Database;
  migrationsDir: string;
  logger?: Logger;
  lockTimeoutMs?: number;
}): Promise<MigrationResult> {
  const { db, logger } = options;
  const files = await readMigrations(options.migrationsDir);

  return db.withSession(async (session) => {
    await takeAdvisoryLock(session, options.lockTimeoutMs ?? 300_000, logger);
    try {
      await session.exec(CREATE_MIGRATIONS_TABLE);
      const rows = await session.query<HistoryRow>(
        "SELECT migration_name, checksum, finished_at, rolled_back_at, logs FROM _prisma_migrations ORDER BY started_at",
      );

      const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed) {
        throw new MigrationError(
          `migration ${failed.migration_name} failed earlier and was left unfinished${failed.logs ? `:\n${failed.logs}` : ""}\n` +
            "Repair the database by hand, then mark it with `prisma migrate resolve --rolled-back " +
            `${failed.migration_name}\` (or delete its row in _prisma_migrations) and start again.`,
        );
      }

      const done = new Map<string, HistoryRow>();
      for (const row of rows)
        if (row.finished_at !== null && row.rolled_back_at === null) done.set(row.migration_name, row);

      const result: MigrationResult = { applied: [], alreadyApplied: [], modified: [], unknown: [] };
      const local = new Set(files.map((f) => f.name));
      result.unknown = [...done.keys()].filter((name) => !local.has(name));
      if (result.unknown.length > 0) {
        logger?.warn(
          { migrations: result.unknown },
          "the database has migrations this version does not know; is an older version running against a newer database?",
        );
      }

      for (const file of files) {
        const row = done.get(file.name);
        if (row) {
          result.alreadyApplied.push(file.name);
          if (!checksumMatches(file.sql, row.checksum)) {
            result.modified.push(file.name);
            logger?.warn({ migration: file.name }, "migration was modified after it was applied");
          }
          continue;
        }
        const started = Date.now();
        try {
          // One transaction per migration: a crash or an error leaves nothing half-applied,
          // and the history row appears in the same commit as the schema change.
          await session.transaction(async (tx) => {
            const id = randomUUID();
            await tx.query(
              "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)",
              [id, file.checksum, file.name],
            );
            await tx.exec(file.sql);
            await tx.query(
              "UPDATE _prisma_migrations SET finished_at = now(), applied_steps_count = applied_steps_count + 1 WHERE id = $1",
              [id],
            );
          });
        } catch (err) {
          throw new MigrationError(`migration ${file.name} failed and was rolled back: ${(err as Error).message}`, {
            cause: err,
          });
        }
        result.applied.push(file.name);
        logger?.info({ migration: file.name, ms: Date.now() - started }, "applied migration");
      }
      return result;
    } finally {
      await session.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
    }
  });
}
