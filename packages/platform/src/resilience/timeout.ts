import { AppError } from '../core/errors.js';
import { abortReason } from './sleep.js';

export interface TimeoutOptions {
  /** A caller's own signal (shutdown, client disconnect); aborting it aborts the operation too. */
  signal?: AbortSignal;
  /** Named in the error so a 504 says which dependency was slow. */
  operation?: string;
}

/**
 * Runs `fn` with a signal that fires after `ms` and rejects with
 * AppError('timeout', 'UPSTREAM_TIMEOUT') at that moment even if `fn` ignores its signal:
 * the caller's budget is what matters, and a misbehaving operation must not be able to hang
 * the request that is waiting for it.
 */
export async function withTimeout<T>(fn: (signal: AbortSignal) => Promise<T>, ms: number, options: TimeoutOptions = {}): Promise<T> {
  const { signal: parent, operation } = options;
  if (parent?.aborted) throw abortReason(parent);

  const controller = new AbortController();
  const timeoutError = new AppError('timeout', 'UPSTREAM_TIMEOUT', `${operation ?? 'Operation'} did not complete within ${ms} ms`, {
    details: { timeoutMs: ms, ...(operation === undefined ? {} : { operation }) },
  });

  let timer: NodeJS.Timeout | undefined;
  let onParentAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => {
        controller.abort(timeoutError);
        reject(timeoutError);
      },
      Math.max(0, ms),
    );
    if (parent) {
      onParentAbort = () => {
        controller.abort(abortReason(parent));
        reject(abortReason(parent));
      };
      parent.addEventListener('abort', onParentAbort, { once: true });
    }
  });

  try {
    return await Promise.race([fn(controller.signal), stopped]);
  } finally {
    clearTimeout(timer);
    if (onParentAbort) parent?.removeEventListener('abort', onParentAbort);
  }
}
