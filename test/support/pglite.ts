// A fresh in-memory PGlite database with every migration applied, per test file,
// started from the snapshot test/global-setup.ts made with the real migrator.
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import { type Database, openDatabase } from "../../src/db/database.js";

let template: Blob | undefined;

export async function openMigratedPglite(): Promise<Database> {
  template ??= new Blob([readFileSync(inject("pgliteTemplate"))]);
  return openDatabase({ engine: "pglite", dataDir: null, loadDataDir: template });
}
