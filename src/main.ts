// Entry point of `npm start`: parse the environment once, start, stop gracefully.
import { startApp } from "./app.js";
import { ConfigError, loadConfig, type TConfig } from "./config.js";
import { createLogger } from "./logger.js";

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
  const app = await startApp({ config, logger });
  logger.info({ url: app.url, healthz: `${app.url}/healthz` }, "alumni-bridge is listening");

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, "shutting down");
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
