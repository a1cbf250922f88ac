// Rate limits as a platform enforces them, for the local fakes of Slack and the
// Bot Connector: a sliding window of accepted calls per key. A call beyond any
// window is refused (the fake answers 429 with Retry-After) and is not counted,
// like a platform that drops the request. Kept independent of the dispatcher's
// own limiter (src/delivery/rate-limiter.ts) on purpose: the benchmarks judge
// that limiter against this one.

export interface EnforcedWindow {
  limit: number;
  windowMs: number;
}

/** "1/1s,3/3s" style, as in the app's env (s, m, h units). */
export function parseWindows(spec: string): EnforcedWindow[] {
  return spec
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(\d+)\s*\/\s*(\d*)\s*(ms|s|m|h)$/.exec(part);
      if (!m) throw new Error(`bad rate window "${part}" (expected e.g. 20/1s)`);
      const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[3] as "ms" | "s" | "m" | "h"];
      return { limit: Number(m[1]), windowMs: Number(m[2] || "1") * unit };
    });
}

export class EnforcedLimit {
  private readonly accepted = new Map<string, number[]>();
  private readonly maxWindowMs: number;

  constructor(readonly windows: readonly EnforcedWindow[]) {
    this.maxWindowMs = Math.max(0, ...windows.map((w) => w.windowMs));
  }

  /** Milliseconds until `key` may be used again at `now` (0: it may, now). Records nothing. */
  waitMs(key: string, now: number): number {
    const times = this.accepted.get(key);
    if (!times) return 0;
    while (times.length > 0 && (times[0] as number) <= now - this.maxWindowMs) times.shift();
    let wait = 0;
    for (const { limit, windowMs } of this.windows) {
      let inWindow = 0;
      for (let i = times.length - 1; i >= 0 && (times[i] as number) > now - windowMs; i--) inWindow++;
      if (inWindow >= limit) wait = Math.max(wait, (times[times.length - limit] as number) + windowMs - now);
    }
    return wait;
  }

  record(key: string, now: number): void {
    const times = this.accepted.get(key) ?? [];
    times.push(now);
    this.accepted.set(key, times);
  }
}

/**
 * Check every (limit, key) pair; if all have room, record the call in each and
 * return 0, otherwise record nothing and return the longest wait in ms.
 */
export function admit(checks: readonly (readonly [EnforcedLimit | undefined, string])[], now = Date.now()): number {
  let wait = 0;
  for (const [limit, key] of checks) if (limit) wait = Math.max(wait, limit.waitMs(key, now));
  if (wait > 0) return wait;
  for (const [limit, key] of checks) limit?.record(key, now);
  return 0;
}
