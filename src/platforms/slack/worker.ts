// The Slack worker thread: runs the listeners of requests the main thread has
// already acknowledged (commands, clicks, Events API callbacks), with its own
// database pool and Bolt app, so that their work never delays the next ack on
// the main thread. Started by SlackWorker (worker-host.ts); PostgreSQL only.
import { parentPort, workerData } from "node:worker_threads";
import type { Receiver } from "@slack/bolt";
import type { TConfig } from "../../config.js";
import { openDatabase } from "../../db/database.js";
import { createLogger } from "../../logger.js";
import { ActorResolver } from "./actor.js";
import { boltLogger, createSlackApp, type ListenerKind } from "./app.js";
import { type OffloadedRequest, processAcknowledged } from "./receiver.js";
import type { FromWorker, ToWorker } from "./worker-host.js";

const port = parentPort;
if (!port) throw new Error("src/platforms/slack/worker.ts runs as a worker thread");
const { config, logLevel } = workerData as { config: TConfig; logLevel: string };
const logger = createLogger({ level: logLevel, name: "slack-worker" }).child({ platform: "slack" });
const send = (message: FromWorker) => port.postMessage(message);

/** Requests arrive by message, already acknowledged; nothing here listens on HTTP. */
class QueueReceiver implements Receiver {
  init(): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

try {
  if (!config.databaseUrl || !config.slack.botToken) throw new Error("the Slack worker needs PostgreSQL and Slack");
  const db = await openDatabase({ engine: "postgres", url: config.databaseUrl, logger });
  const actors = new ActorResolver({
    prisma: db.prisma,
    defaultLocale: config.defaultLocale,
    logger,
    onForget: (teamId, userId) => send({ type: "forget", teamId, userId }),
  });
  // One Bolt app per kind of request the thread gets (acksAtOnce): Bolt runs the middleware of
  // every listener an app has on every request, so each app has only its kind's listeners.
  const appFor = (kind: ListenerKind) =>
    createSlackApp({
      config,
      prisma: db.prisma,
      logger,
      receiver: new QueueReceiver(),
      botToken: config.slack.botToken as string,
      actors,
      kinds: [kind],
    });
  const commands = appFor("command");
  const actions = appFor("action");
  const events = appFor("event");
  const route = (body: Record<string, unknown>) =>
    typeof body.command === "string" ? commands : body.type === "block_actions" ? actions : events;
  const deps = { prisma: db.prisma, logger: boltLogger(logger), actors };
  let inFlight = 0;
  let stopping = false;
  const finishIfIdle = async () => {
    if (!stopping || inFlight > 0) return;
    await db.close();
    send({ type: "stopped" });
    port.close();
  };
  port.on("message", (message: ToWorker) => {
    if (message.type === "request") {
      inFlight++;
      const request = message.request as OffloadedRequest;
      void processAcknowledged(route(request.body), deps, request).finally(() => {
        inFlight--;
        void finishIfIdle();
      });
    } else if (message.type === "forget") {
      actors.forget(message.teamId, message.userId, { tellOthers: false });
    } else if (message.type === "stop") {
      stopping = true;
      void finishIfIdle();
    }
  });
  send({ type: "ready" });
} catch (err) {
  logger.error({ err }, "the Slack worker could not start");
  send({ type: "failed", message: (err as Error)?.message ?? String(err) });
  port.close();
}
