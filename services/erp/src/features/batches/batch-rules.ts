import { dec } from '@tributary/platform/core';
import { ErpError } from '../../errors.js';
import { daysBetween } from '../../shared/dates.js';

/** Pure batch rules: grades, default status, quality limits, status transitions, expiry alert levels. */
export const QUALITY_GRADES = ['A+', 'A', 'B+', 'B', 'C', 'Reject'] as const;
export type QualityGrade = (typeof QUALITY_GRADES)[number];
export const BATCH_STATUSES = ['Active', 'Quarantine', 'Expired', 'Rejected', 'Recalled', 'Damaged', 'Consumed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

/** Grade A+/A/B+ ship, B waits in quarantine for a person, C and Reject never ship; expired beats all. */
export function defaultStatus(grade: QualityGrade, expiryDate: string, today: string): BatchStatus {
  if (expiryDate <= today) return 'Expired';
  if (grade === 'A+' || grade === 'A' || grade === 'B+') return 'Active';
  if (grade === 'B') return 'Quarantine';
  return 'Rejected';
}

/** The status a reader should see: a stored Active/Quarantine batch past its expiry date is Expired. */
export function effectiveStatus(stored: string, expiryDate: string, today: string): string {
  return (stored === 'Active' || stored === 'Quarantine') && expiryDate <= today ? 'Expired' : stored;
}

const TRANSITIONS: Record<string, readonly string[]> = {
  Active: ['Quarantine', 'Recalled', 'Damaged', 'Rejected'],
  Quarantine: ['Active', 'Rejected', 'Recalled', 'Damaged'],
  Consumed: ['Recalled'],
  Expired: ['Recalled'],
  Rejected: ['Recalled'],
  Damaged: ['Recalled'],
  Recalled: [],
};

export function canTransition(from: string, to: string): boolean {
  return (TRANSITIONS[from] ?? []).includes(to);
}

export interface QualityFacts {
  item_group: string | null;
  sugar_content_percentage?: string | null;
  fat_content_percentage?: string | null;
  moisture_content_percentage?: string | null;
  storage_temperature_min?: string | null;
  storage_temperature_max?: string | null;
}

function within(value: string | null | undefined, low: number, high: number): boolean {
  return value === null || value === undefined || (dec(value).greaterThanOrEqualTo(low) && dec(value).lessThanOrEqualTo(high));
}

/** The documented confectionery limits; a violation refuses the batch. */
export function checkQuality(facts: QualityFacts): void {
  const group = (facts.item_group ?? '').toLowerCase();
  if ((group === 'sweets' || group === 'desserts') && !within(facts.sugar_content_percentage, 10, 80)) {
    throw ErpError.BATCH_QUALITY_INVALID('sugar content of sweets and desserts must be 10–80%');
  }
  if (group === 'chocolates' && !within(facts.fat_content_percentage, 20, 60)) {
    throw ErpError.BATCH_QUALITY_INVALID('fat content of chocolates must be 20–60%');
  }
  if (!within(facts.moisture_content_percentage, 0, 25)) throw ErpError.BATCH_QUALITY_INVALID('moisture content must be at most 25%');
  if (
    facts.storage_temperature_min != null &&
    facts.storage_temperature_max != null &&
    dec(facts.storage_temperature_min).greaterThan(facts.storage_temperature_max)
  ) {
    throw ErpError.BATCH_QUALITY_INVALID('storage_temperature_min must not exceed storage_temperature_max');
  }
}

export function checkDates(manufacturing: string, expiry: string, today: string, bestBefore?: string | null): void {
  if (manufacturing > today) throw ErpError.BATCH_DATES_INVALID('manufacturing_date must not be in the future');
  if (expiry <= manufacturing) throw ErpError.BATCH_DATES_INVALID('expiry_date must be after manufacturing_date');
  if (bestBefore && (bestBefore < manufacturing || bestBefore > expiry))
    throw ErpError.BATCH_DATES_INVALID('best_before_date must lie between manufacturing and expiry');
}

export type AlertLevel = 'Expired' | 'Critical' | 'Warning' | 'Normal';
export interface AlertThresholds {
  critical: number;
  warning: number;
}

/** ≤ 0 days Expired, ≤ critical (7) Critical, ≤ warning (30) Warning, else Normal. */
export function alertLevel(
  expiryDate: string,
  today: string,
  thresholds: AlertThresholds,
): { days_to_expiry: number; alert_level: AlertLevel } {
  const days = daysBetween(today, expiryDate);
  const level: AlertLevel =
    days <= 0 ? 'Expired' : days <= thresholds.critical ? 'Critical' : days <= thresholds.warning ? 'Warning' : 'Normal';
  return { days_to_expiry: days, alert_level: level };
}
