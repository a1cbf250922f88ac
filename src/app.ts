// Composition root as a function, so tests can start the whole bot in process:
// config → db (+ migrations) → core → platforms → delivery → http.
import type { TConfig } from "./config.js";
import { type Database, databaseOptionsFromConfig, openDatabase } from "./db/database.js";
import { applyMigrations } from "./db/migrate.js";
import type { Dispatcher } from "./delivery/dispatcher.js";
import { createDispatcher } from "./delivery/start-delivery.js";
import { createMetrics, type Metrics, readOutboxSnapshot } from "./http/metrics.js";
import { createHttpServer, type HttpServer } from "./http/server.js";
import type { Logger } from "./logger.js";
import { migrationsDir } from "./paths.js";
import { mountSlack } from "./platforms/slack/index.js";
import { mountTeams } from "./platforms/teams/index.js";
import { type Scheduler, startScheduler } from "./scheduler/scheduler.js";

export interface RunningApp {
  readonly url: string;
  readonly port: number;
  readonly db: Database;
  readonly http: HttpServer;
  readonly dispatcher: Dispatcher;
  /** This instance's Prometheus registry and recorders (served at GET /metrics). */
  readonly metrics: Metrics;
  /** The scheduler, when this instance runs the background work. */
  readonly scheduler: Scheduler | undefined;
  /** The configuration this instance runs with. */
  readonly config: TConfig;
  /** Graceful stop: stop accepting, finish in-flight work, close the database. */
  stop(): Promise<void>;
}

export async function startApp(options: {
  config: TConfig;
  logger: Logger;
  host?: string;
  /** An already-open database (tests); it is migrated and closed like our own. */
  database?: Database;
  /** Run the dispatcher and the scheduler in this process (default true). */
  background?: boolean;
}): Promise<RunningApp> {
  const { config, logger } = options;
  const db = options.database ?? (await openDatabase({ ...databaseOptionsFromConfig(config), logger }));
  let http: HttpServer | undefined;
  let slack: ReturnType<typeof mountSlack> = null;
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

    let dispatcher: Dispatcher | undefined;
    // One registry per app instance: tests run several apps in one process.
    const metrics = createMetrics({ outbox: () => readOutboxSnapshot(db.prisma) });
    http = createHttpServer({
      logger,
      metrics,
      healthCheck: async () => {
        await db.ping();
        return {
          db: "up",
          engine: db.engine,
          ...(slack ? { slack: { workerThread: slack.workerThread() } } : {}),
          ...(dispatcher ? { dispatcher: await dispatcher.status() } : {}),
        };
      },
    });
    // Unauthenticated: operators keep it off the public internet (see README).
    http.route("GET", "/metrics", async (_req, res) => {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
      res.end(body);
    });
    slack = mountSlack({ config, prisma: db.prisma, logger, http });
    const slackPlatform = slack;
    const teams = mountTeams({ config, prisma: db.prisma, logger, http });
    dispatcher = createDispatcher({
      config,
      prisma: db.prisma,
      logger,
      teamsAdapter: teams.adapter,
      metrics: { onOutcome: (platform, outcome) => metrics.delivery(platform, outcome) },
    });
    const background = options.background ?? true;

    const { port, url } = await http.listen(config.port, options.host);
    const server = http;
    const engine = dispatcher;
    if (background) engine.start();
    // Reminders, surveys and the digest; each tick writes outbox rows the dispatcher sends.
    const scheduler = background ? startScheduler({ prisma: db.prisma, config, logger }) : undefined;
    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      db,
      http: server,
      dispatcher: engine,
      metrics,
      scheduler,
      config,
      stop() {
        stopping ??= (async () => {
          await server.close();
          await slackPlatform?.stop();
          await teams.stop();
          // Stop planning and claiming; work in flight finishes before the database closes.
          await scheduler?.stop();
          await engine.stop();
          await db.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await http?.close(0).catch(() => undefined);
    await slack?.stop().catch(() => undefined);
    await db.close().catch(() => undefined);
    throw err;
  }
}
