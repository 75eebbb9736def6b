import type { ExpiringBatch } from '../../api/erp-batches';
import { sumKg } from '../../lib/format';

/** The board's buckets, in the words and order the desk reads them (the server's alert levels). */
export const BUCKETS = [
  { level: 'Expired', label: 'Expired', rule: 'past the last valid day', action: 'Write off or send to QC' },
  { level: 'Critical', label: 'Critical', rule: 'expires within 7 days', action: 'Discount or sell first' },
  { level: 'Warning', label: 'Warning', rule: 'expires within 30 days', action: 'Transfer or promote' },
  { level: 'Normal', label: 'Normal', rule: 'more than 30 days left', action: 'None' },
] as const;

export type Level = (typeof BUCKETS)[number]['level'];

export function actionFor(level: string): string {
  return BUCKETS.find((bucket) => bucket.level === level)?.action ?? '';
}

/** A decimal quantity without the zeros the exact sum pads it with (120.000 → 120). */
export function plainQty(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

export interface BucketTotal {
  level: Level;
  count: number;
  qty: string;
}

/** Count and quantity per bucket; every bucket is there, empty ones at zero. */
export function bucketTotals(batches: readonly ExpiringBatch[]): BucketTotal[] {
  return BUCKETS.map(({ level }) => {
    const inBucket = batches.filter((batch) => batch.alert_level === level);
    return { level, count: inBucket.length, qty: plainQty(sumKg(inBucket.map((batch) => batch.available_qty))) };
  });
}
