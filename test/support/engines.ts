// Tests that must behave the same on both engines: a migrated in-memory PGlite,
// or a throwaway PostgreSQL database (dropped on close).
import { type Database, openDatabase } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { migrationsDir } from "../../src/paths.js";
import { openMigratedPglite } from "./pglite.js";
import { createThrowawayDatabase } from "./postgres.js";

export const ENGINES = ["pglite", "postgres"] as const;
export type TestEngine = (typeof ENGINES)[number];

export interface EngineHandle {
  db: Database;
  /** PostgreSQL: the throwaway database's URL. */
  url?: string;
  close(): Promise<void>;
}

export async function openEngine(engine: TestEngine, options: { poolSize?: number } = {}): Promise<EngineHandle> {
  if (engine === "pglite") {
    const db = await openMigratedPglite();
    return { db, close: () => db.close() };
  }
  const pg = await createThrowawayDatabase();
  const db = await openDatabase({ engine: "postgres", url: pg.url, ...options });
  await applyMigrations({ db, migrationsDir });
  return {
    db,
    url: pg.url,
    async close() {
      await db.close();
      await pg.drop();
    },
  };
}
