// Structured JSON logs (pino). Operators always get the stack; users never see it.
import { type Logger, pino } from "pino";

export type { Logger };

/** Keys whose values are secrets wherever they appear (up to three levels deep, e.g. `{ config: { slack: { botToken } } }`). */
const SECRET_KEYS = [
  "password",
  "appPassword",
  "token",
  "botToken",
  "accessToken",
  "access_token",
  "refreshToken",
  "clientSecret",
  "client_secret",
  "secret",
  "signingSecret",
  "authorization",
  "cookie",
  "databaseUrl",
];

export function createLogger(options: {
  level: string;
  name?: string;
  /** Where the JSON lines go (default stdout); tests capture them. */
  destination?: pino.DestinationStream;
}): Logger {
  const opts: pino.LoggerOptions = {
    name: options.name ?? "alumni-bridge",
    level: options.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
        "headers['x-slack-signature']",
        "*.headers['x-slack-signature']",
        "*.*.headers['x-slack-signature']",
      ],
      censor: "[redacted]",
    },
  };
  return options.destination ? pino(opts, options.destination) : pino(opts);
}
