// Composition root as a function, so tests can start the whole bot in process:
// config → db (+ migrations) → core → platforms → delivery → http.
import type { TConfig } from "./config.js";
import { type Database, databaseOptionsFromConfig, openDatabase } from "./db/database.js";
import { applyMigrations } from "./db/migrate.js";
import { createHttpServer, type HttpServer } from "./http/server.js";
import type { Logger } from "./logger.js";
import { migrationsDir } from "./paths.js";
import { mountSlack } from "./platforms/slack/index.js";
import { mountTeams } from "./platforms/teams/index.js";

export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  readonly http: HttpServer;
  /** Graceful stop: stop accepting, finish in-flight work, close the database. */
  stop(): Promise<void>;
}

export async function startApp(options: {
  config: TConfig;
  logger: Logger;
  host?: string;
  /** An already-open database (tests); it is migrated and closed like our own. */
  database?: Database;
}): Promise<RunningApp> {
  const { config, logger } = options;
  const db = options.database ?? (await openDatabase({ ...databaseOptionsFromConfig(config), logger }));
  let http: HttpServer | undefined;
  try {
    const migrations = await applyMigrations({ db, migrationsDir, logger });
    logger.info(
      {
        engine: db.engine,
        location: db.location,
        applied: migrations.applied.length,
        alreadyApplied: migrations.alreadyApplied.length,
      },
      "database ready",
    );

    http = createHttpServer({
      logger,
      healthCheck: async () => {
        await db.ping();
        return { db: "up", engine: db.engine };
      },
    });
    mountSlack({ config, prisma: db.prisma, logger, http });
    mountTeams({ config, prisma: db.prisma, logger, http });

    const { port, url } = await http.listen(config.port, options.host);
    const server = http;
    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      db,
      http: server,
      stop() {
        stopping ??= (async () => {
          await server.close();
          await db.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await http?.close(0).catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
}
