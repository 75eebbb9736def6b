import type { Transaction } from 'kysely';
import type { NewSyncStatus, SyncDatabase } from '../../db/schema.js';

/** Queues one delivery per routed target, in the capture transaction that stored the event. */
export async function enqueue(trx: Transaction<SyncDatabase>, rows: NewSyncStatus[]): Promise<void> {
  // One event reaches a target once: the unique (event_id, target_system) makes a second capture a no-op.
  if (rows.length > 0) {
    await trx
      .insertInto('sync_status')
      .values(rows)
      .onConflict((conflict) => conflict.columns(['event_id', 'target_system']).doNothing())
      .execute();
  }
}
