// Composition of the delivery engine: the platform senders that are configured,
// one limiter with the configured (or published) platform limits, and the dispatcher.
import type { CloudAdapter } from "botbuilder";
import type { TConfig } from "../config.js";
import type { Db } from "../core/db.js";
import type { Platform } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { Dispatcher, type DispatcherOptions } from "./dispatcher.js";
import { createPlatformLimiter } from "./rate-limiter.js";
import type { Sender } from "./sender.js";
import { createSlackDeliveryClient, SlackSender } from "./slack-sender.js";
import { TeamsSender } from "./teams-sender.js";

export function createDispatcher(options: {
  config: TConfig;
  prisma: Db;
  logger: Logger;
  teamsAdapter: CloudAdapter | null;
  owner?: string;
  metrics?: DispatcherOptions["metrics"];
}): Dispatcher {
  const { config, prisma } = options;
  const logger = options.logger.child({ component: "dispatcher" });
  const senders: Partial<Record<Platform, Sender>> = {};
  if (config.slack.botToken) {
    senders.slack = new SlackSender({
      prisma,
      client: createSlackDeliveryClient({ token: config.slack.botToken, apiUrl: config.slack.apiUrl }),
      defaultLocale: config.defaultLocale,
    });
  } else {
    logger.info("no SLACK_BOT_TOKEN: Slack messages stay queued until Slack is configured");
  }
  if (options.teamsAdapter) {
    senders.teams = new TeamsSender({
      prisma,
      adapter: options.teamsAdapter,
      appId: config.teams.appId,
      defaultLocale: config.defaultLocale,
      timeZone: config.defaultTimeZone,
    });
  }
  const d = config.delivery;
  return new Dispatcher({
    prisma,
    logger,
    senders,
    limiter: createPlatformLimiter(d),
    batchSize: d.batchSize,
    concurrency: d.concurrency,
    leaseMs: d.leaseSeconds * 1000,
    maxAttempts: d.maxAttempts,
    ...(options.owner ? { owner: options.owner } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
}
