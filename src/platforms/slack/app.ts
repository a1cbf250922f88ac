// The Bolt app with every listener, on a given receiver: the main thread builds
// it on the HTTP receiver, the Slack worker thread on a queue of acknowledged
// requests (worker.ts). Web API calls go to SLACK_API_URL.
import { App, type Logger as BoltLogger, LogLevel, type Receiver } from "@slack/bolt";
import type { TConfig } from "../../config.js";
import type { Db } from "../../core/db.js";
import type { Logger } from "../../logger.js";
import { ActorResolver } from "./actor.js";
import type { SlackDeps } from "./deps.js";
import { nodeFetch } from "./http-fetch.js";
import { register as registerActions } from "./listeners/actions/index.js";
import { register as registerCommands } from "./listeners/commands/index.js";
import { register as registerEvents } from "./listeners/events/index.js";
import { register as registerViews } from "./listeners/views/index.js";
import { markHandled } from "./receiver.js";

/** The registration methods whose first argument is a constraint and the rest listeners. */
const LISTENER_METHODS = new Set(["action", "command", "event", "options", "shortcut", "view"]);

/**
 * The app as listeners see it when they register: every listener goes behind markHandled, so
 * the receiver can tell a request that no listener takes (and acknowledge it at once).
 */
function markingListeners(app: App): App {
  return new Proxy(app, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      if (typeof property === "string" && LISTENER_METHODS.has(property)) {
        return (constraint: unknown, ...listeners: unknown[]) =>
          value.call(target, constraint, markHandled, ...listeners);
      }
      return value.bind(target);
    },
  });
}

/** Slash commands, block actions, view submissions, Events API callbacks. */
export type ListenerKind = "command" | "action" | "view" | "event";

/** Bolt logs through our pino logger. */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const join = (msg: unknown[]) => msg.map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
  return {
    // Bolt and the WebClient log at debug on every request: nothing is built unless debug is on.
    debug: (...msg) => {
      if (logger.isLevelEnabled("debug")) logger.debug(join(msg));
    },
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

export function createSlackApp(options: {
  config: TConfig;
  prisma: Db;
  logger: Logger;
  receiver: Receiver;
  botToken: string;
  /** Who sent each request, with its Slack profile cache (default: a new one). */
  actors?: ActorResolver;
  /**
   * Only these listeners (default: all). Bolt runs every registered listener's middleware on
   * every request, so an app that only ever gets one kind of request (the worker thread's) has
   * only that kind's listeners.
   */
  kinds?: readonly ListenerKind[];
}): App {
  const { config, prisma, logger, receiver } = options;
  const app = new App({
    token: options.botToken,
    receiver,
    logger: boltLogger(logger),
    // node:http(s) with keep-alive instead of undici's fetch: the same requests for less CPU.
    clientOptions: { slackApiUrl: config.slack.apiUrl, fetch: nodeFetch as typeof fetch },
    // Bolt's in-memory conversation store is unused here and costs work on every request.
    convoStore: false,
  });
  const deps: SlackDeps = {
    prisma,
    logger,
    defaultLocale: config.defaultLocale,
    defaultTimeZone: config.defaultTimeZone,
    membership: config.membership,
    actors: options.actors ?? new ActorResolver({ prisma, defaultLocale: config.defaultLocale, logger }),
  };
  const listening = markingListeners(app);
  const kinds = new Set<ListenerKind>(options.kinds ?? ["command", "action", "view", "event"]);
  if (kinds.has("command")) registerCommands(listening, deps);
  if (kinds.has("action")) registerActions(listening, deps);
  if (kinds.has("view")) registerViews(listening, deps);
  if (kinds.has("event")) registerEvents(listening, deps);
  app.error(async (error) => {
    logger.error({ err: error }, "unhandled error in a Slack listener");
  });
  return app;
}
