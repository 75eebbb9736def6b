import { Decimal, dec } from '@tributary/platform/core';
import { fault, type FaultEntry } from './faults.js';
import type { SourceRow } from './source.js';
import type { TargetInsert } from './step.js';
import { decimal, instant, originalRow, pick, standardColumns, text } from './values.js';

export const BATCHES = 'tabHD Batch Master';
export const MOVEMENTS = 'tabHD Batch Movement';
/** The doctype the original code wrote consumption into instead of movements (reference §1.10). */
export const CONSUMPTION_LOG = 'tabHD Batch Consumption Log';

/** One original stock change: a movement, or a consumption log row read as the movement it stands for. */
export interface StockChange {
  table: string;
  row: SourceRow;
}

export interface Ledger {
  movements: TargetInsert[];
  faults: FaultEntry[];
  balance: Decimal;
  /** Set when the ledger cannot be booked: the batch and its changes are held back. */
  refusal?: FaultEntry;
}

interface Booking {
  name: string;
  type: string;
  at: Date;
  change: Decimal;
  row: SourceRow;
}

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

/** A consumption log row takes stock out: a Transfer to another warehouse, everything else consumed. */
function fromChange(change: StockChange): { type: string | undefined; at: Date | null; qty: Decimal } {
  const { row } = change;
  if (change.table === CONSUMPTION_LOG) {
    const qty = dec(decimal(row.qty_consumed) ?? '0').negated();
    return { type: row.consumption_type === 'Transfer' ? 'TRANSFER_OUT' : 'CONSUMPTION', at: instant(row.consumption_date), qty };
  }
  const qty = dec(decimal(row.qty_change) ?? '0');
  return { type: ledgerType(String(row.movement_type ?? ''), qty), at: instant(row.movement_date), qty };
}

const importMovement = (batch: SourceRow, suffix: string, at: Date, reason: string) => ({
  name: `${String(batch.name)}-IMPORT-${suffix}`,
  creation: at,
  modified: at,
  modified_by: 'import',
  owner: 'import',
  docstatus: 1,
  idx: 0,
  movement_date: at,
  reference_doctype: null,
  reference_name: null,
  from_warehouse: null,
  to_warehouse: null,
  reason,
  notes: null,
  operator: 'import',
});

/**
 * Rebuilds a batch's ledger from the original stock changes in date order (then name): each
 * movement's before/after is the running balance (the original's own figures are checked
 * against it, not trusted). A batch whose changes have no receipt opens with one of its total
 * quantity (the code that kept only consumption logs never booked one). The result must end at
 * the batch's recorded available quantity, what the plant counted; the difference becomes one
 * ADJUSTMENT movement. A balance below zero at any point refuses the batch.
 */
export function rebuildLedger(batch: SourceRow, changes: readonly StockChange[]): Ledger {
  const ledger: Ledger = { movements: [], faults: [], balance: dec(0) };
  const name = String(batch.name);
  const bookings: Booking[] = [];
  for (const change of changes) {
    const { type, at, qty } = fromChange(change);
    if (!type)
      ledger.faults.push(fault(change.table, String(change.row.name), 'MOVEMENT_TYPE_UNKNOWN', { original: originalRow(change.row) }));
    else bookings.push({ name: String(change.row.name), type, at: at ?? new Date(0), change: qty, row: change.row });
  }
  bookings.sort((a, b) => a.at.getTime() - b.at.getTime() || a.name.localeCompare(b.name));
  const book = (values: Record<string, unknown>, change: Decimal) => {
    const after = ledger.balance.plus(change);
    ledger.movements.push({
      table: MOVEMENTS,
      keyColumn: 'name',
      key: String(values.name),
      values: {
        ...values,
        batch_id: name,
        item_code: String(batch.item),
        warehouse: String(batch.warehouse),
        seq: ledger.movements.length + 1,
        qty_before: ledger.balance.toFixed(),
        qty_change: change.toFixed(),
        qty_after: after.toFixed(),
      },
    });
    ledger.balance = after;
  };

  const total = dec(decimal(pick(batch, 'total_qty', 'batch_qty', 'batch_size')) ?? '0');
  if (!bookings.some((b) => b.type === 'RECEIPT' || b.type === 'TRANSFER_IN') && total.gt(0)) {
    const at = instant(batch.manufacturing_date) ?? instant(batch.creation) ?? new Date(0);
    const opening = importMovement(batch, 'OPEN', at, 'import: the batch as produced');
    ledger.faults.push(fault(BATCHES, name, 'BATCH_WITHOUT_RECEIPT', { receipt: { name: opening.name, qty_change: total.toFixed() } }));
    book({ ...opening, movement_type: 'RECEIPT' }, total);
  }

  for (const booking of bookings) {
    const { row } = booking;
    const after = ledger.balance.plus(booking.change);
    if (
      row.qty_before !== undefined &&
      (!dec(decimal(row.qty_before) ?? '0').eq(ledger.balance) || !dec(decimal(row.qty_after) ?? '0').eq(after))
    ) {
      ledger.faults.push(
        fault(MOVEMENTS, booking.name, 'MOVEMENT_CHAIN_BROKEN', {
          qty_before: ledger.balance.toFixed(),
          qty_after: after.toFixed(),
          original: originalRow(row),
        }),
      );
    }
    if (after.isNegative()) {
      ledger.refusal = fault(BATCHES, name, 'NEGATIVE_STOCK', {
        movement: booking.name,
        balance: after.toFixed(),
        original: originalRow(batch),
      });
      return ledger;
    }
    book(
      {
        ...standardColumns(row),
        movement_type: booking.type,
        movement_date: booking.at,
        reference_doctype: text(pick(row, 'reference_doctype', 'reference_type')),
        reference_name: text(row.reference_name),
        from_warehouse: text(row.from_warehouse),
        to_warehouse: text(row.to_warehouse),
        reason: text(pick(row, 'reason', 'consumption_type')),
        notes: text(pick(row, 'notes', 'consumption_notes')),
        operator: text(pick(row, 'operator', 'consumed_by')),
      },
      booking.change,
    );
  }

  const recorded = dec(decimal(batch.available_qty) ?? '0');
  if (recorded.isNegative()) {
    ledger.refusal = fault(BATCHES, name, 'NEGATIVE_STOCK', { balance: recorded.toFixed(), original: originalRow(batch) });
    return ledger;
  }
  if (!recorded.eq(ledger.balance)) {
    const adjustment = importMovement(
      batch,
      'ADJ',
      instant(batch.modified) ?? new Date(0),
      'import: balance recorded by the original system',
    );
    const change = recorded.minus(ledger.balance);
    ledger.faults.push(
      fault(BATCHES, name, 'BATCH_BALANCE_MISMATCH', {
        ledger_sum: ledger.balance.toFixed(),
        available_qty: recorded.toFixed(),
        adjustment: { name: adjustment.name, qty_change: change.toFixed() },
      }),
    );
    book({ ...adjustment, movement_type: 'ADJUSTMENT' }, change);
  }
  return ledger;
}
