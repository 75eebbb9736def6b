import { dec, type Decimal } from '@tributary/platform/core';
import type { RecallReport } from './recall.service.js';

export const RECALL_CSV_COLUMNS = [
  'request_code',
  'shipment_code',
  'order_code',
  'product_name',
  'shipment_status',
  'vehicle',
  'dispatched_at',
  'accepted_at',
  'shipment_bags',
  'shipment_allocated_kg',
  'shipment_attributable_kg',
  'schedule_code',
  'schedule_date',
  'shift',
  'section',
  'parcelled_kg',
  'parcel_attributable_kg',
] as const;

/**
 * The recall report as one sortable sheet (FSMA 204 style): a row per shipment and schedule it
 * filled, or one row with empty schedule columns for a shipment that filled none.
 */
export function recallCsv(report: RecallReport): string {
  const schedules = new Map(report.schedules.map((s) => [s.schedule_code, s]));
  const lines: string[] = [RECALL_CSV_COLUMNS.join(',')];
  for (const shipment of report.shipments) {
    const head = [
      shipment.request_code,
      shipment.shipment_code,
      shipment.order_code,
      shipment.product_name,
      shipment.status,
      shipment.vehicle,
      shipment.dispatched_at,
      shipment.accepted_at,
      shipment.bags,
      shipment.allocated_kg,
      shipment.attributable_kg,
    ];
    const filled = new Map<string, { parcelled: Decimal; attributable: Decimal }>();
    const parcels = report.parcels.filter((p) => p.request_code === shipment.request_code && p.shipment_code === shipment.shipment_code);
    for (const parcel of parcels) {
      const row = filled.get(parcel.schedule_code) ?? { parcelled: dec(0), attributable: dec(0) };
      filled.set(parcel.schedule_code, {
        parcelled: row.parcelled.plus(parcel.amount_kg),
        attributable: row.attributable.plus(parcel.attributable_kg),
      });
    }
    if (filled.size === 0) lines.push(csvLine([...head, null, null, null, null, null, null]));
    for (const [code, sums] of filled) {
      const schedule = schedules.get(code);
      lines.push(
        csvLine([
          ...head,
          code,
          schedule?.schedule_date ?? null,
          schedule?.shift ?? null,
          schedule?.section ?? null,
          sums.parcelled.toFixed(2),
          sums.attributable.toFixed(2),
        ]),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvLine(values: readonly (string | number | null)[]): string {
  return values.map(csvCell).join(',');
}

/** RFC 4180 quoting; text that a spreadsheet would run as a formula is prefixed with a quote. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
