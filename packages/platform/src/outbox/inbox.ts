import { asTables, type AnyKysely } from '../db/schema.js';
import { INBOX_TABLE, type OutboxTables } from './migrations.js';

export type ApplyOnceResult<T> = { applied: true; result: T } | { applied: false };

/**
 * Runs `fn` only if `eventId` was never applied before, recording it in the same transaction
 * as the change. Delivery is at least once; this makes the effect exactly once. A concurrent
 * duplicate waits on the primary key and then finds the row, so it too is skipped.
 */
export async function applyOnce<T>(
  db: AnyKysely,
  eventId: string,
  fn: () => Promise<T>,
  options: { source?: string; now?: () => number } = {},
): Promise<ApplyOnceResult<T>> {
  const trx = asTables<OutboxTables>(db);
  const row = { event_id: eventId, source: options.source ?? 'unknown', applied_at: (options.now ?? Date.now)() };
  const isMysql = !trx.getExecutor().adapter.supportsReturning;
  const insert = isMysql
    ? trx.insertInto(INBOX_TABLE).ignore().values(row)
    : trx.insertInto(INBOX_TABLE).values(row).onConflict((conflict) => conflict.column('event_id').doNothing());
  const result = await insert.executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return { applied: false };
  return { applied: true, result: await fn() };
}
