// A dispatcher replica in its own process, for the multi-replica tests: the
// real config, database and senders, no HTTP. Prints "ready" once running;
// SIGTERM stops it gracefully (in-flight sends finish).
import { loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/database.js";
import { createDispatcher } from "../../src/delivery/start-delivery.js";
import { createLogger } from "../../src/logger.js";

const config = loadConfig(process.env);
const logger = createLogger({ level: config.logLevel, name: process.env.REPLICA_NAME ?? "replica" });
if (!config.databaseUrl) throw new Error("DATABASE_URL is required");
const db = await openDatabase({ engine: "postgres", url: config.databaseUrl });
const dispatcher = createDispatcher({
  config,
  prisma: db.prisma,
  logger,
  teamsAdapter: null,
  owner: process.env.REPLICA_NAME ?? `replica-${process.pid}`,
});
dispatcher.start();
process.stdout.write("ready\n");
process.on("SIGTERM", () => {
  void (async () => {
    await dispatcher.stop();
    await db.close();
    process.exit(0);
  })();
});
