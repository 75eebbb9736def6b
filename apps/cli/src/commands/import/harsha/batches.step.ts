import { Decimal, dec } from '@tributary/platform/core';
import { columnSetFaults } from './column-sets.js';
import { fault, type FaultEntry } from './faults.js';
import type { SourceRow } from './source.js';
import type { Mapped, Step, StepContext, TargetInsert } from './step.js';
import { day, decimal, flag, instant, integer, json, originalRow, pick, required, standardColumns, text } from './values.js';

const BATCHES = 'tabHD Batch Master';
const MOVEMENTS = 'tabHD Batch Movement';

/** Original movement types onto the ledger's (ADR 0302); a transfer's sign says which side it is. */
function ledgerType(original: string, change: Decimal): string | undefined {
  switch (original.toUpperCase()) {
    case 'IN':
      return 'RECEIPT';
    case 'OUT':
      return 'CONSUMPTION';
    case 'TRANSFER':
      return change.isNegative() ? 'TRANSFER_OUT' : 'TRANSFER_IN';
    case 'ADJUSTMENT':
      return 'ADJUSTMENT';
    default:
      return undefined;
  }
}

const byDateThenName = (a: SourceRow, b: SourceRow): number => {
  const at = instant(a.movement_date)?.getTime() ?? 0;
  const bt = instant(b.movement_date)?.getTime() ?? 0;
  return at !== bt ? at - bt : String(a.name).localeCompare(String(b.name));
};

interface Ledger {
  movements: TargetInsert[];
  faults: FaultEntry[];
  balance: Decimal;
  /** Set when the ledger cannot be booked: the batch and its movements are held back. */
  refusal?: FaultEntry;
}

/**
 * Rebuilds a batch's ledger from the original movements in date order: each movement's
 * before/after is the running balance (the original's own figures are checked against it, not
 * trusted), and the result must end at the batch's recorded available quantity, which is what
 * the plant counted; the difference becomes one ADJUSTMENT movement.
 */
export function rebuildLedger(batch: SourceRow, originals: SourceRow[]): Ledger {
  const ledger: Ledger = { movements: [], faults: [], balance: dec(0) };
  const name = String(batch.name);
  const base = (row: SourceRow) => ({ batch_id: name, item_code: String(batch.item), warehouse: String(batch.warehouse), ...row });
  for (const row of [...originals].sort(byDateThenName)) {
    const change = dec(decimal(row.qty_change) ?? '0');
    const type = ledgerType(String(row.movement_type ?? ''), change);
    if (!type) {
      ledger.faults.push(fault(MOVEMENTS, String(row.name), 'MOVEMENT_TYPE_UNKNOWN', { original: originalRow(row) }));
      continue;
    }
    const before = ledger.balance;
    const after = before.plus(change);
    if (!dec(decimal(row.qty_before) ?? '0').eq(before) || !dec(decimal(row.qty_after) ?? '0').eq(after)) {
      ledger.faults.push(
        fault(MOVEMENTS, String(row.name), 'MOVEMENT_CHAIN_BROKEN', {
          qty_before: before.toFixed(),
          qty_after: after.toFixed(),
          original: originalRow(row),
        }),
      );
    }
    if (after.isNegative()) {
      ledger.refusal = fault(BATCHES, name, 'NEGATIVE_STOCK', {
        movement: String(row.name),
        balance: after.toFixed(),
        original: originalRow(batch),
      });
      return ledger;
    }
    ledger.movements.push(
      movement({
        ...standardColumns(row),
        ...base({}),
        seq: ledger.movements.length + 1,
        movement_type: type,
        movement_date: instant(row.movement_date),
        reference_doctype: text(row.reference_doctype),
        reference_name: text(row.reference_name),
        qty_before: before.toFixed(),
        qty_change: change.toFixed(),
        qty_after: after.toFixed(),
        from_warehouse: text(row.from_warehouse),
        to_warehouse: text(row.to_warehouse),
        reason: text(row.reason),
        notes: text(row.notes),
        operator: text(row.operator),
      }),
    );
    ledger.balance = after;
  }
  const recorded = dec(decimal(batch.available_qty) ?? '0');
  if (recorded.isNegative()) {
    ledger.refusal = fault(BATCHES, name, 'NEGATIVE_STOCK', { balance: recorded.toFixed(), original: originalRow(batch) });
    return ledger;
  }
  if (!recorded.eq(ledger.balance)) {
    const change = recorded.minus(ledger.balance);
    const adjustment = `${name}-IMPORT-ADJ`;
    ledger.faults.push(
      fault(BATCHES, name, 'BATCH_BALANCE_MISMATCH', {
        ledger_sum: ledger.balance.toFixed(),
        available_qty: recorded.toFixed(),
        adjustment: { name: adjustment, qty_change: change.toFixed() },
      }),
    );
    const at = instant(batch.modified) ?? new Date(0);
    ledger.movements.push(
      movement({
        name: adjustment,
        creation: at,
        modified: at,
        modified_by: 'import',
        owner: 'import',
        docstatus: 1,
        idx: 0,
        ...base({}),
        seq: ledger.movements.length + 1,
        movement_type: 'ADJUSTMENT',
        movement_date: at,
        reference_doctype: null,
        reference_name: null,
        qty_before: ledger.balance.toFixed(),
        qty_change: change.toFixed(),
        qty_after: recorded.toFixed(),
        from_warehouse: null,
        to_warehouse: null,
        reason: 'import: balance recorded by the original system',
        notes: null,
        operator: 'import',
      }),
    );
    ledger.balance = recorded;
  }
  return ledger;
}

const movement = (values: Record<string, unknown>): TargetInsert => ({
  table: MOVEMENTS,
  keyColumn: 'name',
  key: String(values.name),
  values,
});

function batchValues(row: SourceRow, ledger: Ledger): Record<string, unknown> {
  return {
    ...standardColumns(row),
    batch_id: required(row.batch_id, String(row.name)),
    item: String(row.item),
    item_name: text(row.item_name),
    warehouse: String(row.warehouse),
    supplier: text(row.supplier),
    supplier_batch_id: text(row.supplier_batch_id),
    manufacturing_date: day(row.manufacturing_date),
    expiry_date: day(row.expiry_date),
    best_before_date: day(row.best_before_date),
    production_line: text(row.production_line),
    production_shift: text(row.production_shift),
    quality_grade: required(row.quality_grade, 'A'),
    total_qty: decimal(pick(row, 'total_qty', 'batch_qty', 'batch_size')),
    available_qty: ledger.balance.toFixed(),
    reserved_qty: decimal(row.reserved_qty),
    sold_qty: decimal(pick(row, 'sold_qty', 'consumed_qty')),
    damaged_qty: decimal(row.damaged_qty),
    expired_qty: decimal(row.expired_qty),
    unit_cost: decimal(row.unit_cost),
    sugar_content_percentage: decimal(row.sugar_content_percentage, null),
    fat_content_percentage: decimal(row.fat_content_percentage, null),
    moisture_content_percentage: decimal(row.moisture_content_percentage, null),
    storage_temperature_min: decimal(row.storage_temperature_min, null),
    storage_temperature_max: decimal(row.storage_temperature_max, null),
    storage_humidity_max: decimal(row.storage_humidity_max, null),
    quality_tested: flag(row.quality_tested),
    quality_test_date: day(row.quality_test_date),
    quality_notes: text(row.quality_notes),
    allergen_info: text(row.allergen_info),
    nutritional_info: json(row.nutritional_info),
    status: required(row.status, 'Active'),
    batch_notes: text(pick(row, 'batch_notes', 'manufacturing_notes')),
    is_active: flag(row.is_active, 1),
    movement_seq: integer(ledger.movements.length),
  };
}

async function orphanOf(context: StepContext, row: SourceRow): Promise<FaultEntry | undefined> {
  const missing: Record<string, unknown> = {};
  if (!(await context.parentKeys('erp', 'tabItem', 'name')).has(String(row.item))) missing.item = row.item;
  if (!(await context.parentKeys('erp', 'tabWarehouse', 'name')).has(String(row.warehouse))) missing.warehouse = row.warehouse;
  if (Object.keys(missing).length === 0) return undefined;
  return fault(BATCHES, String(row.name), 'MISSING_PARENT', { missing, original: originalRow(row) });
}

/** Batches with their ledgers: a batch and its movements are written in the same chunk. */
export const batchStep: Step = {
  id: `erp:${BATCHES}`,
  source: 'erp',
  table: BATCHES,
  key: 'name',
  target: 'erp',
  tableFaults: (source) => columnSetFaults(source, BATCHES),
  async map(rows, context): Promise<Mapped> {
    const mapped: Mapped = { inserts: [], faults: [] };
    const source = context.sources.erp!;
    const movements = await source.whereIn(
      MOVEMENTS,
      'batch_id',
      rows.map((row) => String(row.name)),
    );
    for (const row of rows) {
      const own = movements.filter((m) => String(m.batch_id) === String(row.name));
      const heldBack = (reason: FaultEntry) => {
        mapped.faults.push(reason);
        for (const m of own)
          mapped.faults.push(fault(MOVEMENTS, String(m.name), 'PARENT_HELD_BACK', { batch: String(row.name), original: originalRow(m) }));
      };
      const orphan = await orphanOf(context, row);
      if (orphan) {
        heldBack(orphan);
        continue;
      }
      if (String(row.batch_id ?? row.name).length > 50) {
        heldBack(fault(BATCHES, String(row.name), 'VALUE_TOO_LONG', { column: 'batch_id', limit: 50, original: originalRow(row) }));
        continue;
      }
      const ledger = rebuildLedger(row, own);
      if (ledger.refusal) {
        heldBack(ledger.refusal);
        continue;
      }
      mapped.faults.push(...ledger.faults);
      mapped.inserts.push(
        { table: BATCHES, keyColumn: 'name', key: String(row.name), values: batchValues(row, ledger) },
        ...ledger.movements,
      );
    }
    return mapped;
  },
};

/** Movements whose batch the original does not have; the others were written with their batch. */
export const orphanMovementStep: Step = {
  id: `erp:${MOVEMENTS}`,
  source: 'erp',
  table: MOVEMENTS,
  key: 'name',
  target: 'erp',
  async map(rows, context): Promise<Mapped> {
    const batches = await context.parentKeys('erp', BATCHES, 'name');
    const faults = rows
      .filter((row) => !batches.has(String(row.batch_id)))
      .map((row) =>
        fault(MOVEMENTS, String(row.name), 'MISSING_PARENT', { missing: { batch_id: row.batch_id }, original: originalRow(row) }),
      );
    return { inserts: [], faults };
  },
};
