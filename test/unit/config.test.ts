import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseDuration } from "../../src/config.js";

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("gives the documented defaults for an empty environment", () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.dataDir).toBe("./data");
    expect(c.logLevel).toBe("info");
    expect(c.defaultLocale).toBe("ja");
    expect(c.defaultTimeZone).toBe("Asia/Tokyo");
    expect(c.slack.apiUrl).toBe("https://slack.com/api/");
    expect(c.adminAadObjectIds).toEqual([]);
    expect(c.reminderOffsetsMs).toEqual([7 * 86_400_000, 86_400_000, 3_600_000]);
    expect(c.surveyOffsetsMs).toEqual([180 * 86_400_000, 90 * 86_400_000]);
    expect(c.schedulerIntervalSeconds).toBe(10);
    expect(c.delivery).toEqual({
      slackChannel: [
        { limit: 1, windowMs: 1000 },
        { limit: 3, windowMs: 3000 },
      ],
      slackDm: [{ limit: 20, windowMs: 1000 }],
      slackWorkspace: [{ limit: 50, windowMs: 1000 }],
      teamsConversation: [
        { limit: 7, windowMs: 1000 },
        { limit: 8, windowMs: 2000 },
        { limit: 60, windowMs: 30_000 },
        { limit: 1800, windowMs: 3_600_000 },
      ],
      teamsApp: [{ limit: 30, windowMs: 1000 }],
      batchSize: 50,
      concurrency: 8,
      leaseSeconds: 60,
      maxAttempts: 8,
    });
  });

  it("treats empty strings, as left by a copied .env.example, as unset", () => {
    const c = loadConfig({ PORT: "", DATABASE_URL: " ", SLACK_BOT_TOKEN: "", SLACK_SIGNING_SECRET: "" });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.slack.botToken).toBeUndefined();
  });

  it("reads the membership and roster settings, with their defaults", () => {
    const defaults = loadConfig({});
    expect(defaults.membership).toEqual({ verification: "roster", rejectionsBeforeBlock: 3, reapplyBlockDays: 30 });
    expect(defaults.roster.retentionDays).toBe(730);
    expect(defaults.roster.fileHosts).toContain("*.sharepoint.com");
    const c = loadConfig({
      MEMBERSHIP_VERIFICATION: "approval",
      TEAMS_FILE_HOSTS: " Files.Example.com , 127.0.0.1:4100,*.example.org,files.example.com",
      ROSTER_MAX_ROWS: "500",
    });
    expect(c.membership.verification).toBe("approval");
    expect(c.roster.fileHosts).toEqual(["files.example.com", "127.0.0.1:4100", "*.example.org"]);
    expect(c.roster.maxRows).toBe(500);
  });

  it("names TEAMS_FILE_HOSTS and MEMBERSHIP_VERIFICATION when they are not valid", () => {
    expect(errorOf({ TEAMS_FILE_HOSTS: "https://files.example.com/x" }).message).toMatch(
      /TEAMS_FILE_HOSTS: "https:\/\/files.example.com\/x" is not a host name, host:port or \*\.domain/,
    );
    expect(errorOf({ TEAMS_FILE_HOSTS: "*" }).problems[0]?.variable).toBe("TEAMS_FILE_HOSTS");
    expect(errorOf({ MEMBERSHIP_VERIFICATION: "maybe" }).problems[0]?.variable).toBe("MEMBERSHIP_VERIFICATION");
  });

  it("names PORT when it is not a number", () => {
    const err = errorOf({ PORT: "abc" });
    expect(err.problems.map((p) => p.variable)).toEqual(["PORT"]);
    expect(err.message).toContain('PORT: must be a whole number between 0 and 65535 (got "abc")');
  });

  it("rejects out-of-range ports and fractional ports", () => {
    expect(errorOf({ PORT: "70000" }).problems[0]?.variable).toBe("PORT");
    expect(errorOf({ PORT: "30.5" }).problems[0]?.variable).toBe("PORT");
  });

  it("reports every bad variable at once", () => {
    const err = errorOf({ PORT: "x", LOG_LEVEL: "loud", DEFAULT_LOCALE: "fr", DEFAULT_TIMEZONE: "Mars/Olympus" });
    expect(err.problems.map((p) => p.variable).sort()).toEqual([
      "DEFAULT_LOCALE",
      "DEFAULT_TIMEZONE",
      "LOG_LEVEL",
      "PORT",
    ]);
    expect(err.message).toMatch(/DEFAULT_TIMEZONE: not an IANA time zone/);
  });

  it("parses offsets, largest first, and names the variable on a bad one", () => {
    expect(loadConfig({ REMINDER_OFFSETS: "1h, 2d,30m,2d" }).reminderOffsetsMs).toEqual([
      2 * 86_400_000,
      3_600_000,
      1_800_000,
    ]);
    const err = errorOf({ SURVEY_OFFSETS: "90d,soon" });
    expect(err.problems[0]?.variable).toBe("SURVEY_OFFSETS");
    expect(err.message).toContain('"soon" is not a duration');
    expect(parseDuration("0d")).toBeUndefined();
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
  });

  it("requires both Slack credentials or neither", () => {
    const err = errorOf({ SLACK_BOT_TOKEN: "xoxb-1-2-3" });
    expect(err.problems).toEqual([{ variable: "SLACK_SIGNING_SECRET", message: expect.stringMatching(/required/) }]);
    expect(errorOf({ SLACK_BOT_TOKEN: "not-a-token", SLACK_SIGNING_SECRET: "s" }).problems[0]?.variable).toBe(
      "SLACK_BOT_TOKEN",
    );
  });

  it("never echoes secret values in errors", () => {
    const err = errorOf({ SLACK_BOT_TOKEN: "oops-secret-value", SLACK_SIGNING_SECRET: "s" });
    expect(err.message).not.toContain("oops-secret-value");
    expect(errorOf({ DATABASE_URL: "mysql://u:pw@h/db" }).message).not.toContain("pw@h");
  });

  it("requires the password and tenant that the Microsoft app type needs", () => {
    const err = errorOf({ MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000001" });
    expect(err.problems.map((p) => p.variable).sort()).toEqual(["MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID"]);
    const multi = loadConfig({
      MICROSOFT_APP_ID: "00000000-0000-0000-0000-000000000001",
      MICROSOFT_APP_PASSWORD: "pw",
      MICROSOFT_APP_TYPE: "MultiTenant",
    });
    expect(multi.teams.appType).toBe("MultiTenant");
  });

  it("refuses production without Teams credentials (no unauthenticated /api/messages)", () => {
    const err = errorOf({ NODE_ENV: "production" });
    expect(err.problems.map((p) => p.variable)).toEqual(["MICROSOFT_APP_ID"]);
    expect(err.message).toContain("NODE_ENV=production");
    const ok = loadConfig({
      NODE_ENV: "production",
      MICROSOFT_APP_ID: "00000000-0000-0000-0000-0000000000aa",
      MICROSOFT_APP_PASSWORD: "secret",
      MICROSOFT_APP_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    });
    expect(ok.teams.appId).toBe("00000000-0000-0000-0000-0000000000aa");
  });

  it("defaults the Teams sign-in URLs to Microsoft's and accepts other https ones", () => {
    const c = loadConfig({});
    expect(c.teams.openIdMetadataUrl).toBe("https://login.botframework.com/v1/.well-known/openidconfiguration");
    expect(c.teams.loginUrl).toBe("https://login.microsoftonline.com/");
    const local = loadConfig({
      MICROSOFT_OPENID_METADATA_URL: "https://127.0.0.1:8443/v1/.well-known/openidconfiguration",
      MICROSOFT_LOGIN_URL: "https://127.0.0.1:8443",
    });
    expect(local.teams.openIdMetadataUrl).toBe("https://127.0.0.1:8443/v1/.well-known/openidconfiguration");
    // The tenant is appended to it, so it ends in a slash.
    expect(local.teams.loginUrl).toBe("https://127.0.0.1:8443/");
    expect(loadConfig({ MICROSOFT_LOGIN_URL: "https://login.microsoftonline.us/" }).teams.loginUrl).toBe(
      "https://login.microsoftonline.us/",
    );
  });

  it("refuses Teams sign-in URLs that are not https, saying why", () => {
    const err = errorOf({
      MICROSOFT_OPENID_METADATA_URL: "http://127.0.0.1:8080/v1/.well-known/openidconfiguration",
      MICROSOFT_LOGIN_URL: "http://127.0.0.1:8080/",
    });
    expect(err.problems.map((p) => p.variable).sort()).toEqual([
      "MICROSOFT_LOGIN_URL",
      "MICROSOFT_OPENID_METADATA_URL",
    ]);
    expect(err.message).toContain("MICROSOFT_LOGIN_URL: must be an https:// URL");
    expect(err.message).toContain("MSAL refuses http:// authorities");
    expect(err.message).toContain("MICROSOFT_OPENID_METADATA_URL: must be an https:// URL");
    expect(errorOf({ MICROSOFT_LOGIN_URL: "login.microsoftonline.com" }).problems[0]?.variable).toBe(
      "MICROSOFT_LOGIN_URL",
    );
    expect(errorOf({ MICROSOFT_LOGIN_URL: "https://login.example/?tenant=x" }).message).toContain(
      "no query or fragment",
    );
  });

  it("normalises admin ids and the Slack API URL", () => {
    const c = loadConfig({
      ADMIN_AAD_OBJECT_IDS: " 6B1E2C3D-0000-4000-8000-000000000001,6b1e2c3d-0000-4000-8000-000000000001 ",
      SLACK_API_URL: "http://127.0.0.1:9999/api",
    });
    expect(c.adminAadObjectIds).toEqual(["6b1e2c3d-0000-4000-8000-000000000001"]);
    expect(c.slack.apiUrl).toBe("http://127.0.0.1:9999/api/");
    expect(errorOf({ ADMIN_AAD_OBJECT_IDS: "alice@example.com" }).problems[0]?.variable).toBe("ADMIN_AAD_OBJECT_IDS");
  });

  it("accepts a PostgreSQL URL and rejects other schemes", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/test" }).databaseUrl).toBe(
      "postgresql://postgres@127.0.0.1:5432/test",
    );
    expect(errorOf({ DATABASE_URL: "sqlite:./x.db" }).problems[0]?.variable).toBe("DATABASE_URL");
  });

  it("parses delivery rates, shortest window first, with `20/s` shorthand and `off`", () => {
    const c = loadConfig({
      SLACK_CHANNEL_RATE: " 5/1m , 1/1s ",
      SLACK_DM_RATE: "20/s",
      SLACK_WORKSPACE_RATE: "OFF",
      TEAMS_APP_RATE: "100/2 s",
    });
    expect(c.delivery.slackChannel).toEqual([
      { limit: 1, windowMs: 1000 },
      { limit: 5, windowMs: 60_000 },
    ]);
    expect(c.delivery.slackDm).toEqual([{ limit: 20, windowMs: 1000 }]);
    expect(c.delivery.slackWorkspace).toEqual([]);
    expect(c.delivery.teamsApp).toEqual([{ limit: 100, windowMs: 2000 }]);
  });

  it("names the variable of a bad rate", () => {
    for (const bad of ["7", "7/", "0/1s", "7/0s", "x/1s", "7/1x", "1.5/1s", "-1/1s", ",", "1/1s,2/1000ms"]) {
      const err = errorOf({ TEAMS_CONVERSATION_RATE: bad });
      expect(
        err.problems.map((p) => p.variable),
        bad,
      ).toEqual(["TEAMS_CONVERSATION_RATE"]);
    }
    expect(errorOf({ SLACK_CHANNEL_RATE: "1/1s,fast" }).message).toContain(
      'SLACK_CHANNEL_RATE: "fast" is not a rate; use <count>/<duration>',
    );
    expect(errorOf({ SLACK_DM_RATE: "1/1s,2/1s" }).message).toContain(
      'SLACK_DM_RATE: "2/1s" repeats a window already given a limit',
    );
    expect(errorOf({ TEAMS_APP_RATE: " , " }).message).toContain("TEAMS_APP_RATE: lists no rate");
  });

  it("parses the dispatcher's numbers and names each one out of range", () => {
    const c = loadConfig({
      DISPATCH_BATCH_SIZE: "1000",
      DISPATCH_CONCURRENCY: "1",
      DISPATCH_LEASE_SECONDS: "5",
      DELIVERY_MAX_ATTEMPTS: "50",
    });
    expect(c.delivery).toMatchObject({ batchSize: 1000, concurrency: 1, leaseSeconds: 5, maxAttempts: 50 });
    const err = errorOf({
      DISPATCH_BATCH_SIZE: "0",
      DISPATCH_CONCURRENCY: "101",
      DISPATCH_LEASE_SECONDS: "4",
      DELIVERY_MAX_ATTEMPTS: "2.5",
    });
    expect(err.problems.map((p) => p.variable).sort()).toEqual([
      "DELIVERY_MAX_ATTEMPTS",
      "DISPATCH_BATCH_SIZE",
      "DISPATCH_CONCURRENCY",
      "DISPATCH_LEASE_SECONDS",
    ]);
    expect(err.message).toContain('DISPATCH_BATCH_SIZE: must be at least 1 (got "0")');
    expect(err.message).toContain('DISPATCH_CONCURRENCY: must be at most 100 (got "101")');
    expect(err.message).toContain('DISPATCH_LEASE_SECONDS: must be at least 5 (got "4")');
    expect(err.message).toContain('DELIVERY_MAX_ATTEMPTS: must be a whole number (got "2.5")');
    expect(errorOf({ SCHEDULER_INTERVAL_SECONDS: "ten" }).message).toContain(
      "SCHEDULER_INTERVAL_SECONDS: must be a whole number of seconds",
    );
  });

  it("runs the sandbox when no platform credentials are set, unless told not to or in production", () => {
    expect(loadConfig({}).sandbox).toBe(true);
    expect(loadConfig({ SANDBOX: "false" }).sandbox).toBe(false);
    expect(loadConfig({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s" }).sandbox).toBe(false);
    const teams = { MICROSOFT_APP_ID: "id", MICROSOFT_APP_PASSWORD: "pw", MICROSOFT_APP_TENANT_ID: "tenant" };
    expect(loadConfig(teams).sandbox).toBe(false);
    expect(loadConfig({ ...teams, SANDBOX: "true" }).sandbox).toBe(true);
    expect(loadConfig({ ...teams, NODE_ENV: "production" }).sandbox).toBe(false);
    expect(errorOf({ ...teams, NODE_ENV: "production", SANDBOX: "true" }).message).toContain(
      "SANDBOX: cannot be true when NODE_ENV=production",
    );
    expect(errorOf({ SANDBOX: "yes" }).message).toContain("SANDBOX");
  });
});
