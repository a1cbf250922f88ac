import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer, sendJson } from "../../src/http/server.js";
import { createLogger } from "../../src/logger.js";

const logger = createLogger({ level: "silent" });
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close(0);
  server = undefined;
});

describe("HTTP server", () => {
  it("answers /healthz from the health check and 404/405 elsewhere", async () => {
    let healthy = true;
    server = createHttpServer({
      logger,
      healthCheck: async () => {
        if (!healthy) throw new Error("db down");
        return { db: "up" };
      },
    });
    const { url } = await server.listen(0, "127.0.0.1");
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: "ok", db: "up" });
    healthy = false;
    const down = await fetch(`${url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: "unavailable", error: "db down" });
    expect((await fetch(`${url}/nope`)).status).toBe(404);
    expect((await fetch(`${url}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("a handler that throws gives 500 without leaking the error", async () => {
    server = createHttpServer({ logger, healthCheck: async () => ({}) });
    server.route("POST", "/boom", () => {
      throw new Error("secret internals");
    });
    const { url } = await server.listen(0, "127.0.0.1");
    const res = await fetch(`${url}/boom`, { method: "POST" });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("secret internals");
  });

  it("on close, finishes in-flight requests and refuses new ones", async () => {
    server = createHttpServer({ logger, healthCheck: async () => ({}) });
    server.route("GET", "/slow", async (_req, res) => {
      await new Promise((r) => setTimeout(r, 400));
      sendJson(res, 200, { done: true });
    });
    const { url } = await server.listen(0, "127.0.0.1");
    const inFlight = fetch(`${url}/slow`);
    await new Promise((r) => setTimeout(r, 100));
    expect(server.inFlight).toBe(1);
    const closed = server.close(5_000);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
  });
});
