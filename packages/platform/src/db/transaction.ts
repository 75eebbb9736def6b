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
  return withTransactionRetries(() => db.transaction().execute(fn), options);
}

/**
 * Runs `attempt` again after a deadlock or serialization failure, as `inTransaction` does: for
 * a command that is one autocommitted statement (a stored function), with no transaction around it.
 */
export async function withTransactionRetries<T>(attempt: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  const retries = options.retries ?? 3;
  for (let tried = 0; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= retries || !isRetryableTransactionError(error)) throw error;
      // Small randomised pause so the transactions that collided do not collide again.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * (tried + 1)));
    }
  }
}
