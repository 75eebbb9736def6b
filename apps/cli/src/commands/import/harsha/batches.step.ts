import { columnSetFaults } from './column-sets.js';
import { missingParents } from './erp.steps.js';
import { fault, type FaultEntry } from './faults.js';
import { BATCHES, CONSUMPTION_LOG, MOVEMENTS, rebuildLedger, type Ledger, type StockChange } from './ledger-rebuild.js';
import type { SourceRow } from './source.js';
import { stepOf, type Mapped, type Step } from './step.js';
import { day, decimal, flag, integer, json, originalRow, pick, required, standardColumns, text } from './values.js';

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

/** Batches with their ledgers: a batch and its movements are written in the same chunk. */
export const batchStep: Step = {
  ...stepOf('erp', BATCHES, 'name'),
  tableFaults: (source) => columnSetFaults(source, BATCHES),
  async map(rows, context): Promise<Mapped> {
    const mapped: Mapped = { inserts: [], faults: [] };
    const source = context.sources.erp!;
    const names = rows.map((row) => String(row.name));
    const changes: StockChange[] = (await source.whereIn(MOVEMENTS, 'batch_id', names)).map((row) => ({ table: MOVEMENTS, row }));
    if (await source.hasTable(CONSUMPTION_LOG)) {
      for (const row of await source.whereIn(CONSUMPTION_LOG, 'batch_id', names)) changes.push({ table: CONSUMPTION_LOG, row });
    }
    for (const row of rows) {
      const own = changes.filter((change) => String(change.row.batch_id) === String(row.name));
      const heldBack = (reason: FaultEntry) => {
        mapped.faults.push(reason);
        for (const change of own) {
          const detail = { batch: String(row.name), original: originalRow(change.row) };
          mapped.faults.push(fault(change.table, String(change.row.name), 'PARENT_HELD_BACK', detail));
        }
      };
      const orphan = await missingParents(context, BATCHES, row, [
        ['item', 'tabItem'],
        ['warehouse', 'tabWarehouse'],
      ]);
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

/** Stock changes whose batch the original does not have; the others were written with their batch. */
function orphanChangeStep(table: string): Step {
  return {
    ...stepOf('erp', table, 'name'),
    async map(rows, context): Promise<Mapped> {
      const batches = await context.parentKeys('erp', BATCHES, 'name');
      const faults = rows
        .filter((row) => !batches.has(String(row.batch_id)))
        .map((row) =>
          fault(table, String(row.name), 'MISSING_PARENT', { missing: { batch_id: row.batch_id }, original: originalRow(row) }),
        );
      return { inserts: [], faults };
    },
  };
}

export const orphanMovementStep = orphanChangeStep(MOVEMENTS);
export const orphanConsumptionStep = orphanChangeStep(CONSUMPTION_LOG);
