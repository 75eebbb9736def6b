import { Decimal, dec } from '@tributary/platform/core';

/** Decimal strings as the API shows them: no exponent, no trailing zeros. */
export function show(value: Decimal | string): string {
  const d = typeof value === 'string' ? dec(value) : value;
  // Rounding makes a new Decimal; most values already have six places or fewer.
  return (d.decimalPlaces() <= 6 ? d : d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP)).toFixed();
}

export function showOrNull(value: Decimal | string | null | undefined): string | null {
  return value === null || value === undefined ? null : show(value);
}

/** For writing DECIMAL(18,6) columns. */
export function db6(value: Decimal | string): string {
  return (typeof value === 'string' ? dec(value) : value).toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toFixed(6);
}

export const ZERO = dec(0);
