// `npm run db:migrate`: apply pending migrations to the configured database and
// exit, without starting the bot (for release steps and operators).
import { ConfigError, loadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import { migrationsDir } from "../paths.js";
import { databaseOptionsFromConfig, openDatabase } from "./database.js";
import { applyMigrations } from "./migrate.js";

async function run(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const logger = createLogger({ level: config.logLevel, name: "db:migrate" });
  const db = await openDatabase({ ...databaseOptionsFromConfig(config), logger });
  try {
    const result = await applyMigrations({ db, migrationsDir, logger });
    logger.info(
      {
        engine: db.engine,
        location: db.location,
        applied: result.applied,
        alreadyApplied: result.alreadyApplied.length,
      },
      result.applied.length > 0 ? "migrations applied" : "database is up to date",
    );
    return 0;
  } catch (err) {
    logger.fatal({ err }, "migration failed");
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await run();
