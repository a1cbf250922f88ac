// A fresh in-memory PGlite database with every migration applied, per test file.
import { type Database, openDatabase } from "../../src/db/database.js";
import { applyMigrations } from "../../src/db/migrate.js";
import { migrationsDir } from "../../src/paths.js";

export async function openMigratedPglite(): Promise<Database> {
  const db = await openDatabase({ engine: "pglite", dataDir: null });
  await applyMigrations({ db, migrationsDir });
  return db;
}
