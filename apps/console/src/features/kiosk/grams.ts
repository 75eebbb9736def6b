/**
 * Cart sums on exact integers: kg decimal strings to grams and back (orders keeps quantities in
 * grams, bags have two places), so no binary float ever adds up a shipment.
 */
const KG = /^(\d+)(?:\.(\d{1,3}))?$/;

export function grams(kg: string): bigint {
  const match = KG.exec(kg.trim());
  if (!match) return 0n;
  return BigInt(match[1]!) * 1000n + BigInt((match[2] ?? '').padEnd(3, '0'));
}

/** Grams as a kg decimal string for the API (three places at most, trailing zeros dropped). */
export function kgOf(value: bigint): string {
  const whole = value / 1000n;
  const fraction = (value % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : String(whole);
}

export const isKg = (text: string) => KG.test(text.trim());
