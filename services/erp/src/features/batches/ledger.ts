import { Decimal, dec, type DecimalInput } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { Selectable } from 'kysely';
import { ErpError } from '../../errors.js';
import type { BatchTable, ErpDatabase } from '../../db/schema.js';
import type { Actor } from '../../shared/context.js';
import { generatedName, newDoc } from '../../shared/docs.js';
import { db6, show } from '../../shared/numbers.js';
import { trackStockChange } from '../low-stock/low-stock.service.js';
import { ledgerOpening } from '../maintenance/partitions.repository.js';

/**
 * The append-only movement ledger. A batch's available quantity is the sum of its movements;
 * `available_qty` on the batch row is that sum kept in the same transaction, under the batch
 * row's lock, so it is a cache that cannot drift: each movement records the balance before and
 * after, carries the next per-batch sequence number (the batch row's `movement_seq` moves only
 * from the one before it, ADR 0309), and a CHECK keeps balances ≥ 0.
 * This function is the only writer of movements and of available_qty.
 */
export const MOVEMENT_TYPES = [
  'RECEIPT',
  'CONSUMPTION',
  'TRANSFER_OUT',
  'TRANSFER_IN',
  'ADJUSTMENT',
  'REVERSAL',
  'RESERVATION',
  'RELEASE',
] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];
export type BatchRow = Selectable<BatchTable>;

export async function lockBatch(trx: Kysely<ErpDatabase>, name: string): Promise<BatchRow> {
  const row = await trx.selectFrom('tabHD Batch Master').selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
  if (!row) throw ErpError.BATCH_NOT_FOUND(`batch ${name} not found`);
  return row;
}

export interface MovementInput {
  type: MovementType;
  /** Signed change of the batch's available quantity. */
  change: Decimal;
  reference_doctype?: string | null;
  reference_name?: string | null;
  from_warehouse?: string | null;
  to_warehouse?: string | null;
  reason?: string | null;
  notes?: string | null;
  reverses_movement?: string | null;
}

export interface RecordedMovement {
  name: string;
  batch: string;
  seq: number;
  movement_type: MovementType;
  qty_before: string;
  qty_change: string;
  qty_after: string;
}

/** Appends one movement to a batch the caller has locked (see lockBatch) and returns the batch's new balance. */
export async function recordMovement(
  trx: Kysely<ErpDatabase>,
  batch: BatchRow,
  input: MovementInput,
  actor: Actor,
  now: number,
): Promise<RecordedMovement> {
  if (input.change.isZero()) throw ErpError.QUANTITY_INVALID('a movement must change the quantity');
  const before = dec(batch.available_qty);
  const after = before.plus(input.change);
  if (after.isNegative()) {
    throw ErpError.INSUFFICIENT_STOCK(`batch ${batch.name} has ${show(before)} available, ${show(input.change.negated())} requested`, {
      details: { batch: batch.name, available: show(before), requested: show(input.change.negated()) },
    });
  }
  const seq = Number(batch.movement_seq) + 1;
  const name = generatedName('HD-BMV');
  await trx
    .insertInto('tabHD Batch Movement')
    .values({
      ...newDoc(name, now, actor.user),
      docstatus: 1,
      batch_id: batch.name,
      seq,
      movement_type: input.type,
      movement_date: new Date(now),
      item_code: batch.item,
      warehouse: batch.warehouse,
      reference_doctype: input.reference_doctype ?? null,
      reference_name: input.reference_name ?? null,
      qty_before: db6(before),
      qty_change: db6(input.change),
      qty_after: db6(after),
      from_warehouse: input.from_warehouse ?? null,
      to_warehouse: input.to_warehouse ?? null,
      reason: input.reason ?? null,
      notes: input.notes ?? null,
      operator: actor.user ?? null,
      reverses_movement: input.reverses_movement ?? null,
    })
    .execute();

  const counters: Partial<Record<'sold_qty' | 'total_qty' | 'damaged_qty' | 'reserved_qty', string>> = {};
  if (input.type === 'CONSUMPTION') counters.sold_qty = db6(dec(batch.sold_qty).minus(input.change));
  if (input.type === 'RECEIPT' || input.type === 'TRANSFER_IN') counters.total_qty = db6(dec(batch.total_qty).plus(input.change));
  // An order's reservation leaves the available stock; its release brings it back.
  if (input.type === 'RESERVATION' || input.type === 'RELEASE') counters.reserved_qty = db6(dec(batch.reserved_qty).minus(input.change));
  // A batch drained to zero is Consumed; stock coming back (reversal, receipt) reopens it.
  let status = batch.status;
  if (after.isZero() && status === 'Active') status = 'Consumed';
  else if (after.gt(0) && status === 'Consumed') status = 'Active';
  // The partitioned ledger cannot hold UNIQUE (batch_id, seq) (ADR 0309): the batch row carries
  // it instead, moving only from the sequence this movement was numbered after.
  const moved = await trx
    .updateTable('tabHD Batch Master')
    .set({ available_qty: db6(after), movement_seq: seq, status, ...counters, modified: new Date(now), modified_by: actor.user ?? null })
    .where('name', '=', batch.name)
    .where('movement_seq', '=', seq - 1)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new Error(`batch ${batch.name}: movement ${seq} was numbered without the batch's lock`);
  // Keep the caller's locked copy current, so a second movement in the same transaction chains on.
  Object.assign(batch, { available_qty: db6(after), movement_seq: seq, status, ...counters });
  // Here rather than in each command: every stock change passes this point, so low-stock alerts miss none.
  await trackStockChange(trx, { item: batch.item, warehouse: batch.warehouse }, input.change, actor, now);
  return {
    name,
    batch: batch.name,
    seq,
    movement_type: input.type,
    qty_before: show(before),
    qty_change: show(input.change),
    qty_after: show(after),
  };
}

/**
 * Ledger audit: the cached balance equals the movement sum and the before/after chain has no
 * gap. Once retention dropped a batch's oldest movements, the chain starts from the opening
 * they left (last dropped seq and balance, ADR 0309) and must go on from exactly there.
 */
export async function checkLedger(db: Kysely<ErpDatabase>, batch: string) {
  const row = await db
    .selectFrom('tabHD Batch Master')
    .select(['available_qty', 'movement_seq'])
    .where('name', '=', batch)
    .executeTakeFirst();
  if (!row) throw ErpError.BATCH_NOT_FOUND(`batch ${batch} not found`);
  const opening = await ledgerOpening(db, batch);
  const movements = await db
    .selectFrom('tabHD Batch Movement')
    .select(['seq', 'qty_before', 'qty_change', 'qty_after'])
    .where('batch_id', '=', batch)
    .orderBy('seq')
    .execute();
  const openingSeq = opening ? Number(opening.seq) : 0;
  let running = dec(opening?.balance ?? 0);
  let chainOk = true;
  movements.forEach((m, index) => {
    if (
      Number(m.seq) !== openingSeq + index + 1 ||
      !dec(m.qty_before).eq(running) ||
      !dec(m.qty_after).eq(running.plus(m.qty_change)) ||
      dec(m.qty_after).isNegative()
    )
      chainOk = false;
    running = running.plus(m.qty_change);
  });
  return {
    batch,
    available_qty: show(row.available_qty),
    ledger_sum: show(running),
    movements: movements.length,
    ...(opening ? { opening: { seq: openingSeq, balance: show(opening.balance), through: new Date(opening.through).toISOString() } } : {}),
    consistent: chainOk && running.eq(row.available_qty) && Number(row.movement_seq) === openingSeq + movements.length,
  };
}

/** The document a movement is booked against. */
export interface MovementReference {
  doctype: string | null;
  name: string | null;
}

/** Locks the batch a plan drew from and books the drawn quantity out of its own warehouse. */
export async function drawFromBatch(
  trx: Kysely<ErpDatabase>,
  type: Extract<MovementType, 'CONSUMPTION' | 'RESERVATION'>,
  drawn: { batch: string; qty: DecimalInput },
  reference: MovementReference,
  actor: Actor,
  now: number,
): Promise<{ batch: BatchRow; movement: RecordedMovement }> {
  const batch = await lockBatch(trx, drawn.batch);
  const change = dec(drawn.qty).negated();
  const input = { type, change, reference_doctype: reference.doctype, reference_name: reference.name, from_warehouse: batch.warehouse };
  return { batch, movement: await recordMovement(trx, batch, input, actor, now) };
}
