import { backoffDelay, type BackoffOptions } from './backoff.js';
import { abortReason, sleep } from './sleep.js';

/*
 * Why a small loop and not cockatiel's `retry(handleWhen(...), { backoff })`:
 *  - we need full jitter with an injectable random source (cockatiel's generators call
 *    Math.random directly, so the delays cannot be pinned in tests);
 *  - a result (not only an error) may carry its own delay (an upstream's Retry-After), which
 *    cockatiel can only express through a hand-written IBackoff threaded through its state;
 *  - the wait between attempts must end when the caller's signal fires and must be skipped
 *    when it would overrun the caller's remaining budget;
 *  - cockatiel's `maxAttempts` counts retries, ours counts tries; mixing the two meanings in
 *    one codebase is how the original system ended up retrying one time too many.
 * The loop is ~40 lines and has no state worth a library.
 */

/** What one attempt produced, so `shouldRetry` can judge errors and results alike. */
export type RetryOutcome<T> = { ok: true; result: T; attempt: number } | { ok: false; error: unknown; attempt: number };

export interface RetryOptions<T> extends BackoffOptions {
  /** Total tries including the first; 1 disables retrying. */
  maxAttempts: number;
  /** Default: retry every error, accept every result. */
  shouldRetry?: (outcome: RetryOutcome<T>) => boolean;
  /** A server-requested delay (e.g. Retry-After) that replaces the jittered one, capped at capMs. */
  retryAfterMs?: (outcome: RetryOutcome<T>) => number | undefined;
  /** Stops waiting and retrying; the loop rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Time left in the caller's budget: a retry whose wait would use it all up is not made. */
  remainingMs?: () => number;
  random?: () => number;
  onRetry?: (event: { attempt: number; delayMs: number; outcome: RetryOutcome<T> }) => void;
}

const retryErrors = (outcome: RetryOutcome<unknown>) => !outcome.ok;

/**
 * Calls `fn` until it yields an outcome `shouldRetry` accepts or attempts run out. When they
 * run out, the last outcome stands: its result is returned or its error thrown, unchanged, so
 * callers see the upstream's real answer rather than a wrapper.
 */
export async function retry<T>(fn: (attempt: number, signal?: AbortSignal) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  const { signal } = options;
  const shouldRetry = options.shouldRetry ?? retryErrors;
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts));

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw abortReason(signal);
    let outcome: RetryOutcome<T>;
    try {
      outcome = { ok: true, result: await fn(attempt, signal), attempt };
    } catch (error) {
      outcome = { ok: false, error, attempt };
    }

    const settle = (): T => {
      if (outcome.ok) return outcome.result;
      throw outcome.error;
    };
    if (attempt >= maxAttempts || signal?.aborted || !shouldRetry(outcome)) return settle();

    const hinted = options.retryAfterMs?.(outcome);
    const delayMs =
      hinted !== undefined ? Math.min(Math.max(0, hinted), Math.max(0, options.capMs)) : backoffDelay(attempt - 1, options, options.random);
    if (options.remainingMs && delayMs >= options.remainingMs()) return settle();

    options.onRetry?.({ attempt, delayMs, outcome });
    await sleep(delayMs, signal);
  }
}
