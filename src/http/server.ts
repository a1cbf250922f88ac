// The one HTTP server. Platforms mount their endpoints on it (/slack/events,
// /api/messages); it owns /healthz, graceful shutdown, the time a client may
// take to send a request, and the security headers every response carries.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";
import { type Metrics, platformOfPath } from "./metrics.js";

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface RouteOptions {
  /**
   * Who may show this route's pages in a frame (CSP `frame-ancestors` sources), e.g. a
   * Teams tab: `["'self'", "https://teams.microsoft.com"]`. Default `'none'`: nobody.
   */
  frameAncestors?: readonly string[];
}

/** A client that has not sent its request line and headers by then gets 408 and is disconnected. */
export const HEADERS_TIMEOUT_MS = 10_000;
/** A client that has not sent its whole request (headers and body) by then gets 408 and is disconnected. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How long an idle keep-alive connection stays open: longer than clients and load balancers keep theirs (60 s). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** How often Node checks open connections against those two limits. */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

const DEFAULT_FRAME_ANCESTORS = ["'none'"] as const;

/**
 * Headers on every response (HTML or not): no MIME sniffing, no Referer to other sites,
 * and the route's frame-ancestors. A Content-Security-Policy the handler sets itself is
 * kept; it gets the route's frame-ancestors added when it names none.
 */
function applySecurityHeaders(res: ServerResponse, frameAncestors: readonly string[]): void {
  const ancestors = `frame-ancestors ${frameAncestors.join(" ")}`;
  res.setHeader("x-content-type-options", "nosniff");
  res.setHeader("referrer-policy", "no-referrer");
  res.setHeader("content-security-policy", ancestors);
  const writeHead = res.writeHead;
  // Headers passed to writeHead override setHeader: fold them in, then complete the policy.
  res.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    const reason = typeof rest[0] === "string" ? rest[0] : undefined;
    const headers = rest.find((a) => typeof a === "object" && a !== null) as
      | Record<string, string | number | readonly string[] | undefined>
      | (string | readonly string[])[]
      | undefined;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) {
        res.setHeader(String(headers[i]), headers[i + 1] as string | readonly string[]);
      }
    } else if (headers) {
      for (const [name, value] of Object.entries(headers)) if (value !== undefined) res.setHeader(name, value);
    }
    const policy = res.getHeader("content-security-policy");
    const text = Array.isArray(policy) ? policy.join("; ") : String(policy ?? "");
    if (!/(^|;)\s*frame-ancestors(\s|;|$)/i.test(text)) {
      res.setHeader("content-security-policy", text.trim() === "" ? ancestors : `${text}; ${ancestors}`);
    }
    return Reflect.apply(writeHead, this, reason === undefined ? [statusCode] : [statusCode, reason]) as ServerResponse;
  } as ServerResponse["writeHead"];
}

export interface HttpServer {
  /** Mount a handler for an exact path and method. */
  route(method: string, path: string, handler: RouteHandler, options?: RouteOptions): void;
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
  /** Tests only: shorter limits than HEADERS_TIMEOUT_MS / REQUEST_TIMEOUT_MS. */
  timeouts?: { headersMs: number; requestMs: number; checkIntervalMs?: number };
}): HttpServer {
  const { logger } = options;
  const routes = new Map<string, { handler: RouteHandler; frameAncestors: readonly string[] }>();
  const route = (key: string, handler: RouteHandler, routeOptions: RouteOptions = {}) => {
    routes.set(key, { handler, frameAncestors: routeOptions.frameAncestors ?? DEFAULT_FRAME_ANCESTORS });
  };
  let inFlight = 0;
  let closing = false;
  let drained: (() => void) | undefined;

  route("GET /healthz", async (_req, res) => {
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

  const server = createServer(
    {
      // Slowloris: a client dribbling its headers or body holds a socket only this long.
      headersTimeout: options.timeouts?.headersMs ?? HEADERS_TIMEOUT_MS,
      requestTimeout: options.timeouts?.requestMs ?? REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: options.timeouts?.checkIntervalMs ?? TIMEOUT_CHECK_INTERVAL_MS,
    },
    (req, res) => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const { metrics } = options;
      if (metrics) {
        const started = process.hrtime.bigint();
        res.on("finish", () => {
          metrics.request(platformOfPath(path), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
        });
      }
      const mounted = routes.get(`${req.method} ${path}`);
      applySecurityHeaders(res, mounted?.frameAncestors ?? DEFAULT_FRAME_ANCESTORS);
      if (!mounted) {
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
        .then(() => mounted.handler(req, res))
        .catch((err) => {
          logger.error({ err, method: req.method, path }, "request handler failed");
          if (!res.headersSent) sendJson(res, 500, { error: "internal_error" });
          else res.end();
        });
    },
  );
  // An idle keep-alive connection stays open 65 s: longer than a client or proxy keeps one (load
  // balancers commonly 60 s, Node's fetch 4 s). With a shorter server side, a client could send its
  // next request on a connection the bot was closing at that moment and get a reset instead of an
  // answer (seen in tests on a loaded machine at the old 5 s). Shutdown does not wait for them:
  // close() ends idle connections at once.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

  return {
    server,
    get inFlight() {
      return inFlight;
    },
    get closing() {
      return closing;
    },
    route(method, path, handler, routeOptions) {
      const key = `${method.toUpperCase()} ${path}`;
      if (routes.has(key)) throw new Error(`route ${key} is already mounted`);
      route(key, handler, routeOptions);
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
