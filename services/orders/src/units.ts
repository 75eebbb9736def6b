import { dec, gramsToKg } from '@tributary/platform/core';
import { OrdersError } from './errors.js';

/** Kilograms arrive as decimal strings (or JSON numbers from older clients); grams are stored. */
export function kgToPositiveGrams(value: string | number, field: string): bigint {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  if (!/^[0-9]+(\.[0-9]+)?$/.test(text)) {
    throw OrdersError.ORDER_QUANTITY_INVALID(`${field} must be a positive number of kg`, { details: { field, value } });
  }
  const grams = dec(text).times(1000);
  if (!grams.isInteger()) throw OrdersError.ORDER_QUANTITY_INVALID(`${field} is finer than one gram`, { details: { field, value } });
  if (grams.lte(0)) throw OrdersError.ORDER_QUANTITY_INVALID(`${field} must be greater than zero`, { details: { field, value } });
  // Postgres bigint bound, far beyond any real order, but it keeps the insert from failing with a 500.
  if (grams.gt('9000000000000000')) throw OrdersError.ORDER_QUANTITY_INVALID(`${field} is too large`, { details: { field, value } });
  return BigInt(grams.toFixed(0));
}

/** A signed kg delta (allocation events), to grams. */
export function kgDeltaToGrams(value: string, field: string): bigint {
  if (!/^-?[0-9]+(\.[0-9]+)?$/.test(value)) throw OrdersError.EVENT_PAYLOAD_INVALID(`${field} must be a decimal kg string`);
  const grams = dec(value).times(1000);
  if (!grams.isInteger()) throw OrdersError.EVENT_PAYLOAD_INVALID(`${field} is finer than one gram`);
  return BigInt(grams.toFixed(0));
}

export const kg = (grams: string | bigint | number): string => gramsToKg(grams);

/** JSON numbers such as 1e21 or 0.1 print oddly; Decimal reads the shortest round-trip form. */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return 'NaN';
  return dec(value).toFixed();
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function requireDate(value: string, field: string): string {
  if (!isCalendarDate(value)) throw OrdersError.ORDER_DATE_INVALID(`${field} must be a date YYYY-MM-DD`, { details: { field, value } });
  return value;
}
