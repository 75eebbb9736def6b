import { AppError } from '@tributary/platform/core';
import { OrdersError } from '../../errors.js';
import { isCalendarDate, kgToPositiveGrams } from '../../units.js';

/** The thirteen text columns of order_plan_raw, in the order of the original Excel sheet. */
export const RAW_COLUMNS = [
  'lot_code',
  'order_code',
  'item_code',
  'production_date',
  'stock',
  'requirement',
  'location',
  'product_code',
  'product_name',
  'item_name',
  'sub_location',
  'plan_start',
  'plan_end',
] as const;
export type RawColumn = (typeof RAW_COLUMNS)[number];
export type RawRecord = Record<RawColumn, string>;

export interface NumberedRow {
  /** 1-based: the array index + 1 for JSON, the sheet row for Excel. */
  row: number;
  values: Partial<Record<RawColumn, string | number | undefined>>;
}

export interface RowIssue {
  row: number;
  field: string;
  message: string;
}

export interface AggregatedPlan {
  order_code: string;
  product_name: string;
  item_code: string;
  requirementGrams: bigint;
  plan_start: string;
  plan_end: string;
}

const BLEND_CODE = /(BLT|BTL|FLT)\d{5}/;

/**
 * The aggregation rule (the original left it undocumented): rows are grouped by order_code;
 * requirement is the sum of the rows' kg; plan_start the earliest and plan_end the latest date;
 * product_name must be the same on every row of an order; item_code is the first blend code
 * (BLT/BTL/FLT + 5 digits) found in the rows' item codes, else the first row's item code.
 * Any row problem refuses the whole upload, listing every problem with its row number.
 */
export function aggregatePlanRows(rows: readonly NumberedRow[]): { plans: AggregatedPlan[]; raw: (RawRecord & { row: number })[] } {
  const issues: RowIssue[] = [];
  const raw: (RawRecord & { row: number })[] = [];
  const plans = new Map<string, AggregatedPlan & { firstRow: number; blendFound: boolean }>();

  for (const { row, values } of rows) {
    const record = Object.fromEntries(RAW_COLUMNS.map((column) => [column, text(values[column])])) as RawRecord;
    const rowIssues: RowIssue[] = [];
    const problem = (field: string, message: string) => rowIssues.push({ row, field, message });

    if (record.order_code === '') problem('order_code', 'is required');
    if (record.product_name === '') problem('product_name', 'is required');
    let grams: bigint | undefined;
    try {
      grams = kgToPositiveGrams(record.requirement, 'requirement');
    } catch (error) {
      problem('requirement', error instanceof AppError ? error.message : 'is not a quantity');
    }
    if (!isCalendarDate(record.plan_start)) problem('plan_start', 'must be a date YYYY-MM-DD');
    if (!isCalendarDate(record.plan_end)) problem('plan_end', 'must be a date YYYY-MM-DD');
    if (isCalendarDate(record.plan_start) && isCalendarDate(record.plan_end) && record.plan_end < record.plan_start) {
      problem('plan_end', 'is before plan_start');
    }
    const existing = plans.get(record.order_code);
    if (existing && record.product_name !== '' && existing.product_name !== record.product_name) {
      problem('product_name', `differs from row ${existing.firstRow} of order ${record.order_code} ("${existing.product_name}")`);
    }
    if (rowIssues.length > 0 || grams === undefined) {
      issues.push(...rowIssues);
      continue;
    }

    raw.push({ ...record, row });
    const blend = BLEND_CODE.exec(record.item_code)?.[0];
    if (!existing) {
      plans.set(record.order_code, {
        order_code: record.order_code,
        product_name: record.product_name,
        item_code: blend ?? record.item_code,
        requirementGrams: grams,
        plan_start: record.plan_start,
        plan_end: record.plan_end,
        firstRow: row,
        blendFound: blend !== undefined,
      });
      continue;
    }
    existing.requirementGrams += grams;
    if (record.plan_start < existing.plan_start) existing.plan_start = record.plan_start;
    if (record.plan_end > existing.plan_end) existing.plan_end = record.plan_end;
    if (!existing.blendFound && blend !== undefined) {
      existing.item_code = blend;
      existing.blendFound = true;
    }
  }

  if (issues.length > 0) {
    throw OrdersError.PLAN_ROWS_INVALID(`${issues.length} problem(s) in the plan rows; nothing was saved`, {
      details: { errors: issues.slice(0, 200), total: issues.length },
    });
  }
  return { plans: [...plans.values()].map(({ firstRow: _f, blendFound: _b, ...plan }) => plan), raw };
}

function text(value: string | number | undefined): string {
  if (value === undefined) return '';
  return typeof value === 'number' ? String(value) : value.trim();
}
