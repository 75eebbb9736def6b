import { dec, type Decimal } from '@tributary/platform/core';
import { ProcessingError } from '../errors.js';

/** Per-bag and allocation weights are numeric(5,2) in the original: at most 999.99 kg. */
export const BAG_WEIGHT_MAX = dec('999.99');
/** Recipe weights are numeric(1000,2); totals numeric(8,2). A sane upper bound keeps input honest. */
export const RECIPE_WEIGHT_MAX = dec('1000000000');
export const TOTAL_MAX = dec('999999.99');

/**
 * A weight from the API (number or decimal string) as an exact decimal, refusing more than two
 * decimals, negatives, zero (unless allowed) and values beyond the column's range.
 */
export function parseKg(value: number | string, field: string, options: { max?: Decimal; allowZero?: boolean } = {}): Decimal {
  let parsed: Decimal;
  try {
    parsed = dec(typeof value === 'number' ? String(value) : value);
  } catch {
    throw ProcessingError.WEIGHT_INVALID(`${field} is not a number`, { details: { field } });
  }
  const max = options.max ?? BAG_WEIGHT_MAX;
  if (!parsed.isFinite() || parsed.decimalPlaces() > 2) {
    throw ProcessingError.WEIGHT_INVALID(`${field} must have at most two decimals`, { details: { field } });
  }
  if (parsed.isNegative() || (parsed.isZero() && !options.allowZero)) {
    throw ProcessingError.WEIGHT_INVALID(`${field} must be ${options.allowZero ? 'zero or more' : 'greater than zero'}`, {
      details: { field },
    });
  }
  if (parsed.greaterThan(max)) throw ProcessingError.WEIGHT_INVALID(`${field} must be at most ${max.toFixed(2)}`, { details: { field } });
  return parsed;
}

/** Two-decimal string, the form weights take in the database and in responses. */
export const kg = (value: Decimal) => value.toFixed(2);

export function epochOf(value: number | string): string {
  return typeof value === 'number' ? String(Math.trunc(value)) : value;
}

const BIGINT_COLUMNS = new Set(['created_ts', 'received_ts', 'request_code', 'schedule_code', 'dispatched_ts']);
type BigintColumn = 'created_ts' | 'received_ts' | 'request_code' | 'schedule_code' | 'dispatched_ts';
export type ApiRow<T> = { [K in keyof T]: K extends BigintColumn ? number : T[K] };

/**
 * Database rows to API rows: bigint epoch/code columns become numbers (they stay below 2^53),
 * numerics stay exact strings.
 */
export function apiRow<T extends object>(row: T): ApiRow<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = BIGINT_COLUMNS.has(key) && typeof value === 'string' ? Number(value) : value;
  }
  return out as ApiRow<T>;
}
