import { Decimal } from '@tributary/platform/core';

/**
 * The evaluator's decimal strings — a rule's percentages, amounts and bounds, a line's quantity
 * and rate — recur on every quote, and parsing them was a third of a quote's evaluation time.
 * A Decimal is immutable, so one parsed value can serve every use of the same string. The map
 * is bounded: catalogues hold a few thousand distinct values; past the bound it starts again.
 */
const MAX_ENTRIES = 8192;
const parsedDecimals = new Map<string, Decimal>();

export function parsed(text: string): Decimal {
  let value = parsedDecimals.get(text);
  if (value === undefined) {
    if (parsedDecimals.size >= MAX_ENTRIES) parsedDecimals.clear();
    value = new Decimal(text);
    parsedDecimals.set(text, value);
  }
  return value;
}
