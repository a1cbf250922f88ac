// The logger masks secrets wherever a log call puts them: the parsed configuration (whole
// or in parts), request headers, errors carrying them, tokens by any of their usual names.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";

const SECRETS = {
  SLACK_SIGNING_SECRET: "signing-secret-0123456789abcdef",
  SLACK_BOT_TOKEN: "xoxb-1-2-bot-token-abcdefghijklmnop",
  MICROSOFT_APP_PASSWORD: "app-password-~never-log-me",
  DATABASE_URL: "postgresql://alumni:db-password-s3cret@db.internal:5432/alumni",
};

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: "trace", destination }), text: () => lines.join("") };
}

describe("log redaction", () => {
  it("masks every configured secret, however deep a log call puts it", () => {
    const config = loadConfig({
      ...SECRETS,
      SANDBOX: "false",
      MICROSOFT_APP_ID: "5e0b8a52-3c1f-4d7e-9a6b-2f8c1d0e4b7a",
      MICROSOFT_APP_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
    });
    const { logger, text } = capture();
    logger.info({ config }, "the whole configuration");
    logger.info(config, "the configuration as the log object");
    logger.info({ slack: config.slack, teams: config.teams }, "parts of it");
    logger.debug({ databaseUrl: config.databaseUrl }, "database");
    logger.trace(
      {
        req: { headers: { authorization: "Bearer eyJhbGciOi.payload.signature", cookie: "session=abc" } },
        headers: { "x-slack-signature": "v0=deadbeef" },
      },
      "request",
    );
    logger.warn({ token: "bearer-token-123456", accessToken: "at-123456", client_secret: "cs-123456" }, "tokens");
    const out = text();
    expect(out).toContain("the whole configuration");
    expect(out).toContain("[redacted]");
    for (const secret of [
      ...Object.values(SECRETS),
      "db-password-s3cret",
      "eyJhbGciOi.payload.signature",
      "session=abc",
      "v0=deadbeef",
      "bearer-token-123456",
      "at-123456",
      "cs-123456",
    ]) {
      expect(out, secret).not.toContain(secret);
    }
    // What is not secret stays readable.
    expect(out).toContain("5e0b8a52-3c1f-4d7e-9a6b-2f8c1d0e4b7a");
  });
});
