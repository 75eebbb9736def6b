import type { Kysely, Transaction } from 'kysely';
import { isRetryableTransactionError } from './errors.js';

export interface TransactionOptions {
  /** Extra attempts after a serialization failure or deadlock (default 3). */
  retries?: number;
}

/**
 * Runs `fn` in one transaction. A deadlock or serialization failure rolls back and runs the
 * whole function again, so callers must keep side effects (HTTP calls) outside it.
 */
export async function inTransaction<DB, T>(
  db: Kysely<DB>,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (error) {
      if (attempt >= retries || !isRetryableTransactionError(error)) throw error;
      // Small randomised pause so the transactions that collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (attempt + 1)));
    }
  }
}
