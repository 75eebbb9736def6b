import { ALLOCATION_CHANGED, BATCH_TRADER_STATUS_CHANGED, type AllocationChangedPayload } from '@tributary/contracts';
import type { ProcessingDb } from './db/schema.js';
import type { Kysely } from '@tributary/platform/db';
import { writeEvents, type OutboxEventInput } from '@tributary/platform/outbox';

/**
 * Outbox event types of the processing service. Aggregates: a bag is `<table>:<barcode>`
 * (barcodes are unique per table only), a batch `<item_code>/<created_ts>`, a lot likewise.
 * Shipment allocation changes are also published in the orders service's consumed shape
 * (`allocation.changed`, aggregate `<request_code>/<shipment_code>`, see
 * packages/contracts/src/orders.ts) so orders can keep Σ allocated per shipment.
 */
export const ProcessingEvents = {
  lotCreated: 'processing.lot.created',
  recordAccepted: 'processing.record.accepted',
  recordStatusChanged: 'processing.record.status_changed',
  recordMoved: 'processing.record.moved',
  allocationCreated: 'processing.allocation.created',
  allocationRemoved: 'processing.allocation.removed',
  batchCreated: 'processing.batch.created',
  batchCompleted: 'processing.batch.completed',
  batchQcRecorded: 'processing.batch.qc_recorded',
  traderStatusChanged: BATCH_TRADER_STATUS_CHANGED,
  sheetCreated: 'processing.sheet.created',
  sheetChanged: 'processing.sheet.changed',
  locationCreated: 'processing.location.created',
} as const;

/** The orders service's consumed shape, checked by the compiler against its contract. */
export function allocationChanged(table: string, key: { barcode: string; request_code: number; shipment_code: number }, deltaKg: string) {
  const payload: AllocationChangedPayload = {
    requestCode: String(key.request_code),
    shipmentCode: key.shipment_code,
    barcode: key.barcode,
    table,
    allocatedKgDelta: deltaKg,
  };
  return { aggregateType: 'shipment', aggregateId: `${key.request_code}/${key.shipment_code}`, type: ALLOCATION_CHANGED, payload };
}

export const bagAggregate = (table: string, barcode: string) => ({ aggregateType: 'bag', aggregateId: `${table}:${barcode}` });
export const itemAggregate = (type: 'lot' | 'batch', itemCode: string, createdTs: string | number) => ({
  aggregateType: type,
  aggregateId: `${itemCode}/${createdTs}`,
});

/** Writes the events in the command's transaction; `runCommand` stamps who caused them and in which request. */
export async function emit(trx: Kysely<ProcessingDb>, events: Omit<OutboxEventInput, 'metadata'>[]): Promise<void> {
  await writeEvents(trx, events);
}
