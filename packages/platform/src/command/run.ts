import type { Kysely, Transaction } from 'kysely';
import { inTransaction, type TransactionOptions } from '../db/transaction.js';
import { metadataOf, type CommandContext } from './context.js';
import type { EventMetadata } from './metadata.js';

/*
 * The outbox reads the command's metadata from the transaction it is handed, so no feature
 * has to thread it to every event it writes. Keyed weakly by the transaction object: it is
 * gone with the transaction, and a write outside any command simply finds nothing.
 */
const commandMetadata = new WeakMap<object, EventMetadata>();

/** The metadata of the command running in `trx`, if it was opened by `runCommand`. */
export function commandMetadataOf(trx: object): EventMetadata | undefined {
  return commandMetadata.get(trx);
}

export interface RunCommandOptions extends TransactionOptions {
  /** Wakes the outbox's long-polls (the service's notifier) once the transaction has committed. */
  onCommitted?: () => void;
}

/**
 * One command = one transaction. Every outbox row written inside it carries the context's
 * request id, traceparent and actor; readers are woken only after the commit, so they never
 * look for rows that are not visible yet (or never will be, after a rollback).
 */
export async function runCommand<DB, T>(
  db: Kysely<DB>,
  context: CommandContext,
  fn: (trx: Transaction<DB>) => Promise<T>,
  options: RunCommandOptions = {},
): Promise<T> {
  const metadata = metadataOf(context);
  const result = await inTransaction(
    db,
    (trx) => {
      commandMetadata.set(trx, metadata);
      return fn(trx);
    },
    options,
  );
  options.onCommitted?.();
  return result;
}
