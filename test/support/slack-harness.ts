// The whole bot in process (real HTTP, real Bolt, real database) with a fake
// Slack Web API, and helpers to seed what HR and community managers create.
import { type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/logger.js";
import { openEngine } from "./engines.js";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";
import { openMigratedPglite } from "./pglite.js";
import { SlackRequester } from "./slack-requests.js";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const TEAM_ID = "T0ALUMNI1";

export interface SlackHarness {
  app: RunningApp;
  db: Database;
  fake: FakeSlack;
  slack: SlackRequester;
  eventsUrl: string;
  stop(): Promise<void>;
}

export async function startSlackHarness(
  env: Record<string, string> = {},
  options: {
    /** PostgreSQL: a throwaway database, whose URL the config gets (so the Slack worker thread runs). */
    engine?: "pglite" | "postgres";
    logger?: ReturnType<typeof createLogger>;
  } = {},
): Promise<SlackHarness> {
  const fake = await startFakeSlack({ teamId: TEAM_ID });
  const engine = options.engine === "postgres" ? await openEngine("postgres") : undefined;
  const db = engine?.db ?? (await openMigratedPglite());
  const config = loadConfig({
    ...(engine?.url ? { DATABASE_URL: engine.url } : {}),
    PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DEFAULT_LOCALE: "ja",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_API_URL: fake.apiUrl,
    SLACK_ALUMNI_CHANNEL_ID: "C0ALUMNI01",
    // Joining makes a member at once here, as before verification existed: these tests are about
    // what members do. Membership tests set MEMBERSHIP_VERIFICATION=roster or approval themselves.
    MEMBERSHIP_VERIFICATION: "off",
    ...env,
  });
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  // The dispatcher stays off: these tests look at what is queued; delivery tests start it themselves.
  const app = await startApp({ config, logger, host: "127.0.0.1", database: db, background: false });
  const eventsUrl = `${app.url}/slack/events`;
  const slack = new SlackRequester({ url: eventsUrl, signingSecret: SIGNING_SECRET, teamId: TEAM_ID, fakeSlack: fake });
  return {
    app,
    db,
    fake,
    slack,
    eventsUrl,
    async stop() {
      await app.stop();
      await fake.close();
      await engine?.close();
    },
  };
}

/** Poll until `check` returns a truthy value (effects after ack() are asynchronous). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** What HR creates in Teams (issue 4), written directly here: a posting and the conversation it came from. */
export async function seedPosting(
  db: Database,
  data: {
    title: string;
    kind?: "job" | "gig";
    description?: string;
    skills?: string[];
    conversationId?: string | null;
  },
) {
  const conversationId = data.conversationId === undefined ? "19:hr-jobs@thread.tacv2" : data.conversationId;
  const origin = conversationId
    ? await db.prisma.teamsConversationRef.upsert({
        where: { conversationId },
        create: {
          conversationId,
          conversationType: "channel",
          serviceUrl: "http://127.0.0.1:9/teams/",
          reference: { conversation: { id: conversationId } },
        },
        update: {},
      })
    : null;
  return db.prisma.posting.create({
    data: {
      kind: data.kind ?? "job",
      status: "open",
      title: data.title,
      description: data.description ?? "Build the alumni platform with us.",
      skills: data.skills ?? [],
      publishedAt: new Date(),
      originConversationId: origin?.id ?? null,
    },
  });
}

export async function seedEvent(db: Database, data: { title: string; inDays?: number; capacity?: number | null }) {
  return db.prisma.event.create({
    data: {
      kind: "homecoming_day",
      title: data.title,
      startsAt: new Date(Date.now() + (data.inDays ?? 14) * 86_400_000),
      timeZone: "Asia/Tokyo",
      place: "Tokyo HQ",
      capacity: data.capacity ?? null,
    },
  });
}
