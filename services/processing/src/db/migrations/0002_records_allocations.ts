import type { Migration } from '@tributary/platform/migrate';
import {
  ALLOCATION_SUPPORT,
  batchTable,
  ingredientTable,
  MATERIALS,
  PARENT_TABLE,
  parcelTable,
  recordTable,
  shipmentTable,
  type Material,
} from '../../domain/materials.js';
import { runStatements } from './sql.js';

const WEIGHT = 'numeric(5,2)';

/**
 * One row per physical bag (§3.4). The primary key is the barcode; `bag_no` is the "Bag No"
 * the API calls `id`: an ordinal per lot/batch, given by the insert trigger under the parent's
 * row lock (see ADR 0201). `processed_at` / `dispatched_at` record when the stored status first
 * became PROCESSED / DISPATCHED, and every allocation row keeps the time of its last change
 * (`allocated_at`), so "nothing is allocated from an ineligible or dispatched bag" can be
 * checked after the fact as well as enforced.
 */
function recordTableDdl(material: Material): string[] {
  const table = recordTable(material);
  const parent = PARENT_TABLE[material];
  return [
    `create table ${table} (
       barcode uuid primary key default gen_random_uuid(),
       item_code text not null, created_ts bigint not null,
       bag_no integer not null check (bag_no >= 1),
       received_ts bigint not null default tb_epoch_ms(),
       store_location text not null references store_location (location_name),
       bag_weight ${WEIGHT} not null check (bag_weight >= 0),
       gross_weight ${WEIGHT} not null check (gross_weight > bag_weight),
       ${material === 'herbline' ? 'reference text not null,' : ''}
       status text not null default 'ACCEPTED' check (status in ('ACCEPTED', 'IN_PROCESS', 'PROCESSED', 'DISPATCHED')),
       remaining ${WEIGHT} not null check (remaining >= 0 and remaining <= gross_weight - bag_weight),
       processed_at timestamptz,
       dispatched_at timestamptz,
       check ((status = 'DISPATCHED') = (dispatched_at is not null)),
       foreign key (item_code, created_ts) references ${parent} (item_code, created_ts),
       unique (item_code, created_ts, bag_no))`,
  ];
}

/** Bag → shipment of the orders service (request/shipment codes are not FKs: other database). */
function shipmentDdl(material: Material): string[] {
  const table = shipmentTable(material);
  return [
    `create table ${table} (
       barcode uuid not null references ${recordTable(material)} (barcode),
       request_code bigint not null check (request_code >= 1),
       shipment_code integer not null check (shipment_code >= 1),
       amount ${WEIGHT} not null check (amount > 0),
       remaining ${WEIGHT} not null,
       allocated_at timestamptz not null default clock_timestamp(),
       constraint ${table}_remaining_check check (remaining <= amount and remaining >= 0),
       primary key (barcode, request_code, shipment_code))`,
    `create index ${table}_shipment_idx on ${table} (request_code, shipment_code)`,
  ];
}

/** Refines a shipment allocation to a production schedule; never counts as consumption. */
function parcelDdl(material: Material): string[] {
  const table = parcelTable(material);
  return [
    `create table ${table} (
       barcode uuid not null,
       request_code bigint not null,
       shipment_code integer not null,
       schedule_code bigint not null check (schedule_code >= 1),
       amount ${WEIGHT} not null check (amount > 0),
       allocated_at timestamptz not null default clock_timestamp(),
       primary key (barcode, request_code, shipment_code, schedule_code),
       constraint ${table}_shipment_fk foreign key (barcode, request_code, shipment_code)
         references ${shipmentTable(material)} (barcode, request_code, shipment_code))`,
    `create index ${table}_schedule_idx on ${table} (schedule_code)`,
  ];
}

/** Bag → blend/flavour batch: an ingredient, consumed. */
function ingredientDdl(material: Material, target: 'blendsheet' | 'flavorsheet'): string[] {
  const table = ingredientTable(material, target);
  return [
    `create table ${table} (
       barcode uuid not null references ${recordTable(material)} (barcode),
       item_code text not null, created_ts bigint not null,
       amount ${WEIGHT} not null check (amount > 0),
       allocated_at timestamptz not null default clock_timestamp(),
       primary key (barcode, item_code, created_ts),
       foreign key (item_code, created_ts) references ${batchTable(target)} (item_code, created_ts))`,
    `create index ${table}_batch_idx on ${table} (item_code, created_ts)`,
  ];
}

export const recordsAndAllocationsMigration: Migration = {
  name: '0002_records_allocations',
  up: (db) =>
    runStatements(db, [
      ...MATERIALS.flatMap(recordTableDdl),
      ...MATERIALS.flatMap((material) => [
        ...ALLOCATION_SUPPORT[material].ingredientOf.flatMap((target) => ingredientDdl(material, target)),
        ...(ALLOCATION_SUPPORT[material].shipment ? [...shipmentDdl(material), ...parcelDdl(material)] : []),
      ]),
    ]),
};
