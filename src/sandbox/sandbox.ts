// Sandbox mode (`npm start` without Slack or Teams credentials, or SANDBOX=true):
// the whole bot runs against in-process fakes of the Slack Web API and the Bot
// Connector, and the playground page at / lets a person act as alumni in Slack
// and as HR or a community manager in Teams. Every action on the page becomes a
// request shaped and signed exactly like Slack's or Teams' own, sent over HTTP
// to the bot's real /slack/events and /api/messages, so the real code runs.
import { randomBytes } from "node:crypto";
import { type RunningApp, startApp } from "../app.js";
import type { TConfig } from "../config.js";
import { grantRole } from "../core/roles/grant-role.js";
import { resolveTeamsPerson } from "../core/roles/resolve-teams-person.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../logger.js";
import { type FakeConnector, startFakeConnector } from "./fake-connector.js";
import { type FakeFileHost, startFakeFileHost } from "./fake-file-host.js";
import { type FakeSlack, startFakeSlack } from "./fake-slack.js";
import {
  SANDBOX_BOT_NAME,
  SANDBOX_CHANNEL_ID,
  SANDBOX_TEAM_ID,
  SANDBOX_TENANT_ID,
  type SandboxTeamsPersona,
  SLACK_PERSONAS,
  TEAMS_PERSONAS,
} from "./personas.js";
import { mountPlayground } from "./playground.js";
import { SlackRequester } from "./slack-requests.js";
import { TeamsRequester } from "./teams-requests.js";

export interface RunningSandbox {
  app: RunningApp;
  /** The playground page. */
  url: string;
  fakeSlack: FakeSlack;
  connector: FakeConnector;
  /** Where files the Teams personas send the bot are served from (Teams' SharePoint/OneDrive). */
  fileHost: FakeFileHost;
  stop(): Promise<void>;
}

/** The configuration the bot runs with in the sandbox: the fakes' endpoints and throwaway secrets. */
export function sandboxConfig(config: TConfig, fakeSlack: FakeSlack, fileHost: FakeFileHost): TConfig {
  const hr = TEAMS_PERSONAS.find((p) => p.role === "admin") as SandboxTeamsPersona;
  return {
    ...config,
    slack: {
      ...config.slack,
      signingSecret: randomBytes(24).toString("hex"),
      botToken: "xoxb-sandbox-not-a-real-token",
      apiUrl: fakeSlack.apiUrl,
      alumniChannelId: config.slack.alumniChannelId ?? SANDBOX_CHANNEL_ID,
    },
    // No app id: /api/messages accepts the playground's unauthenticated activities.
    teams: { ...config.teams, appId: undefined, appPassword: undefined, tenantId: undefined },
    adminAadObjectIds: [...new Set([...config.adminAadObjectIds, hr.user.aadObjectId])],
    // Files the personas send are served by the local file host, and by nothing else.
    roster: { ...config.roster, fileHosts: [fileHost.host] },
  };
}

export async function startSandbox(options: {
  config: TConfig;
  logger: Logger;
  /** Default 127.0.0.1: the playground acts as anyone, so it stays on this machine. */
  host?: string;
  database?: Database;
  /** Keep what the playground shows in this file, so a restart shows the same conversations. */
  stateFile?: string;
}): Promise<RunningSandbox> {
  const logger = options.logger.child({ component: "sandbox" });
  if (options.config.slack.botToken || options.config.teams.appId) {
    logger.warn("SANDBOX=true: the Slack and Teams credentials in the environment are not used");
  }
  // Ids start at this moment: messages of an earlier run (still in the database) are never reused.
  const fakeSlack = await startFakeSlack({ teamId: SANDBOX_TEAM_ID, tsStartMs: Date.now() });
  const connector = await startFakeConnector({ tenantId: SANDBOX_TENANT_ID, idStartMs: Date.now() });
  const fileHost = await startFakeFileHost();
  const config = sandboxConfig(options.config, fakeSlack, fileHost);
  for (const persona of SLACK_PERSONAS) {
    fakeSlack.addUser({
      id: persona.id,
      name: persona.email.split("@")[0],
      real_name: persona.name,
      email: persona.email,
      locale: persona.locale === "ja" ? "ja-JP" : "en-US",
      tz: "Asia/Tokyo",
    });
  }
  for (const persona of TEAMS_PERSONAS) {
    connector.addMember({
      id: persona.user.id,
      name: persona.user.name,
      aadObjectId: persona.user.aadObjectId,
      email: persona.email,
    });
  }
  let app: RunningApp | undefined;
  let playground: ReturnType<typeof mountPlayground> | undefined;
  try {
    app = await startApp({
      config,
      logger: options.logger,
      host: options.host ?? "127.0.0.1",
      ...(options.database ? { database: options.database } : {}),
    });
    const slack = new SlackRequester({
      url: `${app.url}/slack/events`,
      signingSecret: config.slack.signingSecret as string,
      teamId: SANDBOX_TEAM_ID,
      fakeSlack,
    });
    const teams = new TeamsRequester({
      url: `${app.url}/api/messages`,
      serviceUrl: connector.url,
      tenantId: SANDBOX_TENANT_ID,
      botName: SANDBOX_BOT_NAME,
    });
    await grantSandboxRoles(app, config);
    playground = mountPlayground({
      app,
      config,
      logger,
      fakeSlack,
      connector,
      fileHost,
      slack,
      teams,
      ...(options.stateFile ? { stateFile: options.stateFile } : {}),
    });
    await playground.start();
  } catch (err) {
    await app?.stop().catch(() => undefined);
    await fakeSlack.close().catch(() => undefined);
    await connector.close().catch(() => undefined);
    await fileHost.close().catch(() => undefined);
    throw err;
  }
  const running = app;
  let stopping: Promise<void> | undefined;
  return {
    app: running,
    url: `${running.url}/`,
    fakeSlack,
    connector,
    fileHost,
    stop() {
      stopping ??= (async () => {
        await playground?.stop();
        await running.stop();
        await connector.close();
        await fileHost.close();
        await fakeSlack.close();
      })();
      return stopping;
    },
  };
}

/** The HR admin is an admin by configuration; the community manager gets the cm role from them. */
async function grantSandboxRoles(app: RunningApp, config: TConfig): Promise<void> {
  const admin = TEAMS_PERSONAS.find((p) => p.role === "admin") as SandboxTeamsPersona;
  const prisma = app.db.prisma;
  const { personId } = await resolveTeamsPerson({
    prisma,
    tenantId: SANDBOX_TENANT_ID,
    aadObjectId: admin.user.aadObjectId,
    teamsUserId: admin.user.id,
    name: admin.user.name,
    email: admin.email,
    adminAadObjectIds: config.adminAadObjectIds,
  });
  for (const persona of TEAMS_PERSONAS.filter((p) => p.role === "cm")) {
    await grantRole({ prisma, actorId: personId, role: "cm", target: { email: persona.email } });
  }
}
