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
  /**
   * Added to every window, to absorb the jitter between the moment a use is
   * recorded here and the moment the platform counts it (default 0). With 25 ms,
   * "100 per 1 s" is kept as "100 per 1.025 s".
   */
  guardMs?: number;
  /**
   * `reserve` grants a use when there will be room this many milliseconds from
   * now (default 0: now). The dispatcher claims and renders a message while its
   * slot frees, and `confirmOrWait` holds the request until the slot is there, so
   * the time it takes to claim and render is not lost from every window.
   */
  lookaheadMs?: number;
}

/**
 * A use granted by `reserve`: counted against its windows at once (as "pending"),
 * then `confirm`ed at the moment the request really leaves (recorded at that time,
 * so a row that waited between claim and send cannot crowd a later window), or
 * `release`d when nothing was sent.
 */
export interface Reservation {
  readonly logs: readonly WindowLog[];
  settled: boolean;
}

/** How long to wait when only reservations not yet sent fill a window. */
const PENDING_RETRY_MS = 10;
/** After a platform 429, a window's limit is scaled to what was really accepted; this much of it comes back per RECOVER_EVERY_MS. */
const RECOVER_STEP = 0.05;
const RECOVER_EVERY_MS = 30_000;
/** Keep a little below what the platform showed it accepts. */
const THROTTLE_MARGIN = 0.95;

/** How often, at most, idle keys and expired pauses are swept out. */
const SWEEP_INTERVAL_MS = 10_000;

/** The uses recorded against one set of windows, oldest first. */
export class WindowLog {
  readonly windows: readonly Window[];
  readonly maxWindowMs: number;
  private readonly times: number[] = [];
  /** Reserved uses not yet confirmed or released: they count in every window. */
  pending = 0;
  /** Scale of the limits after a platform 429 (1: as configured), and when it was set. */
  private throttleFactor = 1;
  private throttledAt = 0;

  constructor(windows: readonly Window[], guardMs = 0) {
    this.windows = windows.map((w) => ({ limit: w.limit, windowMs: w.windowMs + guardMs }));
    this.maxWindowMs = Math.max(0, ...this.windows.map((w) => w.windowMs));
  }

  private factor(now: number): number {
    if (this.throttleFactor >= 1) return 1;
    const recovered = this.throttleFactor + RECOVER_STEP * Math.floor((now - this.throttledAt) / RECOVER_EVERY_MS);
    return Math.min(1, recovered);
  }

  /**
   * 0 when every window has room at `at` (default `now`, never earlier), otherwise
   * the milliseconds from `at` until all do. Reservations not yet sent count as
   * uses unless `pending` is false.
   */
  waitMs(now: number, options: { at?: number; pending?: boolean } = {}): number {
    this.prune(now);
    const at = Math.max(now, options.at ?? now);
    const pending = options.pending === false ? 0 : this.pending;
    const times = this.times;
    const factor = this.factor(at);
    let wait = 0;
    for (const w of this.windows) {
      const limit = factor < 1 ? Math.max(1, Math.floor(w.limit * factor)) : w.limit;
      // Uses at t count in the window while t > at - windowMs.
      const first = firstAfter(times, at - w.windowMs);
      const recorded = times.length - first;
      const inWindow = recorded + pending;
      if (inWindow >= limit) {
        // Room returns when enough recorded uses leave the window; reservations leave only once sent.
        const mustLeave = inWindow - limit + 1;
        if (mustLeave > recorded) wait = Math.max(wait, PENDING_RETRY_MS);
        else wait = Math.max(wait, (times[first + mustLeave - 1] as number) + w.windowMs - at);
      }
    }
    return wait;
  }

  /**
   * The platform refused a use (429): scale this log's limits down to what its
   * shortest window really held when that happened, a little below, and let
   * them come back slowly. A log nowhere near its limit (not the one the
   * platform enforced) is left alone.
   */
  throttle(now: number): void {
    this.prune(now);
    const w = this.windows.reduce((a, b) => (b.windowMs < a.windowMs ? b : a));
    const held = this.times.length - firstAfter(this.times, now - w.windowMs);
    const observed = held / w.limit;
    const factor = this.factor(now);
    if (observed < 0.5 * factor) return;
    this.throttleFactor = Math.max(0.05, Math.min(factor, observed * THROTTLE_MARGIN));
    this.throttledAt = now;
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
    return this.times.length === 0 && this.pending === 0 && this.factor(now) >= 1;
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
  private readonly guardMs: number;
  private readonly lookaheadMs: number;
  private readonly rules: { matches: (rateKey: string) => boolean; windows: Window[] }[] = [];
  private readonly globals = new Map<RatePlatform, WindowLog>();
  private readonly keys = new Map<string, WindowLog>();
  private readonly pauses = new Map<string, number>();
  private lastSweep: number;

  constructor(options: RateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.guardMs = Math.max(0, options.guardMs ?? 0);
    this.lookaheadMs = Math.max(0, options.lookaheadMs ?? 0);
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
    if (checked.length > 0) this.globals.set(platform, new WindowLog(checked, this.guardMs));
    else this.globals.delete(platform);
    return this;
  }

  /**
   * Take one use of `rateKey` now if its own windows, its platform's global windows
   * and any pause allow it, recording it in all of them; otherwise record nothing
   * and say how long to wait (exact while nobody else uses the shared windows).
   */
  tryAcquire(rateKey: string, platform: RatePlatform): AcquireResult {
    // Recorded at once, so granted only when there is room now (no lookahead).
    const result = this.reserve(rateKey, platform, { lookahead: false });
    if (!result.ok) return result;
    this.confirm(result.reservation);
    return { ok: true };
  }

  /**
   * Like tryAcquire, but the use is only reserved: it counts at once, and is
   * recorded at the time of `confirm` (call it right before the request leaves)
   * or dropped by `release`.
   */
  reserve(
    rateKey: string,
    platform: RatePlatform,
    options: { lookahead?: boolean } = {},
  ): { ok: true; reservation: Reservation } | { ok: false; retryInMs: number; reason: "rate" | "paused" } {
    const now = this.now();
    this.maybeSweep(now);
    const pausedMs = Math.max(this.pausedMs(rateKey, now), this.pausedMs(platform, now));
    const own = this.keys.get(rateKey);
    const ownWindows = own ? undefined : this.rules.find((r) => r.matches(rateKey))?.windows;
    const global = this.globals.get(platform);
    const at = now + (options.lookahead === false ? 0 : this.lookaheadMs);
    const rateMs = Math.max(own?.waitMs(now, { at }) ?? 0, global?.waitMs(now, { at }) ?? 0);
    if (pausedMs > 0 || rateMs > 0) {
      return {
        ok: false,
        retryInMs: Math.max(1, Math.ceil(Math.max(pausedMs, rateMs))),
        reason: rateMs > pausedMs ? "rate" : "paused",
      };
    }
    let log = own;
    if (!log && ownWindows && ownWindows.length > 0) {
      log = new WindowLog(ownWindows, this.guardMs);
      this.keys.set(rateKey, log);
    }
    const logs = [log, global].filter((l): l is WindowLog => l !== undefined);
    for (const l of logs) l.pending++;
    return { ok: true, reservation: { logs, settled: false } };
  }

  /** The reserved request is leaving now: record the use at this moment. */
  confirm(reservation: Reservation): void {
    if (reservation.settled) return;
    reservation.settled = true;
    const now = this.now();
    for (const l of reservation.logs) {
      l.pending = Math.max(0, l.pending - 1);
      l.record(now);
    }
  }

  /**
   * The reserved request is ready to leave: if the windows have room now (counting
   * only uses already sent), record it and return 0; otherwise record nothing and
   * return how many milliseconds to wait before asking again. With `lookaheadMs`,
   * a reservation can be granted a little before its room exists; this is where it
   * waits for it.
   */
  confirmOrWait(reservation: Reservation): number {
    if (reservation.settled) return 0;
    const now = this.now();
    let wait = 0;
    for (const l of reservation.logs) wait = Math.max(wait, l.waitMs(now, { pending: false }));
    if (wait > 0) return Math.max(1, Math.ceil(wait));
    this.confirm(reservation);
    return 0;
  }

  /** Nothing was sent: give the reserved use back. */
  release(reservation: Reservation): void {
    if (reservation.settled) return;
    reservation.settled = true;
    for (const l of reservation.logs) l.pending = Math.max(0, l.pending - 1);
  }

  /**
   * The platform answered 429 for `rateKey`: besides the pause (see `pause`), the
   * windows this key counts against learn the rate the platform really allows
   * (see WindowLog.throttle), so a limit configured too high stops tripping 429s.
   */
  throttled(rateKey: string, platform: RatePlatform): void {
    const now = this.now();
    this.keys.get(rateKey)?.throttle(now);
    this.globals.get(platform)?.throttle(now);
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

/** The platform limiter's default guard (see RateLimiterOptions.guardMs). */
export const DEFAULT_GUARD_MS = 25;
/**
 * The platform limiter's default lookahead (see RateLimiterOptions.lookaheadMs): off.
 * Measured (bench, 2 cores): 250 ms raised the Teams fan-out from 0.927 to 0.944 of the
 * allowed rate but, sending right at the edge of every window, let event-loop jitter
 * past the 25 ms guard: 32 429s where there were none.
 */
export const DEFAULT_LOOKAHEAD_MS = 0;

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
  return new RateLimiter({ guardMs: DEFAULT_GUARD_MS, lookaheadMs: DEFAULT_LOOKAHEAD_MS, ...options })
    .define("slack:channel:", rates.slackChannel)
    .define((key) => key.startsWith("slack:") && key.endsWith(":dm"), rates.slackDm)
    .define("teams:conversation:", rates.teamsConversation)
    .define("slack:", rates.slackChannel)
    .define("teams:", rates.teamsConversation)
    .defineGlobal("slack", rates.slackWorkspace)
    .defineGlobal("teams", rates.teamsApp);
}
