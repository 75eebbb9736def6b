import { type LocalParts } from '../../shared/dates.js';
import type { PricingRule } from './rule-model.js';

/**
 * Calendar and clock conditions, evaluated on the plant's wall clock (local date, time and
 * weekday of the evaluation instant in PLANT_TIME_ZONE). Instant windows are half-open:
 * validity [valid_from, valid_to) and time of day [time_from, time_to); calendar-day windows
 * (season, festival) include both ends.
 */
export function withinValidity(rule: Pick<PricingRule, 'valid_from' | 'valid_to'>, at: number): boolean {
  return rule.valid_from <= at && (rule.valid_to === null || at < rule.valid_to);
}

export function withinTimeOfDay(rule: Pick<PricingRule, 'time_from' | 'time_to'>, local: LocalParts): boolean {
  if (rule.time_from === null && rule.time_to === null) return true;
  const from = rule.time_from ?? '00:00:00';
  const to = rule.time_to ?? '24:00:00';
  if (from <= to) return local.time >= from && local.time < to;
  // Wraps midnight, e.g. 22:00–02:00.
  return local.time >= from || local.time < to;
}

export function withinWeekdays(rule: Pick<PricingRule, 'days_of_week'>, local: LocalParts): boolean {
  return rule.days_of_week === null || rule.days_of_week.length === 0 || rule.days_of_week.includes(local.weekday);
}

export function withinSeason(rule: Pick<PricingRule, 'season_start' | 'season_end'>, local: LocalParts): boolean {
  if (rule.season_start === null || rule.season_end === null) return true;
  const day = local.date.slice(5);
  if (rule.season_start <= rule.season_end) return day >= rule.season_start && day <= rule.season_end;
  return day >= rule.season_start || day <= rule.season_end;
}

export function withinFestival(rule: Pick<PricingRule, 'festival_from' | 'festival_to'>, local: LocalParts): boolean {
  if (rule.festival_from === null || rule.festival_to === null) return true;
  return local.date >= rule.festival_from && local.date <= rule.festival_to;
}

export function withinWindows(rule: PricingRule, at: number, local: LocalParts): boolean {
  return (
    withinValidity(rule, at) &&
    withinWeekdays(rule, local) &&
    withinTimeOfDay(rule, local) &&
    withinSeason(rule, local) &&
    withinFestival(rule, local)
  );
}
