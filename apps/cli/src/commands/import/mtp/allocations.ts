import { dec } from '@tributary/platform/core';
import { asDynamic, sql, type AnyKysely } from '@tributary/platform/db';
import type { TableStep } from '../common/run.js';
import { rowsMatching, type SourceRow } from './keyset.js';
import { finding, stepsFor, type HeldRows, type Mapped } from './step.js';

type Kind = 'ingredient' | 'shipment' | 'parcel';

interface AllocationTable {
  table: string;
  material: 'tealine' | 'blendsheet' | 'blendbalance';
  kind: Kind;
  key: readonly string[];
}

/** The original's allocation tables (§3.6); ingredients and shipments consume a bag, parcels subdivide a shipment. */
const ALLOCATION_TABLES: readonly AllocationTable[] = [
  { table: 'tealine_allocate_blendsheet', material: 'tealine', kind: 'ingredient', key: ['barcode', 'item_code', 'created_ts'] },
  { table: 'blendbalance_allocate_blendsheet', material: 'blendbalance', kind: 'ingredient', key: ['barcode', 'item_code', 'created_ts'] },
  { table: 'tealine_allocate_shipment', material: 'tealine', kind: 'shipment', key: ['barcode', 'request_code', 'shipment_code'] },
  { table: 'blendsheet_allocate_shipment', material: 'blendsheet', kind: 'shipment', key: ['barcode', 'request_code', 'shipment_code'] },
  {
    table: 'tealine_allocate_parcel',
    material: 'tealine',
    kind: 'parcel',
    key: ['barcode', 'request_code', 'shipment_code', 'schedule_code'],
  },
  {
    table: 'blendsheet_allocate_parcel',
    material: 'blendsheet',
    kind: 'parcel',
    key: ['barcode', 'request_code', 'shipment_code', 'schedule_code'],
  },
];

const consumers = (material: string) => ALLOCATION_TABLES.filter((t) => t.material === material && t.kind !== 'parcel');
const showKey = (spec: AllocationTable, row: SourceRow) => spec.key.map((c) => String(row[c])).join('/');

interface Consumption {
  table: string;
  key: string;
  amount: string;
  net: string;
  request_code: string | null;
  shipment_code: number | null;
}

/**
 * Which consumption rows of the given bags go over the bag's net weight. The rule, so a re-run
 * decides the same: ingredient allocations before shipment allocations (the order the import
 * writes them), each by key; a row is kept while the running total stays within the net weight,
 * skipping rows held for another reason (a shipment that does not exist).
 */
async function overAllocated(
  source: AnyKysely,
  ordersSource: AnyKysely,
  material: string,
  barcodes: readonly unknown[],
): Promise<Map<string, { net: string; before: string }>> {
  const tables = consumers(material);
  const over = new Map<string, { net: string; before: string }>();
  if (barcodes.length === 0 || tables.length === 0) return over;
  const parts = tables.map((spec, index) => {
    const shipment = spec.kind === 'shipment';
    return sql`select ${index} as ord, ${spec.table} as tbl, concat_ws('/', ${sql.join(spec.key.map((c) => sql`a.${sql.ref(c)}::text`))}) as key,
        a.barcode::text as barcode, a.amount::text as amount, (r.gross_weight - r.bag_weight)::text as net,
        ${shipment ? sql`a.request_code::text` : sql`null`} as request_code, ${shipment ? sql`a.shipment_code` : sql`null::int`} as shipment_code
      from ${sql.table(spec.table)} a join ${sql.table(`${material}_record`)} r on r.barcode = a.barcode
      where a.barcode = any(${barcodes}::uuid[])`;
  });
  const { rows } = await sql<Consumption & { barcode: string; ord: number; tbl: string }>`
    select * from (${sql.join(parts, sql` union all `)}) c order by barcode, ord, key`.execute(asDynamic(source));
  const shipments = await existingShipments(
    ordersSource,
    rows.filter((r) => r.request_code !== null).map((r) => [r.request_code!, r.shipment_code!]),
  );
  const used = new Map<string, ReturnType<typeof dec>>();
  for (const row of rows) {
    if (row.request_code !== null && !shipments.has(`${row.request_code}/${row.shipment_code}`)) continue;
    const before = used.get(row.barcode) ?? dec(0);
    const after = before.plus(row.amount);
    if (after.greaterThan(row.net)) over.set(`${row.tbl}:${row.key}`, { net: row.net, before: before.toFixed(2) });
    else used.set(row.barcode, after);
  }
  return over;
}

async function existingShipments(ordersSource: AnyKysely, keys: readonly [string, number][]): Promise<Set<string>> {
  const wanted = keys.map(([request_code, shipment_code]) => ({ request_code, shipment_code }));
  const found = await rowsMatching(ordersSource, 'public.order_shipment', ['request_code', 'shipment_code'], wanted);
  return new Set(found.map((r) => `${String(r.request_code)}/${String(r.shipment_code)}`));
}

async function existingSchedules(ordersSource: AnyKysely, codes: readonly string[]): Promise<Set<string>> {
  const found = await rowsMatching(
    ordersSource,
    'public.order_schedule',
    ['schedule_code'],
    codes.map((schedule_code) => ({ schedule_code })),
  );
  return new Set(found.map((r) => String(r.schedule_code)));
}

/** The allocation tables of one kind, each onto the table of the same name in processing. */
export function allocationSteps(source: AnyKysely, ordersSource: AnyKysely, held: HeldRows, kind: Kind): TableStep<SourceRow>[] {
  const isHeld = (table: string, key: string) => held.has(`${table}:${key}`);
  const step = stepsFor('processing', source, held);
  return ALLOCATION_TABLES.filter((spec) => spec.kind === kind).map((spec) => {
    let over = new Map<string, { net: string; before: string }>();
    let shipments = new Set<string>();
    let schedules = new Set<string>();
    const record = `${spec.material}_record`;
    return step(spec.table, spec.key, {
      extra:
        spec.material === 'blendsheet' && kind === 'shipment'
          ? sql`(select b.trader_status from blendsheet_record r join blendsheet_batch b on b.item_code = r.item_code and b.created_ts = r.created_ts where r.barcode = t.barcode) as trader_status`
          : sql`null as trader_status`,
      async prepare(rows) {
        const barcodes = [...new Set(rows.map((r) => r.barcode))];
        if (kind !== 'parcel') over = await overAllocated(source, ordersSource, spec.material, barcodes);
        if (kind !== 'ingredient')
          shipments = await existingShipments(
            ordersSource,
            rows.map((r) => [String(r.request_code), Number(r.shipment_code)]),
          );
        if (kind === 'parcel') schedules = await existingSchedules(ordersSource, [...new Set(rows.map((r) => String(r.schedule_code)))]);
      },
      map: (row, key): Mapped => {
        const { trader_status, ...plain } = row;
        const barcode = String(row.barcode);
        const hold = (fault: string, decision: 'quarantined' | 'refused', action: string, extra: Record<string, unknown> = {}): Mapped => ({
          findings: [finding(spec.table, key, fault, decision, action, plain, extra)],
        });
        if (isHeld(record, barcode)) return hold('parent_held', 'quarantined', `held back with its bag ${barcode}`);
        if (kind === 'ingredient') {
          const batch = `${String(row.item_code)}/${String(row.created_ts)}`;
          if (isHeld('blendsheet_batch', batch)) return hold('parent_held', 'quarantined', `held back with its batch ${batch}`);
        } else {
          const shipment = `${String(row.request_code)}/${String(row.shipment_code)}`;
          if (!shipments.has(shipment))
            return hold('allocation_without_shipment', 'quarantined', `held back: shipment ${shipment} does not exist in AWS-Manager`);
          if (isHeld('order_shipment', shipment)) return hold('parent_held', 'quarantined', `held back with its shipment ${shipment}`);
        }
        if (kind === 'parcel') {
          const parent = `${spec.table.replace('_parcel', '_shipment')}`;
          const allocation = `${barcode}/${String(row.request_code)}/${String(row.shipment_code)}`;
          if (isHeld(parent, allocation)) return hold('parent_held', 'quarantined', `held back with its shipment allocation ${allocation}`);
          if (!schedules.has(String(row.schedule_code)))
            return hold(
              'parcel_without_schedule',
              'quarantined',
              `held back: schedule ${String(row.schedule_code)} does not exist in AWS-Manager`,
            );
          return { row: { ...spec.key.reduce((r, c) => ({ ...r, [c]: row[c] }), {}), amount: row.amount }, findings: [] };
        }
        const excess = over.get(`${spec.table}:${showKey(spec, row)}`);
        if (excess)
          return hold(
            'bag_over_allocated',
            'quarantined',
            `held back: bag ${barcode} has ${excess.net} kg and ${excess.before} kg are allocated before this row`,
            excess,
          );
        if (kind === 'shipment' && spec.material === 'blendsheet' && trader_status !== 'TRADER_ALLOWED')
          return hold(
            'trader_not_allowed',
            'refused',
            `not imported: the bag's batch is ${String(trader_status ?? 'not reviewed')}, and only allowed batches ship`,
          );
        return { row: { ...spec.key.reduce((r, c) => ({ ...r, [c]: row[c] }), {}), amount: row.amount }, findings: [] };
      },
    });
  });
}
