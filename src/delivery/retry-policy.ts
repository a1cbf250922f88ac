// When to try a failed delivery again, and when to give up on it.

export interface BackoffOptions {
  /** Ceiling of the first retry's delay. Default 2 s. */
  baseMs?: number;
  /** Largest delay ever returned. Default 15 min. */
  maxMs?: number;
  /** Uniform in [0, 1). Default Math.random; inject for tests. */
  random?: () => number;
}

/**
 * Delay before the next attempt after `attempt` failed attempts (1 = the first send
 * failed): exponential backoff with "full jitter", i.e. a uniformly random delay in
 * [0, min(maxMs, baseMs · 2^(attempt−1))). Full jitter spreads out retries from many
 * rows (or replicas) that failed together, so they do not return in lockstep; see
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/ . Teams
 * asks for exponential backoff with random jitter on 429/412/502/504. A platform's
 * Retry-After, when given, is a pause of the rate key and takes precedence.
 */
export function nextAttemptDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 2_000, maxMs = 15 * 60_000, random = Math.random } = options;
  if (!(baseMs > 0) || !(maxMs > 0)) throw new RangeError("baseMs and maxMs must be positive");
  // Past 2^52 · baseMs every cap is reached; NaN counts as a first attempt.
  const exponent = Number.isNaN(attempt) ? 0 : Math.min(Math.max(Math.floor(attempt), 1), 53) - 1;
  const ceiling = Math.min(maxMs, baseMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(r * ceiling), Math.max(0, Math.ceil(ceiling) - 1));
}

/** True when `attempts` made so far have used up `maxAttempts`: move the row to the dead letters. */
export function shouldDeadLetter(attempts: number, maxAttempts: number): boolean {
  return attempts >= Math.max(1, maxAttempts);
}
