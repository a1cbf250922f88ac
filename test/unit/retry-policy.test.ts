import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { nextAttemptDelayMs, shouldDeadLetter } from "../../src/delivery/retry-policy.js";

describe("nextAttemptDelayMs", () => {
  it("doubles the ceiling each attempt from baseMs, up to maxMs", () => {
    const top = () => 0.999_999_999;
    expect(nextAttemptDelayMs(1, { random: top })).toBe(1999);
    expect(nextAttemptDelayMs(2, { random: top })).toBe(3999);
    expect(nextAttemptDelayMs(3, { random: top })).toBe(7999);
    expect(nextAttemptDelayMs(20, { random: top })).toBe(15 * 60_000 - 1);
    expect(nextAttemptDelayMs(10_000, { random: top })).toBe(15 * 60_000 - 1);
    expect(nextAttemptDelayMs(Number.POSITIVE_INFINITY, { random: top })).toBe(15 * 60_000 - 1);
    expect(nextAttemptDelayMs(4, { baseMs: 100, maxMs: 500, random: top })).toBe(499);
  });

  it("is fully jittered: anywhere from 0 up to the ceiling", () => {
    expect(nextAttemptDelayMs(5, { random: () => 0 })).toBe(0);
    expect(nextAttemptDelayMs(5, { random: () => 0.5 })).toBe(16_000);
    // A broken random() returning 1 still stays below the ceiling.
    expect(nextAttemptDelayMs(1, { random: () => 1 })).toBe(1999);
  });

  it("treats attempts below 1 (and NaN) as the first", () => {
    const half = () => 0.5;
    expect(nextAttemptDelayMs(0, { random: half })).toBe(1000);
    expect(nextAttemptDelayMs(-3, { random: half })).toBe(1000);
    expect(nextAttemptDelayMs(Number.NaN, { random: half })).toBe(1000);
  });

  it("always returns a whole number of ms in [0, min(maxMs, baseMs·2^(attempt-1)))", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 60_000 }),
        fc.integer({ min: 1, max: 3_600_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseMs, maxMs, r) => {
          const d = nextAttemptDelayMs(attempt, { baseMs, maxMs, random: () => r });
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThan(Math.min(maxMs, baseMs * 2 ** (attempt - 1)));
        },
      ),
    );
  });

  it("uses Math.random by default and rejects nonsense options", () => {
    const d = nextAttemptDelayMs(3);
    expect(d).toBeGreaterThanOrEqual(0);
    expect(d).toBeLessThan(8000);
    expect(() => nextAttemptDelayMs(1, { baseMs: 0 })).toThrow(RangeError);
    expect(() => nextAttemptDelayMs(1, { maxMs: -1 })).toThrow(RangeError);
  });
});

describe("shouldDeadLetter", () => {
  it("gives up once the attempts made reach the maximum", () => {
    expect(shouldDeadLetter(7, 8)).toBe(false);
    expect(shouldDeadLetter(8, 8)).toBe(true);
    expect(shouldDeadLetter(9, 8)).toBe(true);
    expect(shouldDeadLetter(0, 1)).toBe(false);
    expect(shouldDeadLetter(1, 1)).toBe(true);
    expect(shouldDeadLetter(1, 0)).toBe(true); // a max below 1 still allows one attempt
  });
});
