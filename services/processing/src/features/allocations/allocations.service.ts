import { metadataOf, type CommandContext } from '@tributary/platform/command';
import { dec, type Decimal } from '@tributary/platform/core';
import type { ProcessingDb } from '../../db/schema.js';
import type { Kysely } from '@tributary/platform/db';
import { effectiveStatus, SHIPPABLE, type BatchTarget, type Material } from '../../domain/materials.js';
import { apiRow, epochOf, kg, parseKg } from '../../domain/values.js';
import { allocationChanged, bagAggregate, emit, ProcessingEvents } from '../../events.js';
import { ProcessingError } from '../../errors.js';
import { writeEventsWith, type WriteOptions } from '@tributary/platform/outbox';
import { runCommand, runStatementCommand, type FeatureDeps } from '../deps.js';
import { lockRecord, type LockedRecord } from '../records/records.repository.js';
import { scan } from '../records/records.service.js';
import {
  allocateShipmentAtOnce,
  batchState,
  deleteIngredientAllocation,
  deleteShipmentAllocation,
  lockShipmentAllocation,
  parcelCount,
  parcelsOfSchedule,
  recordExists,
  shipmentAllocations,
  upsertIngredientAllocation,
  upsertParcel,
  type ShipmentAllocationOutcome,
  type ShipmentKey,
} from './allocations.repository.js';
import { ensureShipmentKnown, type ShipmentCheckDeps } from './shipment-check.js';

/** The refusals of a claim on a bag, worded alike whether the service or the database function found them. */
const refuse = {
  missing: (material: Material, barcode: string) => ProcessingError.RECORD_NOT_FOUND(`${material} bag ${barcode} does not exist`),
  dispatched: (barcode: string) => ProcessingError.RECORD_DISPATCHED(`bag ${barcode} has been dispatched`),
  exceeds: (barcode: string, available: Decimal, amount: Decimal) =>
    ProcessingError.ALLOCATION_EXCEEDS_AVAILABLE(`bag ${barcode} has ${kg(available)} kg available, ${kg(amount)} kg requested`, {
      details: { available: kg(available), requested: kg(amount) },
    }),
  trader: (barcode: string, traderStatus: string | null) =>
    traderStatus === 'TRADER_BLOCKED'
      ? ProcessingError.BATCH_TRADER_BLOCKED(`the batch of bag ${barcode} was blocked by a trader`)
      : ProcessingError.BATCH_NOT_TRADER_ALLOWED(
          `the batch of bag ${barcode} is ${traderStatus ?? 'not yet reviewed'}, not TRADER_ALLOWED`,
          {
            details: { trader_status: traderStatus },
          },
        ),
};

/**
 * Locks the bag and checks that `amount` more may be consumed from it as an ingredient: it
 * exists, has not left (DISPATCHED), is eligible (ACCEPTED/IN_PROCESS), and net − Σ non-parcel
 * allocations ≥ amount. The insert that follows runs under the same lock; the database's
 * consume guard re-checks the same rules as a backstop.
 */
async function claimIngredient(trx: Kysely<ProcessingDb>, material: Material, barcode: string, amount: Decimal): Promise<LockedRecord> {
  const bag = await lockRecord(trx, material, barcode);
  if (!bag) throw refuse.missing(material, barcode);
  if (bag.status === 'DISPATCHED') throw refuse.dispatched(barcode);
  const net = dec(bag.net);
  const consumed = dec(bag.consumed);
  const status = effectiveStatus(bag.status, consumed.isZero(), consumed.greaterThanOrEqualTo(net));
  if (status !== 'ACCEPTED' && status !== 'IN_PROCESS') {
    throw ProcessingError.RECORD_NOT_ELIGIBLE(`bag ${barcode} is ${status}; only ACCEPTED or IN_PROCESS bags feed a batch`, {
      details: { status },
    });
  }
  const available = net.minus(consumed);
  if (amount.greaterThan(available)) throw refuse.exceeds(barcode, available, amount);
  return bag;
}

/**
 * Work a caller needs committed atomically with an allocation change (a saga recording that
 * its step took effect), so a crash can never leave the one without the other.
 */
export interface SameTransaction {
  alsoInTransaction?: (trx: Kysely<ProcessingDb>) => Promise<void>;
}

/**
 * Adds `amount` kg of a bag to a shipment. The lock, the checks, the upsert and both outbox
 * events are one call of `allocate_<t>_shipment` (migration 0007): on its own it is a single
 * autocommitted statement; with `alsoInTransaction` it runs inside the caller's transaction.
 */
export async function allocateToShipment(
  deps: FeatureDeps & ShipmentCheckDeps,
  actor: CommandContext,
  material: Material,
  input: ShipmentKey & { amount: number | string },
  options: SameTransaction = {},
) {
  const amount = parseKg(input.amount, 'amount');
  const key: ShipmentKey = { barcode: input.barcode, request_code: input.request_code, shipment_code: input.shipment_code };
  // Before the allocation: a call to orders must not hold the bag's row lock.
  await ensureShipmentKnown(deps, actor, key);
  const events = [
    {
      ...bagAggregate(material, key.barcode),
      type: ProcessingEvents.allocationCreated,
      // total_amount (the allocation's new total) is added by the database function.
      payload: {
        table: material,
        target: 'shipment',
        barcode: key.barcode,
        request_code: key.request_code,
        shipment_code: key.shipment_code,
        amount: kg(amount),
      },
    },
    allocationChanged(material, key, kg(amount)),
  ];
  const allocate = (db: Kysely<ProcessingDb>, writeOptions: WriteOptions) =>
    writeEventsWith(db, events, writeOptions, async ([created, changed]) => {
      const result = await allocateShipmentAtOnce(db, material, key, kg(amount), [
        { ...created!, with_total: true },
        { ...changed!, with_total: false },
      ]);
      if (result.outcome === 'OK') return;
      throw shipmentRefusal(result, material, key.barcode, amount);
    });
  const also = options.alsoInTransaction;
  if (also) {
    await runCommand(deps, actor, async (trx) => {
      await allocate(trx, {});
      await also(trx);
    });
  } else {
    await runStatementCommand(deps, () => allocate(deps.db, { metadata: metadataOf(actor) }));
  }
  return { barcode: key.barcode };
}

function shipmentRefusal(result: ShipmentAllocationOutcome, material: Material, barcode: string, amount: Decimal) {
  switch (result.outcome) {
    case 'RECORD_NOT_FOUND':
      return refuse.missing(material, barcode);
    case 'RECORD_DISPATCHED':
      return refuse.dispatched(barcode);
    case 'ALLOCATION_EXCEEDS_AVAILABLE':
      return refuse.exceeds(barcode, dec(result.available!), amount);
    case 'BATCH_TRADER_BLOCKED':
    case 'BATCH_NOT_TRADER_ALLOWED':
      return refuse.trader(barcode, result.trader_status);
    default:
      // The function returns only the outcomes above: anything else is a bug, answered as a 500.
      return new Error(`allocate_${material}_shipment returned ${result.outcome}`);
  }
}

export async function allocateToBatch(
  deps: FeatureDeps,
  actor: CommandContext,
  material: Material,
  target: BatchTarget,
  input: { barcode: string; item_code: string; created_ts: number | string; amount: number | string },
) {
  const amount = parseKg(input.amount, 'amount');
  const key = { barcode: input.barcode, item_code: input.item_code, created_ts: epochOf(input.created_ts) };
  await runCommand(deps, actor, async (trx) => {
    await claimIngredient(trx, material, key.barcode, amount);
    const batch = await batchState(trx, target, key.item_code, key.created_ts);
    if (!batch) throw ProcessingError.BATCH_NOT_FOUND(`${target} batch ${key.item_code}/${key.created_ts} does not exist`);
    if (batch.completed) throw ProcessingError.BATCH_COMPLETED(`${target} batch ${key.item_code}/${key.created_ts} is completed`);
    const row = await upsertIngredientAllocation(trx, material, target, key, kg(amount));
    await emit(trx, [
      {
        ...bagAggregate(material, key.barcode),
        type: ProcessingEvents.allocationCreated,
        payload: {
          table: material,
          target,
          barcode: key.barcode,
          item_code: key.item_code,
          created_ts: Number(key.created_ts),
          amount: kg(amount),
          total_amount: row.amount,
        },
      },
    ]);
  });
  return { barcode: key.barcode };
}

/**
 * A parcel takes `reduced_by` of a shipment allocation for a production schedule. It needs the
 * shipment allocation and never exceeds what is left of it; the bag itself may already be
 * dispatched (parcels are filled at Grandpass, after dispatch) and its availability is untouched.
 */
export async function allocateToParcel(
  deps: FeatureDeps,
  actor: CommandContext,
  material: Material,
  input: ShipmentKey & { schedule_code: number; reduced_by: number | string },
) {
  const amount = parseKg(input.reduced_by, 'reduced_by');
  const key: ShipmentKey = { barcode: input.barcode, request_code: input.request_code, shipment_code: input.shipment_code };
  await runCommand(deps, actor, async (trx) => {
    const allocation = await lockShipmentAllocation(trx, material, key);
    if (!allocation) {
      if (!(await recordExists(trx, material, key.barcode))) throw refuse.missing(material, key.barcode);
      throw ProcessingError.PARCEL_WITHOUT_SHIPMENT_ALLOCATION(
        `bag ${key.barcode} is not allocated to shipment ${key.request_code}/${key.shipment_code}`,
      );
    }
    if (amount.greaterThan(dec(allocation.remaining))) {
      throw ProcessingError.PARCEL_EXCEEDS_SHIPMENT_ALLOCATION(`only ${allocation.remaining} kg of the shipment allocation are left`, {
        details: { remaining: allocation.remaining, requested: kg(amount) },
      });
    }
    const row = await upsertParcel(trx, material, { ...key, schedule_code: input.schedule_code }, kg(amount));
    await emit(trx, [
      {
        ...bagAggregate(material, key.barcode),
        type: ProcessingEvents.allocationCreated,
        payload: {
          table: material,
          target: 'parcel',
          ...key,
          schedule_code: input.schedule_code,
          amount: kg(amount),
          total_amount: row.amount,
        },
      },
    ]);
  });
  return { barcode: key.barcode };
}

/** Undoes a shipment allocation that has no parcels, while the bag is still at Seeduwa. */
export async function removeShipmentAllocation(
  deps: FeatureDeps,
  actor: CommandContext,
  material: Material,
  key: ShipmentKey,
  options: SameTransaction = {},
) {
  await runCommand(deps, actor, async (trx) => {
    const bag = await lockRecord(trx, material, key.barcode);
    if (!bag) throw refuse.missing(material, key.barcode);
    if (bag.status === 'DISPATCHED') throw refuse.dispatched(key.barcode);
    if ((await parcelCount(trx, material, key)) > 0)
      throw ProcessingError.ALLOCATION_HAS_PARCELS('Parcels are allocated from this shipment allocation');
    const amount = await deleteShipmentAllocation(trx, material, key);
    if (amount === undefined)
      throw ProcessingError.ALLOCATION_NOT_FOUND(
        `bag ${key.barcode} is not allocated to shipment ${key.request_code}/${key.shipment_code}`,
      );
    await emit(trx, [
      {
        ...bagAggregate(material, key.barcode),
        type: ProcessingEvents.allocationRemoved,
        payload: { table: material, target: 'shipment', ...key, amount },
      },
      allocationChanged(material, key, `-${amount}`),
    ]);
    await options.alsoInTransaction?.(trx);
  });
  return { barcode: key.barcode };
}

export async function removeBatchAllocation(
  deps: FeatureDeps,
  actor: CommandContext,
  material: Material,
  target: BatchTarget,
  input: { barcode: string; item_code: string; created_ts: string },
) {
  await runCommand(deps, actor, async (trx) => {
    const bag = await lockRecord(trx, material, input.barcode);
    if (!bag) throw refuse.missing(material, input.barcode);
    const batch = await batchState(trx, target, input.item_code, input.created_ts);
    if (batch?.completed) throw ProcessingError.BATCH_COMPLETED(`${target} batch ${input.item_code}/${input.created_ts} is completed`);
    const amount = await deleteIngredientAllocation(trx, material, target, input);
    if (amount === undefined)
      throw ProcessingError.ALLOCATION_NOT_FOUND(
        `bag ${input.barcode} is not allocated to ${target} batch ${input.item_code}/${input.created_ts}`,
      );
    await emit(trx, [
      {
        ...bagAggregate(material, input.barcode),
        type: ProcessingEvents.allocationRemoved,
        payload: {
          table: material,
          target,
          barcode: input.barcode,
          item_code: input.item_code,
          created_ts: Number(input.created_ts),
          amount,
        },
      },
    ]);
  });
  return { barcode: input.barcode };
}

/** `GET /app/shipment/record`: every bag allocated to the shipment, with its scan details. */
export async function listShipmentRecords(deps: FeatureDeps, requestCode: number, shipmentCode: number) {
  const rows = await shipmentAllocations(deps.db, SHIPPABLE, requestCode, shipmentCode);
  return Promise.all(
    rows.map(async (row) => {
      const bag = await scan(deps, row.table, row.barcode);
      return apiRow({
        ...bag,
        bag_remaining: bag.remaining,
        table: row.table,
        request_code: row.request_code,
        shipment_code: row.shipment_code,
        amount: row.amount,
        remaining: row.remaining,
        barcode: row.barcode,
      });
    }),
  );
}

export async function listParcelRecords(deps: FeatureDeps, scheduleCode: number) {
  return (await parcelsOfSchedule(deps.db, SHIPPABLE, scheduleCode)).map((row) => apiRow(row));
}
