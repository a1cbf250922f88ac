import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import {
  type AcquireResult,
  createPlatformLimiter,
  RateLimiter,
  type RatePlatform,
  type Window,
} from "../../src/delivery/rate-limiter.js";

function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    set: (ms: number) => {
      t = ms;
    },
  };
}

/** Acquire until refused; returns how many were granted and the refusal. */
function drain(limiter: RateLimiter, key: string, platform: RatePlatform, max = 10_000) {
  for (let granted = 0; granted < max; granted++) {
    const r = limiter.tryAcquire(key, platform);
    if (!r.ok) return { granted, refusal: r };
  }
  throw new Error("never refused");
}

describe("RateLimiter", () => {
  it("enforces each window of a key, and retryInMs is exact", () => {
    const c = clock();
    const limiter = new RateLimiter({ now: c.now }).define("k:", [
      { limit: 2, windowMs: 1000 },
      { limit: 3, windowMs: 3000 },
    ]);
    // 1 s window: two, then wait for the first to leave the window.
    const first = drain(limiter, "k:a", "slack");
    expect(first.granted).toBe(2);
    expect(first.refusal).toEqual({ ok: false, retryInMs: 1000, reason: "rate" });
    c.advance(999);
    expect(limiter.tryAcquire("k:a", "slack").ok).toBe(false);
    c.advance(1);
    expect(limiter.tryAcquire("k:a", "slack")).toEqual({ ok: true });
    // Now 3 uses in 3 s: the 3 s window blocks until the first use (t0) is 3 s old.
    const second = limiter.tryAcquire("k:a", "slack");
    expect(second).toEqual({ ok: false, retryInMs: 2000, reason: "rate" });
    c.advance(1999);
    expect(limiter.tryAcquire("k:a", "slack").ok).toBe(false);
    c.advance(1);
    expect(limiter.tryAcquire("k:a", "slack").ok).toBe(true);
  });

  it("keeps keys apart but shares a platform's global cap across them", () => {
    const c = clock();
    const limiter = new RateLimiter({ now: c.now })
      .define("teams:conversation:", [{ limit: 2, windowMs: 1000 }])
      .defineGlobal("teams", [{ limit: 5, windowMs: 1000 }]);
    expect(drain(limiter, "teams:conversation:a", "teams").granted).toBe(2);
    expect(drain(limiter, "teams:conversation:b", "teams").granted).toBe(2);
    c.advance(300);
    const third = drain(limiter, "teams:conversation:c", "teams");
    expect(third.granted).toBe(1); // global 5/s reached
    expect(third.refusal.retryInMs).toBe(700);
    // The other platform's cap is separate; unmatched keys have only the global cap.
    expect(limiter.tryAcquire("slack:anything", "slack").ok).toBe(true);
    c.advance(700);
    expect(limiter.tryAcquire("teams:conversation:c", "teams").ok).toBe(true);
  });

  it("uses the first matching rule: prefix, RegExp or predicate", () => {
    const c = clock();
    const limiter = new RateLimiter({ now: c.now })
      .define(/^x:\d+$/, [{ limit: 1, windowMs: 1000 }])
      .define((key) => key.endsWith(":dm"), [{ limit: 3, windowMs: 1000 }])
      .define("x:", [{ limit: 2, windowMs: 1000 }]);
    expect(drain(limiter, "x:12", "slack").granted).toBe(1);
    expect(drain(limiter, "x:team:dm", "slack").granted).toBe(3);
    expect(drain(limiter, "x:other", "slack").granted).toBe(2);
  });

  it("pauses a key, or a whole platform, until the given time", () => {
    const c = clock(10_000);
    const limiter = new RateLimiter({ now: c.now }).define("k:", [{ limit: 100, windowMs: 1000 }]);
    limiter.pause("k:a", 12_500);
    limiter.pause("k:a", 11_000); // a shorter pause does not cut the longer one
    expect(limiter.isPaused("k:a")).toBe(true);
    expect(limiter.isPaused("k:b")).toBe(false);
    expect(limiter.tryAcquire("k:a", "slack")).toEqual({ ok: false, retryInMs: 2500, reason: "paused" });
    expect(limiter.tryAcquire("k:b", "slack").ok).toBe(true);
    c.set(12_500);
    expect(limiter.isPaused("k:a")).toBe(false);
    expect(limiter.tryAcquire("k:a", "slack").ok).toBe(true);

    limiter.pause("teams", 13_000);
    expect(limiter.isPaused("k:b", "teams")).toBe(true);
    expect(limiter.isPaused("k:b", "slack")).toBe(false);
    expect(limiter.tryAcquire("teams:conversation:z", "teams")).toMatchObject({ ok: false, retryInMs: 500 });
    limiter.pause("k:c", 12_000); // already over: ignored
    expect(limiter.isPaused("k:c")).toBe(false);
  });

  it("waits for the later of a pause and a full window", () => {
    const c = clock(0);
    const limiter = new RateLimiter({ now: c.now }).define("k:", [{ limit: 1, windowMs: 5000 }]);
    expect(limiter.tryAcquire("k:a", "slack").ok).toBe(true);
    limiter.pause("k:a", 1000);
    expect(limiter.tryAcquire("k:a", "slack")).toEqual({ ok: false, retryInMs: 5000, reason: "rate" });
  });

  it("forgets keys idle longer than their largest window, and pauses that are over", () => {
    const c = clock(0);
    const limiter = new RateLimiter({ now: c.now }).define("short:", [{ limit: 1, windowMs: 1000 }]).define("long:", [
      { limit: 1, windowMs: 1000 },
      { limit: 10, windowMs: 3_600_000 },
    ]);
    for (let i = 0; i < 1000; i++) limiter.tryAcquire(`short:${i}`, "slack");
    limiter.tryAcquire("long:a", "teams");
    limiter.pause("paused:a", 5000);
    expect(limiter.trackedKeys).toBe(1002);
    c.advance(60_000); // the next acquire sweeps
    limiter.tryAcquire("other", "slack"); // matches no rule: nothing kept for it
    expect(limiter.trackedKeys).toBe(1); // long:a is still within its 1 h window
    c.advance(3_600_000);
    limiter.sweep();
    expect(limiter.trackedKeys).toBe(0);
    // A forgotten key starts afresh.
    expect(limiter.tryAcquire("long:a", "teams").ok).toBe(true);
  });

  it("refuses invalid windows", () => {
    expect(() => new RateLimiter().define("k:", [{ limit: 0, windowMs: 1000 }])).toThrow(RangeError);
    expect(() => new RateLimiter().defineGlobal("slack", [{ limit: 1, windowMs: 0 }])).toThrow(RangeError);
  });

  it("property: no window ever holds more uses than its limit; refusals never consume; retryInMs is exact", () => {
    const perKey: Record<string, Window[]> = {
      "a:": [
        { limit: 2, windowMs: 1000 },
        { limit: 3, windowMs: 3000 },
      ],
      "b:": [{ limit: 1, windowMs: 700 }],
    };
    const globals: Record<RatePlatform, Window[]> = {
      slack: [{ limit: 4, windowMs: 1000 }],
      teams: [
        { limit: 3, windowMs: 500 },
        { limit: 6, windowMs: 4000 },
      ],
    };
    const keys: [string, RatePlatform][] = [
      ["a:1", "slack"],
      ["a:2", "slack"],
      ["b:1", "slack"],
      ["a:3", "teams"],
      ["b:2", "teams"],
      ["c:1", "teams"], // no per-key rule
    ];
    const op = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          kind: fc.constant("acquire" as const),
          key: fc.nat(keys.length - 1),
          dt: fc.oneof(fc.constant(0), fc.nat(100), fc.nat(1200)), // bursts and gaps
        }),
      },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant("retry" as const) }) },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("idle" as const), dt: fc.integer({ min: 5000, max: 20_000 }) }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant("pause" as const), key: fc.nat(keys.length - 1), ms: fc.nat(3000) }),
      },
    );

    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const c = clock(0);
        const limiter = new RateLimiter({ now: c.now });
        for (const [prefix, windows] of Object.entries(perKey)) limiter.define(prefix, windows);
        for (const p of ["slack", "teams"] as const) limiter.defineGlobal(p, globals[p]);

        const accepted: { key: string; platform: RatePlatform; t: number }[] = [];
        const pauses = new Map<string, number>();
        const windowsOf = (key: string) => Object.entries(perKey).find(([p]) => key.startsWith(p))?.[1] ?? [];

        /** What a correct limiter answers, from the accepted uses alone. */
        const expected = (key: string, platform: RatePlatform, now: number): number => {
          let wait = Math.max(0, (pauses.get(key) ?? 0) - now);
          const check = (windows: Window[], uses: number[]) => {
            for (const w of windows) {
              const inWindow = uses.filter((t) => t > now - w.windowMs).sort((x, y) => x - y);
              if (inWindow.length >= w.limit) {
                const blocker = inWindow[inWindow.length - w.limit] as number;
                wait = Math.max(wait, blocker + w.windowMs - now);
              }
            }
          };
          check(
            windowsOf(key),
            accepted.filter((u) => u.key === key).map((u) => u.t),
          );
          check(
            globals[platform],
            accepted.filter((u) => u.platform === platform).map((u) => u.t),
          );
          return wait;
        };

        const attempt = (key: string, platform: RatePlatform): AcquireResult => {
          const wait = expected(key, platform, c.now());
          const result = limiter.tryAcquire(key, platform);
          if (wait === 0) expect(result).toEqual({ ok: true });
          else expect(result).toMatchObject({ ok: false, retryInMs: wait });
          if (result.ok) accepted.push({ key, platform, t: c.now() });
          return result;
        };

        let lastRefused: { key: string; platform: RatePlatform; retryInMs: number } | undefined;
        for (const o of ops) {
          if (o.kind === "acquire") {
            c.advance(o.dt);
            const [key, platform] = keys[o.key] as [string, RatePlatform];
            const r = attempt(key, platform);
            lastRefused = r.ok ? undefined : { key, platform, retryInMs: r.retryInMs };
          } else if (o.kind === "retry" && lastRefused) {
            // Waiting exactly retryInMs (nobody else acting) is enough, and 1 ms less is not.
            c.advance(lastRefused.retryInMs - 1);
            expect(attempt(lastRefused.key, lastRefused.platform).ok).toBe(false);
            c.advance(1);
            expect(attempt(lastRefused.key, lastRefused.platform).ok).toBe(true);
            lastRefused = undefined;
          } else if (o.kind === "idle") {
            c.advance(o.dt);
            lastRefused = undefined; // its retryInMs is stale now
          } else if (o.kind === "pause") {
            const [key] = keys[o.key] as [string, RatePlatform];
            const until = c.now() + o.ms;
            limiter.pause(key, until);
            if (until > c.now()) pauses.set(key, Math.max(until, pauses.get(key) ?? 0));
            lastRefused = undefined;
          }
        }

        // Replay: no window, per key or global, ever held more than its limit.
        const overfull = (windows: Window[], times: number[]) =>
          windows.some((w) => times.some((t) => times.filter((u) => u > t - w.windowMs && u <= t).length > w.limit));
        for (const [key, platform] of keys) {
          const times = accepted.filter((u) => u.key === key).map((u) => u.t);
          expect(overfull(windowsOf(key), times)).toBe(false);
          expect(
            overfull(
              globals[platform],
              accepted.filter((u) => u.platform === platform).map((u) => u.t),
            ),
          ).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe("createPlatformLimiter", () => {
  const delivery = loadConfig({}).delivery;

  it("limits a Slack channel to 1/s with a burst of 3 per 3 s by default", () => {
    const c = clock(0);
    const limiter = createPlatformLimiter(delivery, { now: c.now, guardMs: 0 });
    expect(drain(limiter, "slack:channel:C1", "slack").granted).toBe(1);
    c.advance(1000);
    expect(limiter.tryAcquire("slack:channel:C1", "slack").ok).toBe(true);
    c.advance(1000);
    expect(limiter.tryAcquire("slack:channel:C1", "slack").ok).toBe(true);
    c.advance(1000);
    expect(limiter.tryAcquire("slack:channel:C1", "slack").ok).toBe(true);
    expect(limiter.tryAcquire("slack:channel:C2", "slack").ok).toBe(true);
  });

  it("gives all DMs of a workspace one budget, capped with every other Slack call", () => {
    const c = clock(0);
    const limiter = createPlatformLimiter(delivery, { now: c.now, guardMs: 0 });
    expect(drain(limiter, "slack:T1:dm", "slack").granted).toBe(20);
    expect(drain(limiter, "slack:T2:dm", "slack").granted).toBe(20);
    let channels = 0;
    for (let i = 0; i < 20; i++) if (limiter.tryAcquire(`slack:channel:C${i}`, "slack").ok) channels++;
    expect(channels).toBe(10); // workspace-wide 50/s
  });

  it("applies Teams' per-conversation windows and the app-wide 30/s", () => {
    const c = clock(0);
    const limiter = createPlatformLimiter(delivery, { now: c.now, guardMs: 0 });
    expect(drain(limiter, "teams:conversation:19:abc", "teams").granted).toBe(7);
    c.advance(1000);
    expect(drain(limiter, "teams:conversation:19:abc", "teams").granted).toBe(1); // 8 per 2 s
    let others = 0;
    for (let i = 0; i < 40; i++) if (limiter.tryAcquire(`teams:conversation:${i}`, "teams").ok) others++;
    expect(others).toBe(30 - 1); // the 1 at t=1s already counts toward the app's 30/s
  });

  it("treats other slack:/teams: keys (the outbox default <platform>:<target>) as one channel/conversation", () => {
    const limiter = createPlatformLimiter(delivery, { now: () => 0 });
    expect(drain(limiter, "slack:C123", "slack").granted).toBe(1);
    expect(drain(limiter, "teams:some-ref-id", "teams").granted).toBe(7);
  });
});

describe("reservations, guard and learning from 429s", () => {
  it("a reservation counts at once, is recorded when confirmed (not when reserved), and a release gives it back", () => {
    const c = clock(0);
    const limiter = new RateLimiter({ now: c.now }).define("k:", [{ limit: 2, windowMs: 1000 }]);
    const a = limiter.reserve("k:1", "slack");
    const b = limiter.reserve("k:1", "slack");
    expect(a.ok && b.ok).toBe(true);
    // Both pending fill the window, and no time passing frees them while unsent.
    c.advance(5000);
    expect(limiter.reserve("k:1", "slack")).toMatchObject({ ok: false, reason: "rate" });
    if (!a.ok || !b.ok) throw new Error("unreachable");
    limiter.release(a.reservation);
    limiter.confirm(b.reservation); // sent at t=5000
    expect(limiter.tryAcquire("k:1", "slack").ok).toBe(true); // the released one's room
    c.advance(999);
    expect(limiter.tryAcquire("k:1", "slack")).toMatchObject({ ok: false, retryInMs: 1 });
    c.advance(1);
    expect(limiter.tryAcquire("k:1", "slack").ok).toBe(true);
    expect(limiter.tryAcquire("k:1", "slack").ok).toBe(true);
    // Settling twice changes nothing.
    limiter.release(b.reservation);
    limiter.confirm(b.reservation);
    expect(limiter.tryAcquire("k:1", "slack").ok).toBe(false);
  });

  it("the platform limiter keeps a guard of 25 ms on every window by default", () => {
    const c = clock(0);
    const limiter = createPlatformLimiter(loadConfig({}).delivery, { now: c.now });
    expect(limiter.tryAcquire("slack:channel:C1", "slack").ok).toBe(true);
    c.advance(1000);
    expect(limiter.tryAcquire("slack:channel:C1", "slack")).toMatchObject({ ok: false, retryInMs: 25 });
    c.advance(25);
    expect(limiter.tryAcquire("slack:channel:C1", "slack").ok).toBe(true);
  });

  it("after a 429, a window configured too high is scaled to what the platform accepted, and recovers slowly", () => {
    const c = clock(0);
    const limiter = new RateLimiter({ now: c.now }).define("k:", [{ limit: 20, windowMs: 1000 }]);
    // The platform really takes 10 per second: the 11th use in a second is refused.
    for (let i = 0; i < 10; i++) expect(limiter.tryAcquire("k:1", "slack").ok).toBe(true);
    limiter.throttled("k:1", "slack");
    c.advance(1000);
    expect(drain(limiter, "k:1", "slack").granted).toBe(9); // floor(20 × 10/20 × 0.95)
    c.advance(30_000);
    expect(drain(limiter, "k:1", "slack").granted).toBe(10); // + 5% of 20 per 30 s
    c.advance(10 * 30_000);
    expect(drain(limiter, "k:1", "slack").granted).toBe(20);
  });

  it("a 429 does not shrink a window that was far from its limit (another limit was hit)", () => {
    const c = clock(0);
    const limiter = new RateLimiter({ now: c.now }).define("k:", [{ limit: 20, windowMs: 1000 }]);
    expect(limiter.tryAcquire("k:1", "slack").ok).toBe(true);
    limiter.throttled("k:1", "slack");
    c.advance(1000);
    expect(drain(limiter, "k:1", "slack").granted).toBe(20);
  });
});

describe("lookahead: claim while the slot frees, send when it is there", () => {
  it("grants a reservation up to lookaheadMs before its room exists; confirmOrWait holds it until then", () => {
    const c = clock(0);
    const limiter = new RateLimiter({ now: c.now, lookaheadMs: 200 }).define("k:", [{ limit: 1, windowMs: 1000 }]);
    expect(limiter.tryAcquire("k:1", "slack").ok).toBe(true); // sent at 0: room again at 1000
    c.advance(700);
    expect(limiter.reserve("k:1", "slack")).toMatchObject({ ok: false, retryInMs: 100 }); // 900 would be too early
    c.advance(100);
    const early = limiter.reserve("k:1", "slack"); // at 800: room at 1000 is within 200 ms
    expect(early.ok).toBe(true);
    if (!early.ok) throw new Error("unreachable");
    expect(limiter.reserve("k:1", "slack").ok).toBe(false); // the pending one holds the slot
    expect(limiter.confirmOrWait(early.reservation)).toBe(200);
    c.advance(200);
    expect(limiter.confirmOrWait(early.reservation)).toBe(0); // recorded at 1000
    c.advance(999);
    expect(limiter.tryAcquire("k:1", "slack").ok).toBe(false);
    c.advance(1);
    expect(limiter.tryAcquire("k:1", "slack").ok).toBe(true);
  });
});
