// The fakes enforce the platforms' limits the way the benchmarks rely on: a call
// beyond a window is answered 429 with Retry-After, is not delivered and is not
// counted; a window frees as its oldest accepted call leaves it.
import { describe, expect, it } from "vitest";
import { admit, EnforcedLimit, parseWindows } from "../../src/sandbox/enforced-limits.js";
import { startFakeConnector } from "../../src/sandbox/fake-connector.js";
import { startFakeSlack } from "../../src/sandbox/fake-slack.js";

describe("enforced limits", () => {
  it("parses window lists like the app's env", () => {
    expect(parseWindows("7/1s, 8/2s,60/30s,1800/1h")).toEqual([
      { limit: 7, windowMs: 1000 },
      { limit: 8, windowMs: 2000 },
      { limit: 60, windowMs: 30_000 },
      { limit: 1800, windowMs: 3_600_000 },
    ]);
    expect(() => parseWindows("7 per second")).toThrow(/bad rate window/);
  });

  it("admits up to each window's limit per key, refuses beyond without counting, and frees as calls age", () => {
    const channel = new EnforcedLimit(parseWindows("1/1s,3/3s"));
    const workspace = new EnforcedLimit(parseWindows("3/1s"));
    const at = (key: string, t: number) =>
      admit(
        [
          [channel, key],
          [workspace, "w"],
        ],
        t,
      );
    expect(at("C1", 0)).toBe(0);
    expect(at("C1", 500)).toBe(500); // channel: 1 per second
    expect(at("C2", 500)).toBe(0);
    expect(at("C3", 600)).toBe(0);
    expect(at("C4", 700)).toBe(300); // workspace: 3 per second, the first leaves at 1000
    expect(at("C1", 1000)).toBe(0); // refused calls were not counted
    expect(at("C1", 2000)).toBe(0);
    expect(at("C1", 2999)).toBe(1); // both windows full until the call at 0 (3 s) and at 2000 (1 s) leave
    expect(at("C1", 3000)).toBe(0); // a call at t counts while t > now - window
  });

  it("fake Slack answers 429 with Retry-After beyond its posting limits and delivers nothing then", async () => {
    const fake = await startFakeSlack({ rateLimits: { channel: parseWindows("1/1s") } });
    try {
      const post = (channel: string) =>
        fetch(`${fake.apiUrl}chat.postMessage`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: "Bearer xoxb-t" },
          body: JSON.stringify({ channel, text: "hi" }),
        });
      expect((await post("C1")).status).toBe(200);
      const refused = await post("C1");
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(await refused.json()).toMatchObject({ ok: false, error: "ratelimited" });
      expect((await post("C2")).status).toBe(200);
      expect(fake.rateLimited).toBe(1);
      expect(fake.callsTo("chat.postMessage").filter((c) => !c.error)).toHaveLength(2);
    } finally {
      await fake.close();
    }
  });

  it("fake connector answers 429 beyond Teams' per-conversation and per-app limits", async () => {
    const fake = await startFakeConnector({
      rateLimits: { conversation: parseWindows("2/1s"), app: parseWindows("3/1s") },
    });
    try {
      const send = (conversation: string) =>
        fetch(`${fake.url}v3/conversations/${encodeURIComponent(conversation)}/activities`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ type: "message", text: "hi" }),
        });
      expect((await send("a:1")).status).toBe(201);
      expect((await send("a:1")).status).toBe(201);
      expect((await send("a:1")).status).toBe(429); // conversation
      expect((await send("a:2")).status).toBe(201);
      const refused = await send("a:3"); // app: 3 per second
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(fake.rateLimited).toBe(2);
      expect(fake.sent()).toHaveLength(3);
    } finally {
      await fake.close();
    }
  });
});
