// Entry point of `npm start`: parse the environment once, start, stop gracefully.
import { join } from "node:path";
import { startApp } from "./app.js";
import { ConfigError, loadConfig, type TConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startSandbox } from "./sandbox/sandbox.js";

let config: TConfig;
try {
  config = loadConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  process.stderr.write(`alumni-bridge: ${err.message}\n`);
  process.exit(1);
}

const logger = createLogger({ level: config.logLevel });

process.on("unhandledRejection", (err) => {
  logger.fatal({ err }, "unhandled promise rejection");
  process.exit(1);
});

try {
  let app: { stop(): Promise<void> };
  if (config.sandbox) {
    const sandbox = await startSandbox({ config, logger, stateFile: join(config.dataDir, "sandbox-playground.json") });
    app = sandbox;
    const playground = `http://localhost:${sandbox.app.port}/`;
    logger.info(
      { playground, healthz: `${sandbox.app.url}/healthz` },
      `alumni-bridge is running in SANDBOX mode (fake Slack and Teams, on this machine only). Open the playground: ${playground}`,
    );
  } else {
    const running = await startApp({ config, logger });
    app = running;
    logger.info({ url: running.url, healthz: `${running.url}/healthz` }, "alumni-bridge is listening");
  }

  // Ctrl-C in a terminal reaches both npm and us, and npm forwards it again: a
  // repeat within a second is the same request. A later one forces the exit.
  const SHUTDOWN_DEADLINE_MS = 20_000;
  let firstSignalAt = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    if (firstSignalAt > 0) {
      if (Date.now() - firstSignalAt < 1_000) return;
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    firstSignalAt = Date.now();
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error({ deadlineMs: SHUTDOWN_DEADLINE_MS }, "shutdown took too long: exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app.stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, "error during shutdown");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
} catch (err) {
  logger.fatal({ err }, "alumni-bridge failed to start");
  process.exit(1);
}
