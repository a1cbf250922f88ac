// The Slack side: a Bolt app on our shared HTTP server at POST /slack/events.
// Web API calls go to SLACK_API_URL (a local fake in tests and the sandbox).
import { App, type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { TConfig } from "../../config.js";
import type { Db } from "../../core/db.js";
import type { HttpServer } from "../../http/server.js";
import type { Logger } from "../../logger.js";
import { ActorResolver } from "./actor.js";
import type { SlackDeps } from "./deps.js";
import { register as registerActions } from "./listeners/actions/index.js";
import { register as registerCommands } from "./listeners/commands/index.js";
import { register as registerEvents } from "./listeners/events/index.js";
import { register as registerViews } from "./listeners/views/index.js";
import { SharedServerReceiver } from "./receiver.js";

export const SLACK_EVENTS_PATH = "/slack/events";

/** Bolt logs through our pino logger. */
function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  return {
    debug: (...msg) => logger.debug(join(msg)),
    info: (...msg) => logger.info(join(msg)),
    warn: (...msg) => logger.warn(join(msg)),
    error: (...msg) => logger.error(join(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

export interface SlackPlatform {
  app: App;
  receiver: SharedServerReceiver;
}

export function mountSlack(options: {
  config: TConfig;
  prisma: Db;
  logger: Logger;
  http: HttpServer;
}): SlackPlatform | null {
  const { config, prisma, http } = options;
  const logger = options.logger.child({ platform: "slack" });
  const { signingSecret, botToken, apiUrl } = config.slack;
  if (!signingSecret || !botToken) {
    logger.info("Slack is off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to serve /slack/events");
    return null;
  }
  const receiver = new SharedServerReceiver({ signingSecret, logger: boltLogger(logger), prisma });
  const app = new App({
    token: botToken,
    receiver,
    logger: boltLogger(logger),
    clientOptions: { slackApiUrl: apiUrl },
    // Bolt's in-memory conversation store is unused here and costs work on every request.
    convoStore: false,
  });
  const deps: SlackDeps = {
    prisma,
    logger,
    defaultLocale: config.defaultLocale,
    defaultTimeZone: config.defaultTimeZone,
    actors: new ActorResolver({ prisma, defaultLocale: config.defaultLocale, logger }),
  };
  registerCommands(app, deps);
  registerActions(app, deps);
  registerViews(app, deps);
  registerEvents(app, deps);
  app.error(async (error) => {
    logger.error({ err: error }, "unhandled error in a Slack listener");
  });
  http.route("POST", SLACK_EVENTS_PATH, receiver.handle);
  logger.info({ path: SLACK_EVENTS_PATH, apiUrl }, "Slack is on");
  return { app, receiver };
}
