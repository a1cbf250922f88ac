// Teams sign-in, proven offline: the real bot (`src/main.ts`, a child process) with an app id and
// password, pointed by MICROSOFT_OPENID_METADATA_URL and MICROSOFT_LOGIN_URL at a local identity
// provider (HTTPS on loopback, trusted through NODE_EXTRA_CA_CERTS), answering activities through
// a fake Bot Connector that, like the real one, refuses a reply without the bot's token.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeConnector, startFakeConnector } from "../support/fake-connector.js";
import { BOT_FRAMEWORK_ISSUER, type IdentityProvider, startIdentityProvider } from "../support/identity-provider.js";
import { createThrowawayDatabase, queryUrl, type ThrowawayDatabase } from "../support/postgres.js";
import { cleanEnv, freePort, type Spawned, spawnScript, waitForStatus } from "../support/processes.js";
import { catalogueTables, type RunQuery, rowCountsOf } from "../support/row-counts.js";
import { personalConversationId, type TeamsActivity, TeamsRequester, teamsUser } from "../support/teams-requests.js";

const APP_ID = "5e0b8a52-3c1f-4d7e-9a6b-2f8c1d0e4b7a";
const APP_PASSWORD = "local-idp-client-secret~not-a-real-one";
const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const OTHER_APP_ID = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const admin = teamsUser("Admin Aoki");

let idp: IdentityProvider;
let connector: FakeConnector;
let pgdb: ThrowawayDatabase;
let bot: Spawned;
let teams: TeamsRequester;
let stderr = "";

beforeAll(async () => {
  idp = await startIdentityProvider();
  idp.registerApp(APP_ID, APP_PASSWORD);
  connector = await startFakeConnector({
    tenantId: TENANT_ID,
    // The real Bot Connector refuses a bot's call without a valid token of its own.
    authorize: (authorization) => idp.issued.some((t) => authorization === `Bearer ${t.accessToken}`),
  });
  pgdb = await createThrowawayDatabase();
  const port = await freePort();
  bot = spawnScript("src/main.ts", {
    env: cleanEnv({
      PORT: String(port),
      DATABASE_URL: pgdb.url,
      SANDBOX: "false",
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: APP_PASSWORD,
      MICROSOFT_APP_TENANT_ID: TENANT_ID,
      MICROSOFT_APP_TYPE: "SingleTenant",
      MICROSOFT_OPENID_METADATA_URL: idp.metadataUrl,
      MICROSOFT_LOGIN_URL: idp.loginUrl,
      // Node reads this only at start: the reason the bot runs as a child process here.
      NODE_EXTRA_CA_CERTS: idp.caCertPath,
      ADMIN_AAD_OBJECT_IDS: admin.aadObjectId,
      // The weekly digest (a proactive send by the dispatcher) is planned at the next tick.
      SCHEDULER_INTERVAL_SECONDS: "1",
    }),
  });
  bot.child.stderr?.on("data", (d) => {
    stderr += d;
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForStatus(`${base}/healthz`, 200, 90_000, bot);
  teams = new TeamsRequester({
    url: `${base}/api/messages`,
    serviceUrl: connector.url,
    tenantId: TENANT_ID,
    botId: `28:${APP_ID}`,
  });
}, 120_000);

afterAll(async () => {
  if (process.env.TEAMS_AUTH_DEBUG) process.stdout.write(bot?.output() ?? "");
  if (bot && bot.child.exitCode === null) {
    bot.child.kill("SIGTERM");
    await bot.exited;
  }
  await connector?.close();
  await idp?.close();
  await pgdb?.drop();
});

/** Row counts of every table (read from the catalogue), to show a refusal changed nothing. */
async function rowCounts(): Promise<Record<string, number>> {
  const query: RunQuery = (sql) => queryUrl(pgdb.url, sql);
  return rowCountsOf(query, await catalogueTables(query));
}

/** The bot's JSON log lines printed since `from`. */
function logLines(from: number): Record<string, unknown>[] {
  return bot
    .output()
    .slice(from)
    .split("\n")
    .filter((l) => l.startsWith("{") && l.endsWith("}"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Log lines since `from` whose msg matches, once `count` of them have arrived (the pipe lags the answer). */
async function waitForLogLines(from: number, msg: RegExp, count: number): Promise<Record<string, unknown>[]> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const lines = logLines(from).filter((l) => msg.test(String(l.msg)));
    if (lines.length >= count || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function post(activity: TeamsActivity, authorization: string | undefined) {
  return teams.post(activity, authorization === undefined ? {} : { authorization });
}

const bearer = (token: string) => `Bearer ${token}`;

/** A token as Entra ID issues it to the Bot Framework Emulator (v1: appid), signed with the common keys. */
function emulatorToken(opts: { key?: IdentityProvider["entraKey"]; appid?: string; aud?: string } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  return idp.sign(
    {
      aud: opts.aud ?? APP_ID,
      iss: "https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/",
      iat: now - 60,
      nbf: now - 60,
      exp: now + 3600,
      appid: opts.appid ?? APP_ID,
      ver: "1.0",
    },
    { key: opts.key ?? idp.entraKey },
  );
}

describe("Teams sign-in with an app id and password, against a local identity provider", () => {
  it("accepts a correctly signed token; the reply carries the token the local authority issued", async () => {
    const user = teamsUser("Hana HR");
    const conversationId = personalConversationId(user);
    const token = idp.channelToken({ appId: APP_ID, serviceUrl: connector.url });
    const res = await teams.message(user, "help", { authorization: bearer(token) });
    expect(res.status).toBe(200);
    const reply = await connector.waitForActivity((a) => a.conversationId === conversationId);
    expect(reply.text ?? JSON.stringify(reply.attachments)).toBeTruthy();

    // The bot asked the SingleTenant authority (login URL + tenant) for a Bot Connector token...
    expect(idp.issued).toHaveLength(1);
    const issued = idp.issued[0];
    expect(issued).toMatchObject({
      tenant: TENANT_ID,
      clientId: APP_ID,
      scope: expect.stringContaining("https://api.botframework.com/.default"),
    });
    expect(idp.requests).toContainEqual({
      method: "GET",
      path: `/${TENANT_ID}/v2.0/.well-known/openid-configuration`,
      status: 200,
    });
    // ...and sent its reply with exactly that token (the fake refuses any other).
    const replyCall = connector.calls.find((c) => c.method === "POST" && c.conversationId === conversationId);
    expect(replyCall?.status).toBe(201);
    expect(replyCall?.authorization).toBe(bearer(issued?.accessToken ?? "?"));
    // The inbound token's keys came from the configured metadata.
    expect(idp.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining(["/v1/.well-known/openidconfiguration", "/v1/.well-known/keys"]),
    );
    // The token stays cached: a second turn asks for none.
    const again = await teams.message(user, "help", {
      authorization: bearer(idp.channelToken({ appId: APP_ID, serviceUrl: connector.url })),
    });
    expect(again.status).toBe(200);
    expect(idp.issued).toHaveLength(1);
    expect(connector.calls.filter((c) => c.status === 401)).toEqual([]);
  });

  it("accepts a token expired less than the 5-minute clock tolerance ago", async () => {
    const user = teamsUser("Kenta CM");
    const token = idp.channelToken({ appId: APP_ID, serviceUrl: connector.url, notBeforeIn: -3600, expiresIn: -120 });
    const res = await teams.message(user, "help", { authorization: bearer(token) });
    expect(res.status).toBe(200);
    await connector.waitForActivity((a) => a.conversationId === personalConversationId(user));
  });

  it("accepts an Emulator-style token (Entra ID's common keys under MICROSOFT_LOGIN_URL), as botbuilder does", async () => {
    const user = teamsUser("Playground User");
    const res = await teams.message(user, "help", { authorization: bearer(emulatorToken()) });
    expect(res.status).toBe(200);
    await connector.waitForActivity((a) => a.conversationId === personalConversationId(user));
    expect(idp.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining(["/common/v2.0/.well-known/openid-configuration", "/common/discovery/v2.0/keys"]),
    );
  });

  const published = () => ({ kid: idp.botFrameworkKey.kid });
  const cases: {
    name: string;
    reason: string;
    token: () => string;
    activity?: (a: TeamsActivity) => void;
  }[] = [
    {
      name: "expired beyond the 5-minute tolerance",
      reason: "expired",
      token: () =>
        idp.channelToken({ appId: APP_ID, serviceUrl: connector.url, notBeforeIn: -3600, expiresIn: -6 * 60 }),
    },
    {
      name: "not valid yet (nbf beyond the tolerance)",
      reason: "not_yet_valid",
      token: () => idp.channelToken({ appId: APP_ID, serviceUrl: connector.url, notBeforeIn: 6 * 60 }),
    },
    {
      name: "for another app (wrong audience)",
      reason: "claims",
      token: () => idp.channelToken({ appId: OTHER_APP_ID, serviceUrl: connector.url }),
    },
    {
      name: "from another issuer",
      reason: "issuer",
      token: () =>
        idp.channelToken({
          appId: APP_ID,
          serviceUrl: connector.url,
          claims: { iss: "https://api.botframework.example" },
        }),
    },
    {
      name: "with a bad signature (a forger's key under the published kid)",
      reason: "signature",
      token: () =>
        idp.channelToken({ appId: APP_ID, serviceUrl: connector.url, key: idp.unpublishedKey, ...published() }),
    },
    {
      name: "with a tampered signature",
      reason: "signature",
      token: () => idp.channelToken({ appId: APP_ID, serviceUrl: connector.url, tamperSignature: true }),
    },
    {
      name: "signed by a key no one published (unknown kid)",
      reason: "unknown_key",
      token: () => idp.channelToken({ appId: APP_ID, serviceUrl: connector.url, key: idp.unpublishedKey }),
    },
    {
      name: "unsigned (alg none)",
      reason: "algorithm",
      token: () => idp.channelToken({ appId: APP_ID, serviceUrl: connector.url, alg: "none" }),
    },
    {
      name: "HS256 with the public key as the secret (algorithm confusion)",
      reason: "algorithm",
      token: () => idp.channelToken({ appId: APP_ID, serviceUrl: connector.url, alg: "HS256" }),
    },
    {
      name: "whose serviceurl claim is not the activity's serviceUrl",
      reason: "claims",
      token: () => idp.channelToken({ appId: APP_ID, serviceUrl: "https://smba.trafficmanager.net/emea/" }),
    },
    {
      name: "without a serviceurl claim",
      reason: "claims",
      token: () => idp.channelToken({ appId: APP_ID }),
    },
    {
      name: "signed by a key not endorsed for the activity's channel",
      reason: "endorsement",
      token: () => idp.channelToken({ appId: APP_ID, serviceUrl: connector.url }),
      activity: (a) => {
        a.channelId = "webchat";
      },
    },
    {
      name: "without an expiry",
      reason: "malformed",
      token: () => idp.channelToken({ appId: APP_ID, serviceUrl: connector.url, claims: { exp: null } }),
    },
    {
      name: "Emulator-style, signed by a key Entra ID does not publish",
      reason: "unknown_key",
      token: () => emulatorToken({ key: idp.unpublishedKey }),
    },
    {
      name: "Emulator-style, for another app",
      reason: "claims",
      token: () => emulatorToken({ appid: OTHER_APP_ID, aud: OTHER_APP_ID }),
    },
    {
      name: "shaped as a skill's (appid is not the audience): no skills here",
      reason: "unsupported_token",
      token: () => emulatorToken({ appid: OTHER_APP_ID }),
    },
    {
      name: "that is not a JWT",
      reason: "malformed",
      token: () => "not.a.jwt",
    },
  ];

  for (const c of cases) {
    it(`refuses a token ${c.name} with 401, one log line and no change`, async () => {
      const user = teamsUser("Mallory");
      const activity = teams.buildMessage(user, "help");
      c.activity?.(activity);
      const before = await rowCounts();
      const callsBefore = connector.calls.length;
      const issuedBefore = idp.issued.length;
      const outFrom = bot.output().length;
      const errFrom = stderr.length;
      const token = c.token();

      const res = await post(activity, bearer(token));

      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: "unauthorized" });
      expect(await rowCounts()).toEqual(before);
      expect(connector.calls.length).toBe(callsBefore);
      expect(idp.issued.length).toBe(issuedBefore);
      // One warn line in our log, naming the reason, never the token; nothing on stderr.
      const refusals = await waitForLogLines(outFrom, /^refused a Teams request/, 1);
      await new Promise((r) => setTimeout(r, 50));
      expect(logLines(outFrom).filter((l) => /^refused a Teams request/.test(String(l.msg)))).toHaveLength(1);
      expect(refusals[0]).toMatchObject({ level: 40, reason: c.reason });
      expect(bot.output().slice(outFrom)).not.toContain(token);
      expect(stderr.slice(errFrom)).toBe("");
    });
  }

  it("refuses a request with no Bearer token before the adapter (401)", async () => {
    const user = teamsUser("Probe");
    const outFrom = bot.output().length;
    const none = await post(teams.buildMessage(user, "help"), undefined);
    expect(none.status).toBe(401);
    const basic = await post(teams.buildMessage(user, "help"), "Basic bWFsbG9yeTpwdw==");
    expect(basic.status).toBe(401);
    expect(await waitForLogLines(outFrom, /without a Bot Framework token/, 2)).toHaveLength(2);
  });

  it("authenticates before it judges the body: a malformed activity with a forged token is 401, with a valid one 400", async () => {
    const forged = bearer(idp.sign({ iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID }, { tamperSignature: true }));
    const valid = bearer(idp.channelToken({ appId: APP_ID, serviceUrl: connector.url }));
    // A shape the bot refuses (no conversation, no sender), but with a serviceUrl the token can be checked against.
    const malformed = { type: "message", channelId: "msteams", serviceUrl: connector.url, text: "help" };
    const before = await rowCounts();
    const withForged = await fetch(teams.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: forged },
      body: JSON.stringify(malformed),
    });
    expect(withForged.status).toBe(401);
    const withValid = await fetch(teams.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: valid },
      body: JSON.stringify(malformed),
    });
    expect(withValid.status).toBe(400);
    expect(await rowCounts()).toEqual(before);
  });

  it("prints no stack trace on stderr for forged tokens (the whole run so far, and a burst)", async () => {
    const forged = [
      idp.sign({ iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: connector.url, exp: 1 }, { alg: "HS256" }),
      idp.sign({ iss: BOT_FRAMEWORK_ISSUER, aud: APP_ID, serviceurl: connector.url }, { tamperSignature: true }),
      idp.sign({ iss: BOT_FRAMEWORK_ISSUER }, { alg: "none", kid: null }),
      "eyJhbGciOiJSUzI1NiJ9.e30.AAAA",
      "a.b.c",
    ];
    const errFrom = stderr.length;
    await Promise.all(
      forged.map(async (token) => {
        const res = await post(teams.buildMessage(teamsUser("Eve"), "help"), bearer(token));
        expect(res.status).toBe(401);
      }),
    );
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).not.toContain("BEGIN RSA PUBLIC KEY");
    expect(stderr.slice(errFrom)).toBe("");
    expect(bot.child.exitCode).toBeNull();
  });

  // Last: from here on the scheduler queues digests, so row counts move.
  it("the dispatcher's proactive sends carry the same token (the weekly digest after `notify here`)", async () => {
    const conversationId = personalConversationId(admin);
    const res = await teams.message(admin, "notify here", {
      authorization: bearer(idp.channelToken({ appId: APP_ID, serviceUrl: connector.url })),
    });
    expect(res.status).toBe(200);
    // The answer to the command is text; the digest card comes later, from the dispatcher.
    const digest = await connector.waitForActivity(
      (a) => a.conversationId === conversationId && (a.attachments?.length ?? 0) > 0,
      15_000,
    );
    expect(digest.attachments?.[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    const call = connector.calls.find(
      (c) =>
        c.method === "POST" && c.conversationId === conversationId && JSON.stringify(c.body).includes("attachments"),
    );
    expect(call?.status).toBe(201);
    expect(idp.issued.map((t) => bearer(t.accessToken))).toContain(call?.authorization);
  });
});
