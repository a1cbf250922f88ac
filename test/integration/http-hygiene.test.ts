// HTTP hygiene of the one server: security headers on every response (HTML above all),
// frame-ancestors per route, and clients that send their request too slowly are cut off.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import {
  createHttpServer,
  HEADERS_TIMEOUT_MS,
  type HttpServer,
  KEEP_ALIVE_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
} from "../../src/http/server.js";
import { createLogger } from "../../src/logger.js";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/sandbox.js";
import { openMigratedPglite } from "../support/pglite.js";

const logger = createLogger({ level: "silent" });
const HTML = "<!doctype html><title>t</title>";

function expectSecurityHeaders(res: Response, frameAncestors = "'none'") {
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  const csp = res.headers.get("content-security-policy") ?? "";
  const directives = csp.split(";").map((d) => d.trim());
  expect(directives.filter((d) => d.startsWith("frame-ancestors"))).toEqual([`frame-ancestors ${frameAncestors}`]);
  return directives;
}

describe("security headers", () => {
  let http: HttpServer;
  let url: string;

  beforeAll(async () => {
    http = createHttpServer({ logger, healthCheck: async () => ({}) });
    const html = { "content-type": "text/html; charset=utf-8" };
    http.route("GET", "/page", (_req, res) => {
      res.writeHead(200, html);
      res.end(HTML);
    });
    http.route("GET", "/implicit", (_req, res) => {
      res.setHeader("content-type", "text/html");
      res.end(HTML);
    });
    http.route("GET", "/own-policy", (_req, res) => {
      res.writeHead(200, { ...html, "content-security-policy": "default-src 'self'; script-src 'self'" });
      res.end(HTML);
    });
    http.route("GET", "/own-ancestors", (_req, res) => {
      res.writeHead(200, "OK", { ...html, "Content-Security-Policy": "default-src 'self'; frame-ancestors 'self'" });
      res.end(HTML);
    });
    http.route("GET", "/raw-array", (_req, res) => {
      res.writeHead(200, ["content-type", "text/html", "content-security-policy", "img-src 'self'"]);
      res.end(HTML);
    });
    http.route(
      "GET",
      "/tab",
      (_req, res) => {
        res.writeHead(200, html);
        res.end(HTML);
      },
      { frameAncestors: ["'self'", "https://teams.microsoft.com"] },
    );
    url = (await http.listen(0, "127.0.0.1")).url;
  });
  afterAll(async () => {
    await http?.close(0);
  });

  it("every HTML page: nosniff, no referrer, frame-ancestors 'none' by default", async () => {
    for (const path of ["/page", "/implicit", "/raw-array"]) {
      const res = await fetch(`${url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toContain("text/html");
      expectSecurityHeaders(res);
    }
    const raw = expectSecurityHeaders(await fetch(`${url}/raw-array`));
    expect(raw).toContain("img-src 'self'");
  });

  it("a page's own policy is kept and completed, never doubled or overridden", async () => {
    const merged = expectSecurityHeaders(await fetch(`${url}/own-policy`));
    expect(merged).toEqual(["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"]);
    const own = expectSecurityHeaders(await fetch(`${url}/own-ancestors`), "'self'");
    expect(own).toEqual(["default-src 'self'", "frame-ancestors 'self'"]);
  });

  it("a route may allow framing by named origins (a Teams tab)", async () => {
    expectSecurityHeaders(await fetch(`${url}/tab`), "'self' https://teams.microsoft.com");
  });

  it("404, 405 and JSON answers carry the headers too", async () => {
    const missing = await fetch(`${url}/nope`);
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing);
    const wrongMethod = await fetch(`${url}/page`, { method: "POST", body: "x" });
    expect(wrongMethod.status).toBe(405);
    expectSecurityHeaders(wrongMethod);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expectSecurityHeaders(health);
  });
});

describe("the sandbox's HTML and API", () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    const config = loadConfig({ PORT: "0", LOG_LEVEL: "silent" });
    sandbox = await startSandbox({ config, logger, database: await openMigratedPglite() });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("the playground page keeps its own policy and gets every header; so do all other answers", async () => {
    const base = sandbox.app.url;
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    const directives = expectSecurityHeaders(page);
    expect(directives).toContain("script-src 'self'");
    expect(directives).toContain("object-src 'none'");
    for (const [method, path] of [
      ["GET", "/playground/app.js"],
      ["GET", "/playground/api/personas"],
      ["GET", "/no-such-page"],
      ["GET", "/healthz"],
      ["GET", "/metrics"],
      ["GET", "/slack/events"],
      ["GET", "/api/messages"],
      // Answered by Bolt's receiver and by the Teams adapter's bridge.
      ["POST", "/slack/events"],
      ["POST", "/api/messages"],
    ] as const) {
      const res = await fetch(`${base}${path}`, {
        method,
        ...(method === "POST" ? { headers: { "content-type": "application/json" }, body: "{}" } : {}),
      });
      await res.arrayBuffer();
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expectSecurityHeaders(res);
    }
  });

  it("the real server uses the documented limits", () => {
    expect(sandbox.app.http.server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    expect(sandbox.app.http.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(HEADERS_TIMEOUT_MS).toBe(10_000);
    expect(REQUEST_TIMEOUT_MS).toBe(30_000);
    // Longer than a load balancer's idle timeout (60 s), so a proxy never reuses a connection the bot is closing.
    expect(sandbox.app.http.server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
    expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
  });
});

describe("slow clients (slowloris)", () => {
  let http: HttpServer;
  let port: number;
  let handled = 0;

  beforeAll(async () => {
    http = createHttpServer({
      logger,
      healthCheck: async () => ({}),
      timeouts: { headersMs: 600, requestMs: 1_500, checkIntervalMs: 100 },
    });
    http.route("POST", "/slack/events", async (req, res) => {
      for await (const _ of req) {
        // read the body
      }
      handled++;
      res.end("ok");
    });
    port = (await http.listen(0, "127.0.0.1")).port;
  });
  afterAll(async () => {
    await http?.close(0);
  });

  /** Send `head` at once, then `drip` one piece every `everyMs`; resolves when the server closes the socket. */
  function slowClient(head: string, drip: string[], everyMs: number) {
    return new Promise<{ elapsedMs: number; answer: string }>((resolve, reject) => {
      const started = Date.now();
      const socket = connect(port, "127.0.0.1");
      let answer = "";
      let timer: NodeJS.Timeout | undefined;
      socket.on("connect", () => {
        socket.write(head);
        let i = 0;
        timer = setInterval(() => {
          if (!socket.writable) return;
          socket.write(drip[i % drip.length] as string);
          i++;
        }, everyMs);
      });
      socket.on("data", (d) => {
        answer += d.toString();
      });
      socket.on("error", () => undefined);
      socket.on("close", () => {
        clearInterval(timer);
        resolve({ elapsedMs: Date.now() - started, answer });
      });
      setTimeout(() => {
        clearInterval(timer);
        socket.destroy();
        reject(new Error("the server never cut the slow client off"));
      }, 8_000);
    });
  }

  it("a client that sends its headers slowly is answered 408 and disconnected after headersTimeout", async () => {
    const { elapsedMs, answer } = await slowClient(
      "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\n",
      ["X-Slow: a\r\n"],
      100,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(elapsedMs).toBeGreaterThanOrEqual(500);
    expect(elapsedMs).toBeLessThan(1_500);
    expect(handled).toBe(0);
  });

  it("a client that sends its body slowly is answered 408 and disconnected after requestTimeout", async () => {
    const { elapsedMs, answer } = await slowClient(
      "POST /slack/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n",
      ["x"],
      100,
    );
    expect(answer).toMatch(/HTTP\/1\.1 408 /);
    expect(elapsedMs).toBeGreaterThanOrEqual(1_400);
    expect(elapsedMs).toBeLessThan(3_000);
    expect(handled).toBe(0);
  });

  it("a normal request is answered as usual", async () => {
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", body: "hello" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok");
    expect(handled).toBe(1);
  });

  it("an idle keep-alive connection outlives the header and request timeouts and serves the next request", async () => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (d) => {
      answer += d.toString();
    });
    const request = "POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi";
    await new Promise<void>((resolve) => socket.on("connect", resolve));
    socket.write(request);
    await expect.poll(() => answer.match(/HTTP\/1\.1 200/g)?.length ?? 0).toBe(1);
    // Idle for longer than headersMs (600) and requestMs (1,500): the connection must stay usable.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(socket.destroyed).toBe(false);
    socket.write(request);
    await expect.poll(() => answer.match(/HTTP\/1\.1 200/g)?.length ?? 0).toBe(2);
    socket.destroy();
  });
});
