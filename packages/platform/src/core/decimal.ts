import Decimal from 'decimal.js';

/**
 * Exact decimals for quantities and money. Values cross the API and the database as
 * strings; arithmetic goes through Decimal, never through JS floats.
 */
export { Decimal };

export type DecimalInput = string | number | Decimal;

export function dec(value: DecimalInput): Decimal {
  return new Decimal(value);
}

/** Kilograms (decimal string) to integer grams, refusing sub-gram precision. */
export function kgToGrams(kg: DecimalInput): bigint {
  const grams = new Decimal(kg).times(1000);
  if (!grams.isInteger()) throw new RangeError(`${kg.toString()} kg is finer than one gram`);
  return BigInt(grams.toFixed(0));
}

/** Integer grams to a kilogram decimal string without trailing zeros. */
export function gramsToKg(grams: bigint | number | string): string {
  return new Decimal(grams.toString()).dividedBy(1000).toString();
}
