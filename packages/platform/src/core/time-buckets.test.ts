import { describe, expect, it } from 'vitest';
import { isAppError } from './errors.js';
import { timeBuckets } from './time-buckets.js';

describe('timeBuckets', () => {
  it('cuts the window into epoch-aligned buckets, the last 24 hours by default', () => {
    const now = Date.parse('2026-03-01T10:20:00Z');
    const window = timeBuckets({ bucketMinutes: 60 }, now);
    expect(window.to.toISOString()).toBe('2026-03-01T10:20:00.000Z');
    expect(window.starts).toHaveLength(25);
    expect(new Date(window.starts[0]!).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(new Date(window.starts.at(-1)!).toISOString()).toBe('2026-03-01T10:00:00.000Z');
  });

  it('refuses a backwards window and one of more than 500 buckets, with one code', () => {
    for (const query of [
      { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z', bucketMinutes: 60 },
      { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z', bucketMinutes: 1 },
    ]) {
      const thrown = (() => {
        try {
          timeBuckets(query, 0);
        } catch (error) {
          return error;
        }
      })();
      expect(isAppError(thrown) && thrown.code).toBe('TIME_RANGE_INVALID');
    }
  });
});
