import { toStoredMetadata, type EventMetadata } from '../command/metadata.js';
import { commandMetadataOf } from '../command/run.js';
import { uuid } from '../core/ids.js';
import { asTables, type AnyKysely } from '../db/schema.js';
import { activeTracer, inSpan, SpanKind } from '../tracing/spans.js';
import { OUTBOX_TABLE, type OutboxTables } from './migrations.js';

export interface OutboxEventInput<P = unknown> {
  aggregateType: string;
  aggregateId: string;
  type: string;
  payload: P;
  /** Event-specific extras (a source version); the request's metadata is added by the write. */
  metadata?: Record<string, unknown>;
  /** A caller-chosen id makes the write idempotent; otherwise a uuid is generated. */
  id?: string;
}

export interface WriteOptions {
  now?: () => number;
  /**
   * Who acted, in which request and trace. Inside `runCommand` it is the command's and need
   * not be given; a write outside a command (a seed, a test) passes it here.
   */
  metadata?: EventMetadata;
}

/** One outbox row as `writeEvents` inserts it. */
export interface OutboxRow {
  id: string;
  aggregate_type: string;
  aggregate_id: string;
  type: string;
  payload: string;
  metadata: string | null;
  created_at: number;
}

/**
 * Records events in the caller's transaction, so the state change and its events commit (or
 * roll back) together: nothing is published for a change that did not happen.
 */
export async function writeEvents(trx: AnyKysely, events: readonly OutboxEventInput[], options: WriteOptions = {}): Promise<string[]> {
  if (events.length === 0) return [];
  return writeEventsWith(trx, events, options, async (rows) => {
    await asTables<OutboxTables>(trx).insertInto(OUTBOX_TABLE).values(rows).execute();
    return rows.map((row) => row.id);
  });
}

/**
 * The rows `writeEvents` would insert (same ids, metadata and producer span), handed to `write`
 * instead: for a statement that records a change and its events at once, so a command costs
 * one round trip. `write` must insert every row in the same statement or transaction as the change.
 */
export async function writeEventsWith<T>(
  trx: AnyKysely,
  events: readonly OutboxEventInput[],
  options: WriteOptions,
  write: (rows: OutboxRow[]) => Promise<T>,
): Promise<T> {
  if (!activeTracer()) return write(outboxRows(trx, events, options, undefined));
  const attributes = {
    'messaging.system': 'outbox',
    'messaging.operation.type': 'send',
    'messaging.destination.name': OUTBOX_TABLE,
    'messaging.batch.message_count': events.length,
  };
  // The events carry this span as their traceparent, so their deliveries continue from the write.
  return inSpan('outbox write', { kind: SpanKind.PRODUCER, attributes }, (active) =>
    write(outboxRows(trx, events, options, active?.traceparent)),
  );
}

function outboxRows(
  trx: AnyKysely,
  events: readonly OutboxEventInput[],
  options: WriteOptions,
  traceparent: string | undefined,
): OutboxRow[] {
  const createdAt = (options.now ?? Date.now)();
  const command = options.metadata ?? commandMetadataOf(trx);
  const stored = command ? toStoredMetadata(command) : undefined;
  const stamped = stored && traceparent !== undefined ? { ...stored, traceparent } : stored;
  return events.map((event) => ({
    id: event.id ?? uuid(),
    aggregate_type: event.aggregateType,
    aggregate_id: event.aggregateId,
    type: event.type,
    payload: JSON.stringify(event.payload ?? null),
    metadata: stamped || event.metadata ? JSON.stringify({ ...stamped, ...event.metadata }) : null,
    created_at: createdAt,
  }));
}

export async function writeEvent(trx: AnyKysely, event: OutboxEventInput, options: WriteOptions = {}): Promise<string> {
  const [id] = await writeEvents(trx, [event], options);
  return id!;
}
