// The main thread's side of the Slack worker thread (worker.ts): start it, hand
// it acknowledged requests, restart it if it dies, stop it gracefully. While it
// is not running, `post` says so and the receiver processes the request itself,
// so nothing acknowledged is dropped.
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { TConfig } from "../../config.js";
import type { Logger } from "../../logger.js";
import type { OffloadedRequest } from "./receiver.js";

/** A user erased in one thread: the other forgets their cached Slack profile too. */
export type Forget = { type: "forget"; teamId: string; userId: string };
export type ToWorker = { type: "request"; request: OffloadedRequest } | { type: "stop" } | Forget;
export type FromWorker = { type: "ready" } | { type: "stopped" } | { type: "failed"; message: string } | Forget;

const RESTART_DELAY_MS = 1_000;
const STOP_DEADLINE_MS = 15_000;

/**
 * worker.js in the build. From source (`npm start` runs TypeScript through tsx,
 * tests through vitest), a worker thread does not inherit the TypeScript loader,
 * so a tiny module registers tsx's loader in the thread and then imports worker.ts.
 */
function workerEntry(): URL {
  const ext = extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./worker${ext}`, import.meta.url);
  if (ext === ".js") return entry;
  const source =
    `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};\n` +
    `register();\nawait import(${JSON.stringify(entry.href)});\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(source)}`);
}

export class SlackWorker {
  private worker: Worker | undefined;
  private ready = false;
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly config: TConfig,
    private readonly logger: Logger,
    private readonly onForget: (teamId: string, userId: string) => void,
  ) {}

  /** Start the worker; resolves once it is ready (or, if it cannot start, with requests processed in-thread). */
  static async start(
    config: TConfig,
    logger: Logger,
    options: { onForget?: (teamId: string, userId: string) => void } = {},
  ): Promise<SlackWorker> {
    const host = new SlackWorker(config, logger, options.onForget ?? (() => undefined));
    await host.spawn();
    return host;
  }

  private spawn(): Promise<void> {
    return new Promise<void>((resolve) => {
      const worker = new Worker(workerEntry(), {
        workerData: { config: this.config, logLevel: this.logger.level },
      });
      let started = false;
      this.worker = worker;
      worker.on("message", (message: FromWorker) => {
        if (message.type === "forget") {
          this.onForget(message.teamId, message.userId);
        } else if (message.type === "ready") {
          started = true;
          this.ready = true;
          this.logger.info("Slack worker thread ready: commands, clicks and events run there after their ack");
          resolve();
        } else if (message.type === "failed") {
          this.logger.error({ reason: message.message }, "Slack worker thread failed to start; working in-thread");
          resolve();
        }
      });
      worker.on("error", (err) => {
        this.logger.error({ err }, "Slack worker thread crashed");
      });
      worker.on("exit", (code) => {
        this.ready = false;
        if (this.worker === worker) this.worker = undefined;
        resolve();
        if (this.stopping) return;
        if (!started) {
          // It never came up: restarting would fail the same way. Work stays in-thread.
          this.logger.error({ code }, "Slack worker thread could not start; requests are processed in-thread");
          return;
        }
        this.logger.warn({ code }, "Slack worker thread exited; restarting it");
        this.restartTimer = setTimeout(() => void this.spawn(), RESTART_DELAY_MS);
      });
    });
  }

  /** For /healthz: whether requests go to the thread now. */
  get state(): "ready" | "down" {
    return this.worker && this.ready && !this.stopping ? "ready" : "down";
  }

  /** Hand over an acknowledged request; false when the worker cannot take it (process it in-thread). */
  post(request: OffloadedRequest): boolean {
    if (!this.worker || !this.ready || this.stopping) return false;
    this.worker.postMessage({ type: "request", request } satisfies ToWorker);
    return true;
  }

  /** A user was erased here: the worker forgets their cached Slack profile too. */
  forget(teamId: string, userId: string): void {
    this.worker?.postMessage({ type: "forget", teamId, userId } satisfies ToWorker);
  }

  /** Let requests in flight finish, then end the thread. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(() => {
        this.logger.warn("Slack worker thread did not stop in time; terminating it");
        void worker.terminate().then(() => resolve());
      }, STOP_DEADLINE_MS);
      worker.once("exit", () => {
        clearTimeout(deadline);
        resolve();
      });
      worker.postMessage({ type: "stop" } satisfies ToWorker);
    });
  }
}
