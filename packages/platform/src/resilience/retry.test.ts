import { describe, expect, it } from 'vitest';
import { retry } from './retry.js';

const fast = { baseMs: 1, capMs: 5 };

describe('retry', () => {
  it('retries errors until one attempt succeeds', async () => {
    const seen: number[] = [];
    const result = await retry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error(`fail ${attempt}`);
        return 'done';
      },
      { ...fast, maxAttempts: 5 },
    );
    expect(result).toBe('done');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('gives up after maxAttempts and throws the last error unchanged', async () => {
    let calls = 0;
    const last = new Error('still down');
    await expect(
      retry(
        async () => {
          calls++;
          throw calls === 4 ? last : new Error('down');
        },
        { ...fast, maxAttempts: 4 },
      ),
    ).rejects.toBe(last);
    expect(calls).toBe(4);
  });

  it('retries results shouldRetry rejects and returns the last one when attempts run out', async () => {
    let calls = 0;
    const result = await retry(async () => ({ status: 503, n: ++calls }), {
      ...fast,
      maxAttempts: 3,
      shouldRetry: (o) => o.ok && o.result.status === 503,
    });
    expect(result).toEqual({ status: 503, n: 3 });
  });

  it('does not retry an error shouldRetry refuses', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('validation');
        },
        { ...fast, maxAttempts: 5, shouldRetry: () => false },
      ),
    ).rejects.toThrow('validation');
    expect(calls).toBe(1);
  });

  it('uses a server-requested delay, capped at capMs', async () => {
    const delays: number[] = [];
    await retry(async (attempt) => attempt, {
      baseMs: 1,
      capMs: 20,
      maxAttempts: 2,
      shouldRetry: (o) => o.ok && o.result === 1,
      retryAfterMs: () => 120_000,
      onRetry: ({ delayMs }) => delays.push(delayMs),
    });
    expect(delays).toEqual([20]);
  });

  it('draws jittered delays from the injected random source', async () => {
    const delays: number[] = [];
    await retry(
      async (attempt) => {
        if (attempt < 4) throw new Error('x');
      },
      { baseMs: 2, capMs: 100, factor: 3, maxAttempts: 4, random: () => 0.5, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(delays).toEqual([1, 3, 9]);
  });

  it('stops waiting when the signal aborts and rejects with its reason', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const started = Date.now();
    const pending = retry(
      async () => {
        throw new Error('down');
      },
      {
        baseMs: 30_000,
        capMs: 30_000,
        maxAttempts: 3,
        random: () => 0.99,
        signal: controller.signal,
        onRetry: () => setTimeout(() => controller.abort(reason), 10),
      },
    );
    await expect(pending).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('does not start a wait that would outlast the remaining budget', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new Error('down');
        },
        { baseMs: 1000, capMs: 1000, maxAttempts: 5, random: () => 0.9, remainingMs: () => 50 },
      ),
    ).rejects.toThrow('down');
    expect(calls).toBe(1);
  });
});
