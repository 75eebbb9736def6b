import type { CommandContext } from '@tributary/platform/command';
import { dec } from '@tributary/platform/core';
import { effectiveStatus, HERBLINE_SECTION, type Material, type RecordStatus } from '../../domain/materials.js';
import { apiRow, epochOf, kg, parseKg } from '../../domain/values.js';
import { bagAggregate, emit, ProcessingEvents } from '../../events.js';
import { ProcessingError } from '../../errors.js';
import { runCommand, type FeatureDeps } from '../deps.js';
import { insertRecord, lockRecord, moveRecordRow, scanRecord, updateRecordStatus } from './records.repository.js';

export interface NewRecord {
  item_code: string;
  created_ts: number | string;
  store_location: string;
  gross_weight: number | string;
  bag_weight: number | string;
  reference?: string;
}

/**
 * A weighed bag: status ACCEPTED, remaining = net (record_status), a bag number within its
 * lot, and the lot's limits (bag count, blendbalance weight, open batch) checked by the insert
 * trigger under the lot's row lock, so concurrent weighing stations cannot overshoot.
 */
export async function createRecord(deps: FeatureDeps, actor: CommandContext, material: Material, input: NewRecord) {
  const gross = parseKg(input.gross_weight, 'gross_weight');
  const tare = parseKg(input.bag_weight, 'bag_weight', { allowZero: true });
  if (!gross.greaterThan(tare))
    throw ProcessingError.WEIGHT_INVALID('gross_weight must be greater than bag_weight', { details: { field: 'gross_weight' } });
  const receivedTs = String(deps.clock.now());
  const inserted = await runCommand(deps, actor, async (trx) => {
    const location = await trx
      .selectFrom('store_location')
      .select('herbline_section')
      .where('location_name', '=', input.store_location)
      .executeTakeFirst();
    if (!location) throw ProcessingError.LOCATION_NOT_FOUND(`store location ${input.store_location} does not exist`);
    if (location.herbline_section !== HERBLINE_SECTION[material]) {
      throw HERBLINE_SECTION[material]
        ? ProcessingError.LOCATION_NOT_HERBLINE_SECTION('herbline bags go to herbline-section locations only')
        : ProcessingError.LOCATION_HERBLINE_ONLY(`${input.store_location} holds herbline bags only`);
    }
    const row = await insertRecord(trx, material, {
      item_code: input.item_code,
      created_ts: epochOf(input.created_ts),
      store_location: input.store_location,
      gross_weight: kg(gross),
      bag_weight: kg(tare),
      received_ts: receivedTs,
      ...(input.reference !== undefined ? { reference: input.reference } : {}),
    });
    await emit(trx, [
      {
        ...bagAggregate(material, row.barcode),
        type: ProcessingEvents.recordAccepted,
        payload: {
          table: material,
          barcode: row.barcode,
          item_code: row.item_code,
          created_ts: Number(row.created_ts),
          id: row.id,
          store_location: input.store_location,
          gross_weight: kg(gross),
          bag_weight: kg(tare),
          net_weight: kg(gross.minus(tare)),
          received_ts: Number(row.received_ts),
        },
      },
    ]);
    return row;
  });
  return apiRow(inserted);
}

/**
 * `PUT /app/{t}/record`: with reduced_by the stored remaining shrinks (IN_PROCESS, or PROCESSED
 * at zero); without it the bag is DISPATCHED. Statuses only move forward; dispatching twice is
 * a no-op so a retried dispatch is harmless.
 */
export async function updateRecord(
  deps: FeatureDeps,
  actor: CommandContext,
  material: Material,
  input: { barcode: string; reduced_by?: number | string | undefined },
) {
  const reduceBy = input.reduced_by === undefined ? undefined : parseKg(input.reduced_by, 'reduced_by');
  const result = await runCommand(deps, actor, async (trx) => {
    const bag = await lockRecord(trx, material, input.barcode);
    if (!bag) throw ProcessingError.RECORD_NOT_FOUND(`${material} bag ${input.barcode} does not exist`);
    if (reduceBy === undefined && bag.status === 'DISPATCHED') return { barcode: input.barcode, status: bag.status, changed: false };
    if (bag.status === 'DISPATCHED') throw ProcessingError.RECORD_DISPATCHED(`bag ${input.barcode} has been dispatched`);
    let status: RecordStatus = 'DISPATCHED';
    let remaining = dec(bag.remaining);
    if (reduceBy !== undefined) {
      if (reduceBy.greaterThan(remaining)) {
        throw ProcessingError.RECORD_REDUCE_EXCEEDS_REMAINING(`bag ${input.barcode} has ${kg(remaining)} kg remaining`, {
          details: { remaining: kg(remaining) },
        });
      }
      remaining = remaining.minus(reduceBy);
      status = remaining.isZero() ? 'PROCESSED' : 'IN_PROCESS';
    }
    await updateRecordStatus(trx, material, input.barcode, status, kg(remaining));
    await emit(trx, [
      {
        ...bagAggregate(material, input.barcode),
        type: ProcessingEvents.recordStatusChanged,
        payload: {
          table: material,
          barcode: input.barcode,
          from: bag.status,
          to: status,
          remaining: kg(remaining),
          reduced_by: reduceBy ? kg(reduceBy) : null,
        },
      },
    ]);
    return { barcode: input.barcode, status, changed: true };
  });
  return { barcode: result.barcode, status: result.status };
}

/**
 * scan_record: the bag with its parent's columns; `remaining` = net − Σ non-parcel allocations
 * (the availability every allocation checks), `status` derived from the allocations but never
 * behind the stored one.
 */
export async function scan(deps: FeatureDeps, material: Material, barcode: string) {
  const row = await scanRecord(deps.db, material, barcode);
  if (!row) throw ProcessingError.RECORD_NOT_FOUND(`${material} bag ${barcode} does not exist`);
  const net = dec(row.net_weight);
  const allocated = dec(row.allocated);
  const status = effectiveStatus(row.status, allocated.isZero(), allocated.greaterThanOrEqualTo(net));
  return apiRow({ ...row, table: material, allocated: kg(allocated), remaining: kg(net.minus(allocated)), status });
}

/**
 * Moves a bag to another store location. The segregation rule applies to moves exactly as to
 * weighing in (herbline bags only in herbline sections, all others only outside them); a bag
 * that has left the site cannot move.
 */
export async function moveRecord(
  deps: FeatureDeps,
  actor: CommandContext,
  material: Material,
  input: { barcode: string; new_store_location: string },
) {
  await runCommand(deps, actor, async (trx) => {
    const bag = await lockRecord(trx, material, input.barcode);
    if (!bag) throw ProcessingError.RECORD_NOT_FOUND(`${material} bag ${input.barcode} does not exist`);
    if (bag.status === 'DISPATCHED') throw ProcessingError.RECORD_DISPATCHED(`bag ${input.barcode} has been dispatched`);
    const location = await trx
      .selectFrom('store_location')
      .select('herbline_section')
      .where('location_name', '=', input.new_store_location)
      .executeTakeFirst();
    if (!location) throw ProcessingError.LOCATION_NOT_FOUND(`store location ${input.new_store_location} does not exist`);
    if (location.herbline_section !== HERBLINE_SECTION[material]) {
      throw HERBLINE_SECTION[material]
        ? ProcessingError.LOCATION_NOT_HERBLINE_SECTION('herbline bags go to herbline-section locations only')
        : ProcessingError.LOCATION_HERBLINE_ONLY(`${input.new_store_location} holds herbline bags only`);
    }
    const from = await moveRecordRow(trx, material, input.barcode, input.new_store_location);
    await emit(trx, [
      {
        ...bagAggregate(material, input.barcode),
        type: ProcessingEvents.recordMoved,
        payload: { table: material, barcode: input.barcode, from, to: input.new_store_location },
      },
    ]);
  });
  return scan(deps, material, input.barcode);
}
