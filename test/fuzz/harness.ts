// The whole bot in process for fuzzing (real HTTP, Bolt, CloudAdapter, PGlite) with a fake
// Slack and a fake Bot Connector, a log that keeps every warning, a world of members,
// postings and events so random requests reach deep code paths, and the measurements the
// properties need: row counts of every table (read from the catalogue), what the bot sent.
import { pino } from "pino";
import { type RunningApp, startApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { registerMember } from "../../src/core/members/register-member.js";
import type { Database } from "../../src/db/database.js";
import { slackRequestsSettled } from "../../src/platforms/slack/receiver.js";
import { type FakeConnector, startFakeConnector } from "../support/fake-connector.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { openMigratedPglite } from "../support/pglite.js";
import { catalogueTables, type RunQuery, rowCountsOf } from "../support/row-counts.js";
import { seedEvent, seedPosting } from "../support/slack-harness.js";
import { SlackRequester } from "../support/slack-requests.js";
import { TeamsRequester, type TeamsUser, teamsUser } from "../support/teams-requests.js";

export const SIGNING_SECRET = "fuzz-signing-secret-0123456789abcdef";
export const SLACK_TEAM_ID = "T0ALUMNI1";
export const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";

/**
 * Tables whose rows are bookkeeping of a request, written whatever the outcome: the dedupe
 * claim of every delivery, the conversation reference of every Teams conversation the bot
 * hears from, and the dialog state saved after every Teams turn. Every other table (and the
 * outbox) must be unchanged by a refused request.
 */
export const BOOKKEEPING_TABLES = new Set(["processed_deliveries", "teams_conversation_refs", "bot_state"]);

export interface LogEntry {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface SlackMember {
  userId: string;
  name: string;
  email: string;
  locale: "ja" | "en";
}

export interface World {
  /** Registered Slack members (re-registered by `restoreWorld` after a fuzzed erasure). */
  members: SlackMember[];
  /** Slack users who never registered. */
  strangers: string[];
  postingNumbers: number[];
  eventNumbers: number[];
  teams: { admin: TeamsUser; hr: TeamsUser; cm: TeamsUser; outsider: TeamsUser; stranger: TeamsUser };
}

export interface FuzzBot {
  app: RunningApp;
  db: Database;
  fakeSlack: FakeSlack;
  connector: FakeConnector;
  slack: SlackRequester;
  teams: TeamsRequester;
  slackUrl: string;
  teamsUrl: string;
  /** Warnings and errors logged since the last `clearLogs`. */
  logs: LogEntry[];
  world: World;
  clearLogs(): void;
  /** Wait until every Slack request taken so far is processed (work goes on after the ack). */
  settle(): Promise<void>;
  /** Row count of every table in the catalogue. */
  rowCounts(): Promise<Record<string, number>>;
  /** Re-register members a fuzzed erasure removed, so later cases still reach member paths. */
  restoreWorld(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFuzzBot(): Promise<FuzzBot> {
  const fakeSlack = await startFakeSlack({ teamId: SLACK_TEAM_ID });
  const connector = await startFakeConnector({ tenantId: TENANT_ID });
  const db = await openMigratedPglite();
  const admin = teamsUser("Fuzz Admin");
  const logs: LogEntry[] = [];
  const logger = pino(
    { level: "info", base: null },
    {
      write(line: string) {
        const entry = JSON.parse(line) as LogEntry;
        if (entry.level >= 40) logs.push(entry);
      },
    },
  );
  const config = loadConfig({
    PORT: "0",
    LOG_LEVEL: "info",
    DEFAULT_LOCALE: "ja",
    DEFAULT_TIMEZONE: "Asia/Tokyo",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: "xoxb-fuzz-token",
    SLACK_API_URL: fakeSlack.apiUrl,
    SLACK_ALUMNI_CHANNEL_ID: "C0ALUMNI01",
    ADMIN_AAD_OBJECT_IDS: admin.aadObjectId,
  });
  const app = await startApp({ config, logger, host: "127.0.0.1", database: db, background: false });
  const slackUrl = `${app.url}/slack/events`;
  const teamsUrl = `${app.url}/api/messages`;
  const slack = new SlackRequester({ url: slackUrl, signingSecret: SIGNING_SECRET, teamId: SLACK_TEAM_ID, fakeSlack });
  const teams = new TeamsRequester({ url: teamsUrl, serviceUrl: connector.url, tenantId: TENANT_ID });

  const teamsPerson = (name: string, email: string): TeamsUser => {
    const user = teamsUser(name);
    connector.addMember({ id: user.id, name, aadObjectId: user.aadObjectId, email });
    return user;
  };
  connector.addMember({ id: admin.id, name: admin.name, aadObjectId: admin.aadObjectId, email: "admin@corp.example" });
  const members: SlackMember[] = [
    { userId: "UFZMEMBER1", name: "Aiko Member", email: "aiko@alumni.example", locale: "ja" },
    { userId: "UFZMEMBER2", name: "Ben Member", email: "ben@alumni.example", locale: "en" },
    { userId: "UFZMEMBER3", name: "Chie Member", email: "chie@alumni.example", locale: "ja" },
    { userId: "UFZMEMBER4", name: "Dan Member", email: "dan@alumni.example", locale: "en" },
  ];
  for (const m of members) {
    fakeSlack.addUser({
      id: m.userId,
      real_name: m.name,
      email: m.email,
      locale: m.locale === "ja" ? "ja-JP" : "en-US",
    });
  }
  const world: World = {
    members,
    strangers: ["UFZSTRANGER1", "UFZSTRANGER2"],
    postingNumbers: [],
    eventNumbers: [],
    teams: {
      admin,
      hr: teamsPerson("Fuzz HR", "hr@corp.example"),
      cm: teamsPerson("Fuzz CM", "cm@corp.example"),
      outsider: teamsPerson("Fuzz Outsider", "outsider@corp.example"),
      // Not in the connector's roster: the bot cannot look up their email.
      stranger: teamsUser("Fuzz Stranger"),
    },
  };

  const register = async (m: SlackMember) => {
    await registerMember({
      prisma: db.prisma,
      user: { teamId: SLACK_TEAM_ID, userId: m.userId },
      input: {
        displayName: m.name,
        email: m.email,
        locale: m.locale,
        department: "Engineering",
        skills: "TypeScript, Design",
        interests: ["open_to_return"],
        directoryFields: ["display_name", "skills", "department"],
        hrFields: ["display_name", "skills"],
      },
      consent: { accepted: true, version: CONSENT_VERSION, locale: m.locale },
    });
  };
  for (const m of members) await register(m);
  for (const [title, kind] of [
    ["Staff Engineer", "job"],
    ["Design review <b>gig</b>", "gig"],
    ["Data Engineer", "job"],
  ] as const) {
    const posting = await seedPosting(db, { title, kind, skills: ["TypeScript"] });
    world.postingNumbers.push(posting.number);
  }
  for (const [title, capacity] of [
    ["Homecoming day", null],
    ["Small meetup", 1],
  ] as const) {
    const event = await seedEvent(db, { title, capacity });
    world.eventNumbers.push(event.number);
  }
  // Roles through the bot itself, as an admin would grant them.
  for (const [role, email] of [
    ["hr", "hr@corp.example"],
    ["cm", "cm@corp.example"],
  ]) {
    const res = await teams.message(admin, `grant ${role} ${email}`);
    if (res.status !== 200) throw new Error(`could not grant ${role}: ${res.status}`);
  }
  // Everyone says hello once: the bot records a person the first time it hears from them
  // (their identity, linked to a pending grant by email), whatever they asked. After that a
  // refused request must change nothing.
  for (const person of Object.values(world.teams)) await teams.message(person, "help");
  for (const userId of [...members.map((m) => m.userId), ...world.strangers]) {
    await slack.command(userId, "help");
  }
  await slackRequestsSettled();

  const query: RunQuery = (sql) => db.prisma.$queryRawUnsafe(sql);
  const tables = await catalogueTables(query);

  return {
    app,
    db,
    fakeSlack,
    connector,
    slack,
    teams,
    slackUrl,
    teamsUrl,
    logs,
    world,
    clearLogs() {
      logs.length = 0;
    },
    settle: slackRequestsSettled,
    rowCounts: () => rowCountsOf(query, tables),
    async restoreWorld() {
      const registered = await db.prisma.slackIdentity.findMany({
        where: { teamId: SLACK_TEAM_ID, userId: { in: members.map((m) => m.userId) } },
        select: { userId: true, person: { select: { profile: { select: { id: true } } } } },
      });
      const ok = new Set(registered.filter((r) => r.person?.profile).map((r) => r.userId));
      for (const m of members) if (!ok.has(m.userId)) await register(m).catch(() => undefined);
    },
    async stop() {
      await app.stop();
      await connector.close();
      await fakeSlack.close();
    },
  };
}
