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
  });

  it("treats empty strings, as left by a copied .env.example, as unset", () => {
    const c = loadConfig({ PORT: "", DATABASE_URL: " ", SLACK_BOT_TOKEN: "", SLACK_SIGNING_SECRET: "" });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBeUndefined();
    expect(c.slack.botToken).toBeUndefined();
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
});
