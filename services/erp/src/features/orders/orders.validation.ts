import type { Static } from '@sinclair/typebox';
import { dec } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { ErpDatabase } from '../../db/schema.js';
import { ErpError } from '../../errors.js';
import { db6, show } from '../../shared/numbers.js';
import { factorFor, unitsOf } from '../uoms/uoms.service.js';
import { findCustomer, findItems, findWarehouses } from './orders.repository.js';
import type { ProcessBody } from './orders.schemas.js';

export interface OrderLine {
  line: number;
  item_code: string;
  qty: string;
  warehouse: string;
  uom: string | null;
}
/** A line converted to stock units: `qty` stays in the ordered `uom`, `stock_qty` is what the ledger reserves. */
export interface ConvertedLine extends OrderLine {
  conversion_factor: string;
  stock_qty: string;
}
export interface Problem {
  line?: number;
  field: string;
  reason: string;
}

const DECIMAL = /^[0-9]{1,12}(\.[0-9]{1,6})?$/;

/** Exact quantities only: a decimal string, or a JSON integer (a fractional JSON number was already rounded by the parser). */
function quantity(value: string | number | undefined): { qty?: string; reason?: string } {
  if (value === undefined) return { reason: 'required' };
  if (typeof value === 'number' && !Number.isSafeInteger(value)) return { reason: 'not_exact: send a decimal string' };
  const text = String(value).trim();
  if (!DECIMAL.test(text)) return { reason: 'not_a_decimal' };
  if (dec(text).lte(0)) return { reason: 'must_be_positive' };
  return { qty: show(text) };
}

function refuse(problems: Problem[]): never {
  throw ErpError.ORDER_VALIDATION_ERROR(`the order has ${problems.length} problem(s)`, { details: { problems } });
}

/** The checks that need no database: every problem of the body at once. */
export function validateShape(body: Static<typeof ProcessBody>): { customer: string; lines: OrderLine[] } {
  const problems: Problem[] = [];
  const customer = body.customer?.trim() ?? '';
  if (customer === '') problems.push({ field: 'customer', reason: 'required' });
  const items = body.items ?? [];
  if (items.length === 0) problems.push({ field: 'items', reason: 'required: at least one line' });
  const lines: OrderLine[] = [];
  items.forEach((item, index) => {
    const line = index + 1;
    const code = item.item_code?.trim() ?? '';
    if (code === '') problems.push({ line, field: 'item_code', reason: 'required' });
    const { qty, reason } = quantity(item.qty);
    if (reason) problems.push({ line, field: 'qty', reason });
    const warehouse = item.warehouse ?? body.set_warehouse;
    if (!warehouse) problems.push({ line, field: 'warehouse', reason: 'required: on the line or as set_warehouse' });
    if (code !== '' && qty && warehouse) lines.push({ line, item_code: code, qty, warehouse, uom: item.uom ?? null });
  });
  if (problems.length > 0) refuse(problems);
  return { customer, lines };
}

/**
 * The checks against the masters, read in the order's transaction. A line in a UoM other than
 * the item's stock UoM needs the item's conversion for it (`unknown_uom` otherwise).
 */
export async function validateMasters(trx: Kysely<ErpDatabase>, customer: string, lines: OrderLine[]): Promise<ConvertedLine[]> {
  const problems: Problem[] = [];
  const converted: ConvertedLine[] = [];
  const found = await findCustomer(trx, customer);
  if (!found) problems.push({ field: 'customer', reason: 'not_found' });
  else if (Number(found.disabled) === 1) problems.push({ field: 'customer', reason: 'disabled' });
  const masters = await findItems(trx, [...new Set(lines.map((l) => l.item_code))]);
  const items = new Map(masters.map((i) => [i.name, i]));
  const units = await unitsOf(trx, masters);
  const warehouses = new Map((await findWarehouses(trx, [...new Set(lines.map((l) => l.warehouse))])).map((w) => [w.name, w]));
  for (const l of lines) {
    const item = items.get(l.item_code);
    if (!item) problems.push({ line: l.line, field: 'item_code', reason: 'not_found' });
    else if (Number(item.disabled) === 1) problems.push({ line: l.line, field: 'item_code', reason: 'disabled' });
    else {
      const factor = factorFor(units, item.name, l.uom);
      if (factor === undefined) problems.push({ line: l.line, field: 'uom', reason: 'unknown_uom' });
      else
        converted.push({ ...l, uom: l.uom ?? item.stock_uom, conversion_factor: factor, stock_qty: show(db6(dec(l.qty).times(factor))) });
    }
    const warehouse = warehouses.get(l.warehouse);
    if (!warehouse || Number(warehouse.is_group) === 1 || Number(warehouse.disabled) === 1)
      problems.push({ line: l.line, field: 'warehouse', reason: 'not_a_stock_location' });
  }
  if (problems.length > 0) refuse(problems);
  return converted;
}
