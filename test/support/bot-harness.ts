// The whole bot with both platforms, in process: real HTTP, Bolt, CloudAdapter
// and database, with a fake Slack Web API and a fake Bot Connector.
import { randomUUID } from "node:crypto";
import { type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/logger.js";
import { type FakeConnector, startFakeConnector } from "./fake-connector.js";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";
import { openMigratedPglite } from "./pglite.js";
import { SlackRequester } from "./slack-requests.js";
import { TeamsRequester, type TeamsUser, teamsUser } from "./teams-requests.js";

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const SLACK_TEAM_ID = "T0ALUMNI1";
export const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const ALUMNI_CHANNEL = "C0ALUMNI01";

export interface BotHarness {
  app: RunningApp;
  db: Database;
  fakeSlack: FakeSlack;
  connector: FakeConnector;
  slack: SlackRequester;
  teams: TeamsRequester;
  /** A Teams user known to the fake connector (so member lookups find their email). */
  teamsPerson(name: string, email?: string): TeamsUser;
  stop(): Promise<void>;
}

export async function startBotHarness(
  options: { env?: Record<string, string>; admins?: TeamsUser[]; background?: boolean } = {},
) {
  const fakeSlack = await startFakeSlack({ teamId: SLACK_TEAM_ID });
  const connector = await startFakeConnector({ tenantId: TENANT_ID });
  const db = await openMigratedPglite();
  const config = loadConfig({
    PORT: "0",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    DEFAULT_LOCALE: "ja",
    DEFAULT_TIMEZONE: "Asia/Tokyo",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_API_URL: fakeSlack.apiUrl,
    SLACK_ALUMNI_CHANNEL_ID: ALUMNI_CHANNEL,
    ADMIN_AAD_OBJECT_IDS: (options.admins ?? []).map((a) => a.aadObjectId).join(","),
    // Joining makes a member at once here, as before verification existed: these tests are about
    // what members do. Membership tests set MEMBERSHIP_VERIFICATION=roster or approval themselves.
    MEMBERSHIP_VERIFICATION: "off",
    ...options.env,
  });
  const app = await startApp({
    config,
    logger: createLogger({ level: config.logLevel }),
    host: "127.0.0.1",
    database: db,
    // Off unless asked: most tests look at what is queued; delivery tests start it.
    background: options.background ?? false,
  });
  const harness: BotHarness = {
    app,
    db,
    fakeSlack,
    connector,
    slack: new SlackRequester({
      url: `${app.url}/slack/events`,
      signingSecret: SIGNING_SECRET,
      teamId: SLACK_TEAM_ID,
      fakeSlack,
    }),
    teams: new TeamsRequester({ url: `${app.url}/api/messages`, serviceUrl: connector.url, tenantId: TENANT_ID }),
    teamsPerson(name, email) {
      const user = teamsUser(name);
      connector.addMember({
        id: user.id,
        name,
        aadObjectId: user.aadObjectId,
        email: email ?? `${name.toLowerCase().replaceAll(/\W+/g, ".")}.${randomUUID().slice(0, 4)}@corp.example`,
      });
      return user;
    },
    async stop() {
      await app.stop();
      await connector.close();
      await fakeSlack.close();
    },
  };
  for (const admin of options.admins ?? []) {
    connector.addMember({
      id: admin.id,
      name: admin.name,
      aadObjectId: admin.aadObjectId,
      email: "admin@corp.example",
    });
  }
  return harness;
}
