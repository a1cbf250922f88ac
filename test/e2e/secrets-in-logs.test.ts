// No secret value is ever logged. The real bot (`src/main.ts`, a child process) runs with every
// secret configured - Slack signing secret and bot token, a Microsoft app password, a database
// URL with a password - at LOG_LEVEL=trace, against a fake Slack, a fake Bot Connector and a local
// identity provider. A whole run (a Slack command, a modal, a click, a Teams message and card
// with real Bot Framework tokens, HR's leavers roster sent as a Teams file whose download URL
// carries a token, a join verified against it, the dispatcher delivering to both platforms) is
// then searched for each secret and for every bearer token that crossed the wire.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeFileHost, startFakeFileHost } from "../../src/sandbox/fake-file-host.js";
import { type FakeConnector, startFakeConnector } from "../support/fake-connector.js";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { type IdentityProvider, startIdentityProvider } from "../support/identity-provider.js";
import { createThrowawayDatabase, type ThrowawayDatabase } from "../support/postgres.js";
import { cleanEnv, freePort, type Spawned, spawnScript, waitForStatus } from "../support/processes.js";
import { checkboxes, email, plainText, SlackRequester, staticSelect } from "../support/slack-requests.js";
import { personalConversationId, TeamsRequester, teamsUser } from "../support/teams-requests.js";

const SIGNING_SECRET = "s1gn1ng-s3cret-9f8e7d6c5b4a3210fedcba";
const BOT_TOKEN = "xoxb-123456789012-1234567890123-SeCrEtBoTtOkEn0123456789";
const APP_ID = "5e0b8a52-3c1f-4d7e-9a6b-2f8c1d0e4b7a";
const APP_PASSWORD = "app~pAssw0rd.that-must-never-be-logged";
const DB_PASSWORD = "db-pAssw0rd-never-logged-42";
const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const TEAM_ID = "T0ALUMNI1";
const ALUMNI_CHANNEL = "C0ALUMNI01";
const admin = teamsUser("Admin Aoki");

let idp: IdentityProvider;
let connector: FakeConnector;
let fakeSlack: FakeSlack;
let pgdb: ThrowawayDatabase;
let fileHost: FakeFileHost;
let bot: Spawned;
let slack: SlackRequester;
let teams: TeamsRequester;
/** Every bearer token a test request carried to the bot. */
const inboundTokens: string[] = [];

beforeAll(async () => {
  idp = await startIdentityProvider();
  idp.registerApp(APP_ID, APP_PASSWORD);
  connector = await startFakeConnector({
    tenantId: TENANT_ID,
    authorize: (authorization) => idp.issued.some((t) => authorization === `Bearer ${t.accessToken}`),
  });
  fakeSlack = await startFakeSlack({ teamId: TEAM_ID });
  fileHost = await startFakeFileHost();
  pgdb = await createThrowawayDatabase();
  // The test server trusts loopback connections: the password is configured (and must stay
  // out of the log) even though the server does not ask for it.
  const databaseUrl = new URL(pgdb.url);
  databaseUrl.password = DB_PASSWORD;
  const port = await freePort();
  bot = spawnScript("src/main.ts", {
    env: cleanEnv({
      PORT: String(port),
      LOG_LEVEL: "trace",
      DATABASE_URL: databaseUrl.toString(),
      SANDBOX: "false",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_API_URL: fakeSlack.apiUrl,
      SLACK_ALUMNI_CHANNEL_ID: ALUMNI_CHANNEL,
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: APP_PASSWORD,
      MICROSOFT_APP_TENANT_ID: TENANT_ID,
      MICROSOFT_APP_TYPE: "SingleTenant",
      MICROSOFT_OPENID_METADATA_URL: idp.metadataUrl,
      MICROSOFT_LOGIN_URL: idp.loginUrl,
      NODE_EXTRA_CA_CERTS: idp.caCertPath,
      ADMIN_AAD_OBJECT_IDS: admin.aadObjectId,
      SLACK_CHANNEL_RATE: "off",
      TEAMS_CONVERSATION_RATE: "off",
      TEAMS_FILE_HOSTS: fileHost.host,
    }),
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForStatus(`${base}/healthz`, 200, 90_000, bot);
  slack = new SlackRequester({
    url: `${base}/slack/events`,
    signingSecret: SIGNING_SECRET,
    teamId: TEAM_ID,
    fakeSlack,
  });
  teams = new TeamsRequester({
    url: `${base}/api/messages`,
    serviceUrl: connector.url,
    tenantId: TENANT_ID,
    botId: `28:${APP_ID}`,
  });
}, 120_000);

afterAll(async () => {
  if (bot && bot.child.exitCode === null) {
    bot.child.kill("SIGTERM");
    await bot.exited;
  }
  await connector?.close();
  await fakeSlack?.close();
  await fileHost?.close();
  await idp?.close();
  await pgdb?.drop();
});

/** A fresh channel token for one request, remembered so the log can be searched for it. */
function bearer(): string {
  const token = idp.channelToken({ appId: APP_ID, serviceUrl: connector.url });
  inboundTokens.push(token);
  return `Bearer ${token}`;
}

describe("secrets in logs", () => {
  it("a full run at LOG_LEVEL=trace prints no secret and no token", async () => {
    // Teams: the admin says help, then publishes a job from a card (Action.Execute).
    const conversationId = personalConversationId(admin);
    expect((await teams.message(admin, "help", { authorization: bearer(), locale: "en-US" })).status).toBe(200);
    await connector.waitForActivity((a) => a.conversationId === conversationId);
    const created = await teams.invoke(
      admin,
      {
        verb: "posting.create",
        data: {
          verb: "posting.create",
          kind: "job",
          formId: "secrets-form-1",
          title: "Platform Engineer",
          description: "Keep the bridge up.",
          workStyle: "remote",
          employmentType: "full_time",
          skills: "Go",
          publish: "true",
        },
      },
      { authorization: bearer() },
    );
    expect(created.status).toBe(200);
    // The dispatcher announces it in Slack with the bot token.
    const announcement = await fakeSlack.waitFor(
      "chat.postMessage",
      (c) => c.args.channel === ALUMNI_CHANNEL && JSON.stringify(c.args.blocks).includes("Platform Engineer"),
      30_000,
    );
    const numberMatch = /"value":"(\d+)"/.exec(JSON.stringify(announcement.args.blocks));
    expect(numberMatch).not.toBeNull();

    // HR sends the leavers roster as a file (its download URL carries a token) and imports it.
    const roster = fileHost.hostFile(
      "leavers.csv",
      Buffer.from("社員番号,姓,名,個人メールアドレス,退職年月日\nS-0001,Secret,Sakura,sakura@example.com,2024-03-31\n"),
    );
    expect((await teams.sendFile(admin, roster, { authorization: bearer(), locale: "en-US" })).status).toBe(200);
    const preview = await connector.waitForActivity(
      (a) => a.conversationId === conversationId && JSON.stringify(a.attachments ?? []).includes("roster.import"),
      30_000,
    );
    const importNumber = Number(/"importNumber":(\d+)/.exec(JSON.stringify(preview.attachments))?.[1]);
    const imported = await teams.invoke(
      admin,
      { verb: "roster.import", data: { verb: "roster.import", importNumber } },
      { authorization: bearer(), locale: "en-US" },
    );
    expect(imported.status).toBe(200);

    // Slack: a member on the roster joins through the modal (verified by her personal email) and says Interested.
    const user = "USECRET01";
    fakeSlack.addUser({ id: user, real_name: "Sakura Secret", email: "sakura@example.com", locale: "ja-JP" });
    expect((await slack.command(user, "join")).status).toBe(200);
    const opened = await fakeSlack.waitFor("views.open", () => true, 15_000);
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    const submitted = await slack.viewSubmission(user, {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: {
        displayName: { displayName: plainText("Sakura Secret") },
        email: { email: email("sakura@example.com") },
        hrFields: { hrFields: checkboxes(["display_name"]) },
        locale: { locale: staticSelect("en") },
        consent: { consent: checkboxes(["agree"]) },
      },
    });
    expect(submitted.status).toBe(200);
    const id = crypto.randomUUID();
    await new Promise((r) => setTimeout(r, 300));
    expect(
      (
        await slack.blockAction(
          user,
          { actionId: "posting_interested", value: numberMatch?.[1] as string },
          { channelId: ALUMNI_CHANNEL, responseUrlId: id },
        )
      ).status,
    ).toBe(200);
    await fakeSlack.waitForResponsePost((p) => p.id === id, 15_000);
    // HR's card reaches Teams with the bot's own token (the fake connector refuses any other).
    await connector.waitForActivity(
      (a) => a.conversationId === conversationId && JSON.stringify(a.attachments ?? []).includes("Sakura"),
      30_000,
    );

    // Stop the bot so that everything it printed is in.
    bot.child.kill("SIGTERM");
    await bot.exited;
    const log = bot.output();

    // The run was logged at trace (the check below can find things) and really used every secret.
    const lines = log.split("\n").filter((l) => l.startsWith("{"));
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.some((l) => l.includes('"level":20'))).toBe(true);
    expect(log).toContain(user);
    // Slack's own client logs its requests' headers at debug, with the bot token masked.
    expect(log).toContain('\\"Authorization\\":\\"[[REDACTED]]\\"');
    expect(idp.issued.length).toBeGreaterThan(0);
    expect(inboundTokens.length).toBe(4);
    expect(fileHost.downloads).toEqual([{ uniqueId: roster.uniqueId, status: 200 }]);

    const secrets: Record<string, string> = {
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      "SLACK_BOT_TOKEN (its secret part)": BOT_TOKEN.slice(-24),
      MICROSOFT_APP_PASSWORD: APP_PASSWORD,
      "DATABASE_URL password": DB_PASSWORD,
      "the roster file's download token": new URL(roster.downloadUrl).searchParams.get("tempauth") as string,
      ...Object.fromEntries(inboundTokens.map((t, i) => [`inbound Bot Framework token ${i + 1}`, t])),
      ...Object.fromEntries(inboundTokens.map((t, i) => [`inbound token ${i + 1} signature`, t.split(".")[2] ?? t])),
      ...Object.fromEntries(idp.issued.map((t, i) => [`bot's access token ${i + 1}`, t.accessToken])),
    };
    const leaked = Object.entries(secrets)
      .filter(([, value]) => log.includes(value) || log.includes(encodeURIComponent(value)))
      .map(([name]) => name);
    expect(leaked).toEqual([]);
  });
});
