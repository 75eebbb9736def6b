import { sql, type AnyKysely } from '@tributary/platform/db';
import type { TableStep } from '../common/run.js';
import { allocationSteps } from './allocations.js';
import { batchFinalizeSteps, recordFinalizeSteps } from './finalize.js';
import type { SourceRow } from './keyset.js';
import { MTP_MATERIALS } from './materials.js';
import { finding, mtpStep, stepsFor, type HeldRows, type Mapped } from './step.js';

const ITEM_KEY = ['item_code', 'created_ts'] as const;

/** Tables copied as they are, parents first, with the parent each row needs (if any). */
const MASTER_TABLES: readonly {
  table: string;
  key: readonly string[];
  columns: readonly string[];
  parent?: { table: string; columns: readonly string[] };
}[] = [
  { table: 'store_location', key: ['location_name'], columns: ['location_name', 'herbline_section'] },
  { table: 'item', key: ITEM_KEY, columns: ITEM_KEY },
  {
    table: 'tealine',
    key: ITEM_KEY,
    columns: [...ITEM_KEY, 'invoice_no', 'grade', 'no_of_bags', 'weight_per_bag', 'broker', 'garden', 'purchase_order'],
    parent: { table: 'item', columns: ITEM_KEY },
  },
  {
    table: 'herbline',
    key: ITEM_KEY,
    columns: [...ITEM_KEY, 'item_name', 'purchase_order', 'weight'],
    parent: { table: 'item', columns: ITEM_KEY },
  },
  {
    table: 'blendbalance',
    key: ITEM_KEY,
    columns: [...ITEM_KEY, 'blend_code', 'transfer_id', 'weight'],
    parent: { table: 'item', columns: ITEM_KEY },
  },
  {
    table: 'blendsheet',
    key: ['blendsheet_no'],
    columns: ['blendsheet_no', 'standard', 'grade', 'remarks', 'no_of_batches', 'total', 'blend_code'],
  },
  {
    table: 'blendsheet_mix_tealine',
    key: ['blendsheet_no', 'mixture_code'],
    columns: ['blendsheet_no', 'mixture_code', 'no_of_bags'],
    parent: { table: 'blendsheet', columns: ['blendsheet_no'] },
  },
  {
    table: 'blendsheet_mix_blendbalance',
    key: ['blendsheet_no', 'mixture_code'],
    columns: ['blendsheet_no', 'mixture_code', 'weight'],
    parent: { table: 'blendsheet', columns: ['blendsheet_no'] },
  },
  { table: 'flavorsheet', key: ['flavorsheet_no'], columns: ['flavorsheet_no', 'flavor_code', 'remarks'] },
  {
    table: 'flavorsheet_mix',
    key: ['flavorsheet_no', 'mixture_code'],
    columns: ['flavorsheet_no', 'mixture_code', 'weight'],
    parent: { table: 'flavorsheet', columns: ['flavorsheet_no'] },
  },
];

const pick = (row: SourceRow, columns: readonly string[]) => Object.fromEntries(columns.map((c) => [c, row[c]]));
const parentKey = (row: SourceRow, columns: readonly string[]) => columns.map((c) => String(row[c])).join('/');
const exists = (table: string, columns: readonly string[]) =>
  sql`exists (select 1 from ${sql.table(table)} p where ${sql.join(
    columns.map((c) => sql`p.${sql.ref(c)} = t.${sql.ref(c)}`),
    sql` and `,
  )}) as has_parent`;

/**
 * The Central-Handler tables in the order the processing schema's rules need them: bags enter
 * ACCEPTED with their batches still open and unreviewed, ingredients are allocated, then the
 * batches get their trader decisions and completion, then shipments and parcels, and last the
 * bags' own statuses and remaining weights (rules only let those move forward).
 */
export function processingSteps(source: AnyKysely, ordersSource: AnyKysely, held: HeldRows): TableStep<SourceRow>[] {
  const isHeld = (table: string, key: string) => held.has(`${table}:${key}`);
  const step = stepsFor('processing', source, held);
  const masters = MASTER_TABLES.map((spec) =>
    step(spec.table, spec.key, {
      ...(spec.parent ? { extra: exists(spec.parent.table, spec.parent.columns) } : {}),
      map: (row, key): Mapped => {
        if (spec.parent) {
          const { has_parent, ...plain } = row;
          const parent = parentKey(row, spec.parent.columns);
          if (!has_parent)
            return {
              findings: [
                finding(
                  spec.table,
                  key,
                  'row_without_parent',
                  'quarantined',
                  `held back: ${spec.parent.table} ${parent} is missing`,
                  plain,
                ),
              ],
            };
          if (isHeld(spec.parent.table, parent))
            return {
              findings: [
                finding(spec.table, key, 'parent_held', 'quarantined', `held back with its ${spec.parent.table} ${parent}`, plain),
              ],
            };
        }
        return { row: pick(row, spec.columns), findings: [] };
      },
    }),
  );
  const batches = [
    step('blendsheet_batch', ITEM_KEY, {
      // Tributary numbers a blendsheet's batches; the original's creation order gives the numbers.
      extra: sql`(select count(*) from blendsheet_batch b where b.blendsheet_no = t.blendsheet_no
          and (b.created_ts, b.item_code) <= (t.created_ts, t.item_code))::int as batch_no,
        (select s.no_of_batches from blendsheet s where s.blendsheet_no = t.blendsheet_no) as no_of_batches`,
      map: (row, key): Mapped => {
        const { batch_no, no_of_batches, ...plain } = row;
        if (isHeld('blendsheet', String(row.blendsheet_no)) || isHeld('item', key))
          return {
            findings: [finding('blendsheet_batch', key, 'parent_held', 'quarantined', 'held back with its blendsheet or item', plain)],
          };
        if (Number(batch_no) > Number(no_of_batches))
          return {
            findings: [
              finding(
                'blendsheet_batch',
                key,
                'batch_limit_exceeded',
                'quarantined',
                `held back: batch ${String(batch_no)} of a blendsheet that allows ${String(no_of_batches)}`,
                plain,
              ),
            ],
          };
        return { row: { ...pick(row, [...ITEM_KEY, 'blendsheet_no', 'humidity', 'density']), batch_no, completed: false }, findings: [] };
      },
    }),
    step('flavorsheet_batch', ITEM_KEY, {
      extra: sql`(select count(*) from flavorsheet_batch b where b.flavorsheet_no = t.flavorsheet_no
          and (b.created_ts, b.item_code) < (t.created_ts, t.item_code))::int as earlier,
        exists (select 1 from flavorsheet f where f.flavorsheet_no = t.flavorsheet_no) as has_parent`,
      map: (row, key): Mapped => {
        const { earlier, has_parent, ...plain } = row;
        if (!has_parent || isHeld('flavorsheet', String(row.flavorsheet_no)) || isHeld('item', key))
          return {
            findings: [
              finding(
                'flavorsheet_batch',
                key,
                'row_without_parent',
                'quarantined',
                `held back: flavorsheet ${String(row.flavorsheet_no)} is missing`,
                plain,
              ),
            ],
          };
        if (Number(earlier) > 0)
          return {
            findings: [
              finding('flavorsheet_batch', key, 'second_flavorsheet_batch', 'quarantined', 'held back: a flavorsheet has one batch', plain),
            ],
          };
        return { row: { ...pick(row, [...ITEM_KEY, 'flavorsheet_no']), completed: false }, findings: [] };
      },
    }),
  ];
  const records = MTP_MATERIALS.map(({ material, parent, herbline }) =>
    mtpStep({
      service: 'processing',
      sourceTable: `${material}_record`,
      targetTable: `${material}_record`,
      source,
      // Receiving order: the bag numbers Tributary gives follow it, as the printed "Bag No" did.
      key: ['received_ts', 'barcode'],
      targetKey: ['barcode'],
      logKey: (row) => String(row.barcode),
      held,
      extra: sql`exists (select 1 from ${sql.table(parent)} p where p.item_code = t.item_code and p.created_ts = t.created_ts) as has_parent,
        (select l.herbline_section from store_location l where l.location_name = t.store_location) as herbline_section`,
      map: (row): Mapped => {
        const { has_parent, herbline_section, ...plain } = row;
        const key = String(row.barcode);
        const table = `${material}_record`;
        const lot = `${String(row.item_code)}/${String(row.created_ts)}`;
        if (!has_parent)
          return { findings: [finding(table, key, 'bag_without_parent', 'quarantined', `held back: ${parent} ${lot} is missing`, plain)] };
        if (isHeld(parent, lot))
          return { findings: [finding(table, key, 'parent_held', 'quarantined', `held back with its ${parent} ${lot}`, plain)] };
        if (herbline_section === null || herbline_section === undefined)
          return {
            findings: [
              finding(
                table,
                key,
                'bag_location_unknown',
                'quarantined',
                `held back: location ${String(row.store_location)} does not exist`,
                plain,
              ),
            ],
          };
        if (herbline_section !== herbline)
          return {
            findings: [
              finding(
                table,
                key,
                'bag_location_section',
                'refused',
                `not imported: ${material} bags may not be stored in ${String(row.store_location)}`,
                plain,
              ),
            ],
          };
        return {
          row: pick(row, [
            'barcode',
            'item_code',
            'created_ts',
            'received_ts',
            'store_location',
            'bag_weight',
            'gross_weight',
            ...(material === 'herbline' ? ['reference'] : []),
          ]),
          findings: [],
        };
      },
    }),
  );
  return [
    ...masters,
    ...batches,
    ...records,
    ...allocationSteps(source, ordersSource, held, 'ingredient'),
    ...batchFinalizeSteps(source, held),
    ...allocationSteps(source, ordersSource, held, 'shipment'),
    ...allocationSteps(source, ordersSource, held, 'parcel'),
    ...recordFinalizeSteps(source, ordersSource, held),
  ];
}
