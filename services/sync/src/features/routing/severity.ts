import { SEVERITIES, type Severity } from '../configurations/route.js';

export { SEVERITIES, type Severity };

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Alertmanager's label (`critical`, `warning`, `info`, also `error`, `page`, …) on the three levels. */
export function severityFromLabel(label: unknown): Severity {
  const text = typeof label === 'string' ? label.toLowerCase() : '';
  if ((SEVERITIES as readonly string[]).includes(text)) return text as Severity;
  if (['page', 'error', 'high', 'major'].includes(text)) return 'critical';
  if (['warn', 'medium', 'minor'].includes(text)) return 'warning';
  return 'info';
}

/**
 * How serious an event is, for subscriptions with a minimum severity: an alert carries its own,
 * a failed job is a warning, an expiring batch follows the expiry scan's alert level; the rest is info.
 */
export function severityOf(name: string, payload: unknown): Severity {
  const data = record(payload);
  if (name === 'alert.resolved') return 'info';
  if (name.startsWith('alert.')) return severityFromLabel(data.severity);
  if (name === 'job.failed') return 'warning';
  if (name === 'erp.batch.expiring') {
    const level = data.alert_level;
    return level === 'Expired' || level === 'Critical' ? 'critical' : level === 'Warning' ? 'warning' : 'info';
  }
  return 'info';
}
