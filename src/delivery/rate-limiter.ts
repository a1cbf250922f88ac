// In-process rate limiting for outbound platform calls: a sliding-window log per
// rate key plus one shared log per platform, so the dispatcher can ask "may I send
// to this key now?" and, if not, "how long until I may?".
//
// Every key gets the windows of the first rule that matches it (per-key limits);
// every key of a platform also counts against that platform's global windows. An
// acquire is granted only if ALL of them have room, and is then recorded in all of
// them at once; a refused acquire records nothing.
//
// The limiter lives in one process. With several replicas each one enforces the
// limits on its own (divide the configured rates by the replica count if that
// matters); pauses after a platform 429 are shared through the rate_limit_pauses
// table by the dispatcher and fed in here with `pause`.
//
// Published limits behind the defaults (src/config.ts; all overridable by env):
// - Slack, chat.postMessage is a "special tier" method: "generally allows posting one
//   message per second per channel, while also maintaining a workspace-wide limit";
//   posting messages: "1 per second, short bursts >1 allowed" (no guarantee bursts
//   are delivered). https://docs.slack.dev/apis/web-api/rate-limits
//   → channel `1/1s,3/3s` (1 a second with a burst of up to 3). Each DM is its own
//   conversation, so DMs to different people may go faster; Slack publishes no number
//   for the workspace-wide limit, so DMs (`20/1s`) and all Slack calls (`50/1s`)
//   get conservative caps of our own choosing, and a 429's Retry-After still wins.
// - Teams, "per bot per thread limit", Send to conversation: 7 per 1 s, 8 per 2 s,
//   60 per 30 s, 1800 per 3600 s; "the global limit per app per tenant is 30 Requests
//   Per Second" (older revisions said 50).
//   https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
//   → conversation `7/1s,8/2s,60/30s,1800/1h`, app `30/1s`.
import type { TDeliveryConfig, Window } from "../config.js";

export type { Window } from "../config.js";

export type RatePlatform = "slack" | "teams";

/** Which keys a rule covers: a key prefix, a pattern, or a predicate. */
export type KeyMatcher = string | RegExp | ((rateKey: string) => boolean);

export type AcquireResult =
  | { ok: true }
  /** Try again no sooner than `retryInMs` (≥ 1) from now; nothing was recorded. */
  | { ok: false; retryInMs: number; reason: "rate" | "paused" };

export interface RateLimiterOptions {
  /** Epoch milliseconds (pauses are absolute times). Default: Date.now. */
  now?: () => number;
}

/** How often, at most, idle keys and expired pauses are swept out. */
const SWEEP_INTERVAL_MS = 10_000;

/** The uses recorded against one set of windows, oldest first. */
class WindowLog {
  readonly windows: readonly Window[];
  readonly maxWindowMs: number;
  private readonly times: number[] = [];

  constructor(windows: readonly Window[]) {
    this.windows = windows;
    this.maxWindowMs = Math.max(0, ...windows.map((w) => w.windowMs));
  }

  /** 0 when every window has room at `now`, otherwise the milliseconds until all do. */
  waitMs(now: number): number {
    this.prune(now);
    const times = this.times;
    let wait = 0;
    for (const { limit, windowMs } of this.windows) {
      // Uses at t count in the window while t > now - windowMs.
      const inWindow = times.length - firstAfter(times, now - windowMs);
      if (inWindow >= limit) {
        // Room returns when the limit-th most recent use leaves the window.
        const blocker = times[times.length - limit] as number;
        wait = Math.max(wait, blocker + windowMs - now);
      }
    }
    return wait;
  }

  record(now: number): void {
    const times = this.times;
    // Keep the log sorted even if the clock stepped back.
    let i = times.length;
    while (i > 0 && (times[i - 1] as number) > now) i--;
    times.splice(i, 0, now);
  }

  /** True when nothing recorded can matter any more. */
  isIdle(now: number): boolean {
    this.prune(now);
    return this.times.length === 0;
  }

  private prune(now: number): void {
    const stale = firstAfter(this.times, now - this.maxWindowMs);
    if (stale > 0) this.times.splice(0, stale);
  }
}

/** Index of the first element of the sorted `times` greater than `t`. */
function firstAfter(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function checkWindows(windows: readonly Window[]): Window[] {
  for (const w of windows) {
    if (!Number.isInteger(w.limit) || w.limit < 1 || !Number.isFinite(w.windowMs) || w.windowMs <= 0) {
      throw new RangeError(`invalid rate window ${JSON.stringify(w)}: limit must be a whole number ≥ 1, windowMs > 0`);
    }
  }
  return windows.map((w) => ({ limit: w.limit, windowMs: w.windowMs }));
}

function toPredicate(match: KeyMatcher): (rateKey: string) => boolean {
  if (typeof match === "string") return (key) => key.startsWith(match);
  if (match instanceof RegExp) {
    const pattern = new RegExp(match.source, match.flags.replace(/[gy]/g, "")); // stateless test()
    return (key) => pattern.test(key);
  }
  return match;
}

export class RateLimiter {
  private readonly now: () => number;
  private readonly rules: { matches: (rateKey: string) => boolean; windows: Window[] }[] = [];
  private readonly globals = new Map<RatePlatform, WindowLog>();
  private readonly keys = new Map<string, WindowLog>();
  private readonly pauses = new Map<string, number>();
  private lastSweep: number;

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.lastSweep = this.now();
  }

  /**
   * Per-key windows for every key `match` covers (a string is a key prefix). The
   * first matching rule, in definition order, applies; keys no rule matches are
   * limited only by their platform's global windows. Define rules before use.
   */
  define(match: KeyMatcher, windows: readonly Window[]): this {
    this.rules.push({ matches: toPredicate(match), windows: checkWindows(windows) });
    return this;
  }

  /** Windows shared by all keys of `platform` (e.g. Teams app-wide 30/s). Replaces earlier ones; [] = none. */
  defineGlobal(platform: RatePlatform, windows: readonly Window[]): this {
    const checked = checkWindows(windows);
    if (checked.length > 0) this.globals.set(platform, new WindowLog(checked));
    else this.globals.delete(platform);
    return this;
  }

  /**
   * Take one use of `rateKey` now if its own windows, its platform's global windows
   * and any pause allow it, recording it in all of them; otherwise record nothing
   * and say how long to wait (exact while nobody else uses the shared windows).
   */
  tryAcquire(rateKey: string, platform: RatePlatform): AcquireResult {
    const now = this.now();
    this.maybeSweep(now);
    const pausedMs = Math.max(this.pausedMs(rateKey, now), this.pausedMs(platform, now));
    const own = this.keys.get(rateKey);
    const ownWindows = own ? undefined : this.rules.find((r) => r.matches(rateKey))?.windows;
    const global = this.globals.get(platform);
    const rateMs = Math.max(own?.waitMs(now) ?? 0, global?.waitMs(now) ?? 0);
    if (pausedMs > 0 || rateMs > 0) {
      return {
        ok: false,
        retryInMs: Math.max(1, Math.ceil(Math.max(pausedMs, rateMs))),
        reason: rateMs > pausedMs ? "rate" : "paused",
      };
    }
    let log = own;
    if (!log && ownWindows && ownWindows.length > 0) {
      log = new WindowLog(ownWindows);
      this.keys.set(rateKey, log);
    }
    log?.record(now);
    global?.record(now);
    return { ok: true };
  }

  /**
   * Refuse `rateKey` until `untilMs` (epoch ms), e.g. after a 429 with Retry-After.
   * Pausing a platform name ("slack" / "teams") pauses every key of that platform.
   * An earlier pause that lasts longer is kept.
   */
  pause(rateKey: string, untilMs: number): void {
    if (!(untilMs > this.now())) return;
    this.pauses.set(rateKey, Math.max(untilMs, this.pauses.get(rateKey) ?? 0));
  }

  /** Whether `rateKey` (or, when given, its whole platform) is paused now. */
  isPaused(rateKey: string, platform?: RatePlatform): boolean {
    const now = this.now();
    return this.pausedMs(rateKey, now) > 0 || (platform !== undefined && this.pausedMs(platform, now) > 0);
  }

  /** How many keys are remembered (uses or pauses); for tests and metrics. */
  get trackedKeys(): number {
    return new Set([...this.keys.keys(), ...this.pauses.keys()]).size;
  }

  /** Forget keys idle longer than their largest window, and pauses that are over. */
  sweep(): void {
    const now = this.now();
    this.lastSweep = now;
    for (const [key, log] of this.keys) if (log.isIdle(now)) this.keys.delete(key);
    for (const [key, until] of this.pauses) if (until <= now) this.pauses.delete(key);
  }

  private maybeSweep(now: number): void {
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS || now < this.lastSweep) this.sweep();
  }

  private pausedMs(key: string, now: number): number {
    const until = this.pauses.get(key);
    if (until === undefined) return 0;
    if (until <= now) {
      this.pauses.delete(key);
      return 0;
    }
    return until - now;
  }
}

/** The window lists `createPlatformLimiter` needs (`config.delivery` has them). */
export type DeliveryRates = Pick<
  TDeliveryConfig,
  "slackChannel" | "slackDm" | "slackWorkspace" | "teamsConversation" | "teamsApp"
>;

/**
 * The limiter for the rate keys outbox rows carry:
 * - `slack:channel:<channelId>` → `slackChannel` per channel;
 * - `slack:<teamId>:dm` (any `slack:…:dm`) → `slackDm`, one budget for all DMs of the workspace;
 * - `teams:conversation:<conversationId>` → `teamsConversation` per conversation;
 * - any other `slack:…` / `teams:…` key (the outbox default is `<platform>:<target>`, one
 *   channel or conversation) → the channel / conversation windows, to be safe;
 * plus `slackWorkspace` across all Slack keys and `teamsApp` across all Teams keys.
 */
export function createPlatformLimiter(rates: DeliveryRates, options: RateLimiterOptions = {}): RateLimiter {
  return new RateLimiter(options)
    .define("slack:channel:", rates.slackChannel)
    .define((key) => key.startsWith("slack:") && key.endsWith(":dm"), rates.slackDm)
    .define("teams:conversation:", rates.teamsConversation)
    .define("slack:", rates.slackChannel)
    .define("teams:", rates.teamsConversation)
    .defineGlobal("slack", rates.slackWorkspace)
    .defineGlobal("teams", rates.teamsApp);
}
