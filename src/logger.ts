// Structured JSON logs (pino). Operators always get the stack; users never see it.
import { type Logger, pino } from "pino";

export type { Logger };

export function createLogger(options: { level: string; name?: string }): Logger {
  return pino({
    name: options.name ?? "alumni-bridge",
    level: options.level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        "*.password",
        "*.token",
        "*.secret",
        "*.authorization",
        "*.headers.authorization",
        "*.headers['x-slack-signature']",
        "databaseUrl",
        "*.databaseUrl",
      ],
      censor: "[redacted]",
    },
  });
}
