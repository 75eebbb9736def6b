import { commandContextOf, runCommand as runKernelCommand, type CommandContext } from '@tributary/platform/command';
import type { Clock, Logger } from '@tributary/platform/core';
import { withTransactionRetries, type Kysely, type Transaction } from '@tributary/platform/db';
import type { FastifyRequest } from 'fastify';
import { translateDbError } from '../db/errors.js';
import type { ProcessingDb } from '../db/schema.js';

/** What every feature needs; built once in app.ts. */
export interface FeatureDeps {
  db: Kysely<ProcessingDb>;
  clock: Clock;
  logger: Logger;
  /** Called after a commit that wrote events, so outbox long-polls answer at once. */
  eventsCommitted(): void;
}

/** Who acts, in which request and trace: built once per request, carried by every write it causes. */
export function commandOf(request: FastifyRequest, deps: Pick<FeatureDeps, 'clock'>): CommandContext {
  return commandContextOf(request, deps.clock);
}

/** The acting user a payload names (trader decisions), or null when a service or job acted. */
export function userOf(context: CommandContext): string | null {
  return context.actor.type === 'user' ? context.actor.id : null;
}

/**
 * One transaction per command (retried on deadlock or serialization failure, refusals
 * translated), its events stamped with the command's metadata, outbox readers woken after commit.
 */
export async function runCommand<T>(
  deps: FeatureDeps,
  context: CommandContext,
  fn: (trx: Transaction<ProcessingDb>) => Promise<T>,
): Promise<T> {
  try {
    return await runKernelCommand(deps.db, context, fn, { onCommitted: () => deps.eventsCommitted() });
  } catch (error) {
    throw translateDbError(error);
  }
}

/**
 * A command that is one autocommitted statement (a database function writing the change and
 * its events together): retried like `runCommand`'s transaction, refusals translated, outbox
 * readers woken once it has committed.
 */
export async function runStatementCommand<T>(deps: FeatureDeps, fn: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await withTransactionRetries(fn);
  } catch (error) {
    throw translateDbError(error);
  }
  deps.eventsCommitted();
  return result;
}
