// `npm run seed:demo`: add the demo data (src/sandbox/demo-data.ts) to the
// configured database — DATABASE_URL, or the embedded one in DATA_DIR — after
// applying any pending migration. Stop the bot first when it uses the embedded
// database (it holds the data directory). Running it twice adds nothing.
import { ConfigError, loadConfig } from "../config.js";
import { databaseOptionsFromConfig, openDatabase } from "../db/database.js";
import { applyMigrations } from "../db/migrate.js";
import { createLogger } from "../logger.js";
import { migrationsDir } from "../paths.js";
import { seedDemo } from "./demo-data.js";

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`seed:demo: ${err.message}\n`);
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel, name: "seed-demo" });
const db = await openDatabase({ ...databaseOptionsFromConfig(config), logger });
try {
  await applyMigrations({ db, migrationsDir, logger });
  const summary = await seedDemo({ prisma: db.prisma, alumniChannelId: config.slack.alumniChannelId ?? null });
  logger.info(
    { ...summary, database: db.location },
    summary.created ? "demo data added" : "demo data was already there; nothing added",
  );
} finally {
  await db.close();
}
