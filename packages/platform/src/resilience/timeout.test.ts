import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { withTimeout } from './timeout.js';

describe('withTimeout', () => {
  it('returns the result when the operation is quick', async () => {
    await expect(withTimeout(async () => 42, 1000)).resolves.toBe(42);
  });

  it('aborts the operation and throws UPSTREAM_TIMEOUT (504) when time runs out', async () => {
    let seenSignal: AbortSignal | undefined;
    const error = await withTimeout(
      (signal) => {
        seenSignal = signal;
        return new Promise<never>(() => undefined);
      },
      30,
      { operation: 'GET erp/lots' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ category: 'timeout', code: 'UPSTREAM_TIMEOUT', status: 504 });
    expect((error as AppError).details).toEqual({ timeoutMs: 30, operation: 'GET erp/lots' });
    expect(seenSignal?.aborted).toBe(true);
  });

  it('follows a parent signal', async () => {
    const parent = new AbortController();
    const reason = new Error('client went away');
    const pending = withTimeout(() => new Promise<never>(() => undefined), 60_000, { signal: parent.signal });
    parent.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('passes the operation error through unchanged', async () => {
    const boom = new Error('boom');
    await expect(withTimeout(async () => Promise.reject(boom), 1000)).rejects.toBe(boom);
  });
});
