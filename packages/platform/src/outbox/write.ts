import { uuid } from '../core/ids.js';
import { asTables, type AnyKysely } from '../db/schema.js';
import { OUTBOX_TABLE, type OutboxTables } from './migrations.js';

export interface OutboxEventInput<P = unknown> {
  aggregateType: string;
  aggregateId: string;
  type: string;
  payload: P;
  /** Trace context, request id and actor travel with the event for observability. */
  metadata?: Record<string, unknown>;
  /** A caller-chosen id makes the write idempotent; otherwise a uuid is generated. */
  id?: string;
}

export interface WriteOptions {
  now?: () => number;
}

/**
 * Records events in the caller's transaction, so the state change and its events commit (or
 * roll back) together: nothing is published for a change that did not happen.
 */
export async function writeEvents(trx: AnyKysely, events: readonly OutboxEventInput[], options: WriteOptions = {}): Promise<string[]> {
  if (events.length === 0) return [];
  const createdAt = (options.now ?? Date.now)();
  const rows = events.map((event) => ({
    id: event.id ?? uuid(),
    aggregate_type: event.aggregateType,
    aggregate_id: event.aggregateId,
    type: event.type,
    payload: JSON.stringify(event.payload ?? null),
    metadata: event.metadata ? JSON.stringify(event.metadata) : null,
    created_at: createdAt,
  }));
  await asTables<OutboxTables>(trx).insertInto(OUTBOX_TABLE).values(rows).execute();
  return rows.map((row) => row.id);
}

export async function writeEvent(trx: AnyKysely, event: OutboxEventInput, options: WriteOptions = {}): Promise<string> {
  const [id] = await writeEvents(trx, [event], options);
  return id!;
}
