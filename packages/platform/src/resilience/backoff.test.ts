import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCeiling, backoffDelay } from './backoff.js';
import { parseRetryAfter, retryAfterSeconds } from './retry-after.js';

describe('backoffDelay', () => {
  it('always lies within [0, min(cap, base * factor^attempt)]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, baseMs, capMs, factor, draw) => {
          const delay = backoffDelay(attempt, { baseMs, capMs, factor }, () => draw);
          // 0 * Infinity is NaN in the naive formula; a zero base means no wait at all.
          const bound = baseMs === 0 ? 0 : Math.min(capMs, baseMs * Math.pow(factor, attempt));
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(bound);
          expect(Number.isFinite(delay)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('scales the random draw by the ceiling (full jitter)', () => {
    const options = { baseMs: 100, capMs: 10_000, factor: 2 };
    expect(backoffDelay(0, options, () => 0)).toBe(0);
    expect(backoffDelay(0, options, () => 0.5)).toBe(50);
    expect(backoffDelay(3, options, () => 0.5)).toBe(400);
    expect(backoffDelay(20, options, () => 0.5)).toBe(5000);
  });

  it('clamps a random source that strays outside [0, 1)', () => {
    const options = { baseMs: 100, capMs: 1000 };
    expect(backoffDelay(2, options, () => 7)).toBe(400);
    expect(backoffDelay(2, options, () => -3)).toBe(0);
  });

  it('computes the ceiling without overflowing to NaN', () => {
    expect(backoffCeiling(5000, { baseMs: 100, capMs: 30_000 })).toBe(30_000);
    expect(backoffCeiling(5000, { baseMs: 0, capMs: 30_000 })).toBe(0);
    expect(backoffCeiling(0, { baseMs: 100, capMs: 30_000 })).toBe(100);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP-dates as milliseconds', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter(new Date(now + 10_000).toUTCString(), now)).toBe(10_000);
    expect(parseRetryAfter(new Date(now - 10_000).toUTCString(), now)).toBe(0);
  });

  it('ignores missing or garbage values', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-5')).toBeUndefined();
  });

  it('formats whole seconds, never zero', () => {
    expect(retryAfterSeconds(0)).toBe('1');
    expect(retryAfterSeconds(1001)).toBe('2');
    expect(retryAfterSeconds(60_000)).toBe('60');
  });
});
