// The Slack side: a Bolt app on our shared HTTP server at POST /slack/events.
// Web API calls go to SLACK_API_URL (a local fake in tests and the sandbox).
// With PostgreSQL, acknowledged commands, clicks and events are processed on a
// worker thread (worker.ts), so the main thread only verifies and acks.
import type { App } from "@slack/bolt";
import type { TConfig } from "../../config.js";
import type { Db } from "../../core/db.js";
import type { HttpServer } from "../../http/server.js";
import type { Logger } from "../../logger.js";
import { ActorResolver } from "./actor.js";
import { boltLogger, createSlackApp } from "./app.js";
import { SharedServerReceiver } from "./receiver.js";
import { SlackWorker } from "./worker-host.js";

export const SLACK_EVENTS_PATH = "/slack/events";

export interface SlackPlatform {
  app: App;
  receiver: SharedServerReceiver;
  /** Stop the worker thread (requests in flight there finish). */
  stop(): Promise<void>;
  /** For /healthz: where acknowledged requests are processed now. */
  workerThread(): "off" | "starting" | "ready" | "down";
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
  let worker: SlackWorker | undefined;
  // An erasure in either thread clears the user's cached Slack profile in both.
  const actors = new ActorResolver({
    prisma,
    defaultLocale: config.defaultLocale,
    logger,
    onForget: (teamId, userId) => worker?.forget(teamId, userId),
  });
  const starting = config.slack.workerThread
    ? SlackWorker.start(config, logger, {
        onForget: (teamId, userId) => actors.forget(teamId, userId, { tellOthers: false }),
      }).then((w) => {
        worker = w;
        return w;
      })
    : undefined;
  const receiver = new SharedServerReceiver({
    signingSecret,
    logger: boltLogger(logger),
    prisma,
    // Until the worker is ready (or if it cannot run), requests are processed here.
    offload: (request) => worker?.post(request) ?? false,
    actors,
  });
  const app = createSlackApp({ config, prisma, logger, receiver, botToken, actors });
  http.route("POST", SLACK_EVENTS_PATH, receiver.handle);
  logger.info({ path: SLACK_EVENTS_PATH, apiUrl, workerThread: config.slack.workerThread }, "Slack is on");
  return {
    app,
    receiver,
    async stop() {
      await (await starting)?.stop();
    },
    workerThread: () => (!starting ? "off" : !worker ? "starting" : worker.state),
  };
}
