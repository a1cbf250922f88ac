// The one HTTP server. Platforms mount their endpoints on it (/slack/events,
// /api/messages); it owns /healthz and graceful shutdown.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";
import { type Metrics, platformOfPath } from "./metrics.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServer {
  /** Mount a handler for an exact path and method. */
  route(method: string, path: string, handler: RouteHandler): void;
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then close. */
  close(graceMs?: number): Promise<void>;
  readonly inFlight: number;
  readonly closing: boolean;
  readonly server: Server;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

export function createHttpServer(options: {
  logger: Logger;
  /** Resolves when the service can serve traffic (e.g. the database answers). */
  healthCheck: () => Promise<Record<string, unknown>>;
  /** Counts every request and times it from start to response finish. */
  metrics?: Pick<Metrics, "request">;
}): HttpServer {
  const { logger } = options;
  const routes = new Map<string, RouteHandler>();
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  routes.set("GET /healthz", async (_req, res) => {
    if (closing) {
      sendJson(res, 503, { status: "shutting_down" });
      return;
    }
    try {
      const details = await options.healthCheck();
      sendJson(res, 200, { status: "ok", ...details });
    } catch (err) {
      logger.warn({ err }, "health check failed");
      sendJson(res, 503, { status: "unavailable", error: (err as Error).message });
    }
  });

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const { metrics } = options;
    if (metrics) {
      const started = process.hrtime.bigint();
      res.on("finish", () => {
        metrics.request(platformOfPath(path), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
      });
    }
    const handler = routes.get(`${req.method} ${path}`);
    if (!handler) {
      const pathKnown = [...routes.keys()].some((k) => k.endsWith(` ${path}`));
      sendJson(res, pathKnown ? 405 : 404, { error: pathKnown ? "method_not_allowed" : "not_found" });
      return;
    }
    inFlight++;
    res.once("close", () => {
      inFlight--;
      if (closing && inFlight === 0) drained?.();
    });
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err) => {
        logger.error({ err, method: req.method, path }, "request handler failed");
        if (!res.headersSent) sendJson(res, 500, { error: "internal_error" });
        else res.end();
      });
  });
  // Keep-alive connections must not hold shutdown hostage longer than the grace period.
  server.keepAliveTimeout = 5_000;

  return {
    server,
    get inFlight() {
      return inFlight;
    },
    get closing() {
      return closing;
    },
    route(method, path, handler) {
      const key = `${method.toUpperCase()} ${path}`;
      if (routes.has(key)) throw new Error(`route ${key} is already mounted`);
      routes.set(key, handler);
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const shownHost = !host || host === "0.0.0.0" || host === "::" ? "localhost" : host;
          resolve({ port: address.port, url: `http://${shownHost}:${address.port}` });
        });
      });
    },
    async close(graceMs = 10_000) {
      if (closing) return;
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        logger.info({ inFlight }, "waiting for in-flight requests");
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => {
            drained = resolve;
          }),
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              logger.warn({ inFlight }, "grace period over; closing remaining connections");
              resolve();
            }, graceMs);
          }),
        ]);
        clearTimeout(timer);
      }
      server.closeAllConnections();
      await stopped;
    },
  };
}
