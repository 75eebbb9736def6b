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
  // Last, so a reader of the earlier columns by position is unaffected; the UTC columns stay for machines.
  'dispatched_local',
  'accepted_local',
  'local_time_zone',
] as const;

/**
 * The recall report as one sortable sheet (FSMA 204 style): a row per shipment and schedule it
 * filled, or one row with empty schedule columns for a shipment that filled none. Times are UTC
 * ISO for machines and, at the end, day-first wall-clock times in `timeZone` (the plant's) for
 * the people who read the sheet.
 */
export function recallCsv(report: RecallReport, timeZone: string): string {
  const local = localTime(timeZone);
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
    const tail = [local(shipment.dispatched_at), local(shipment.accepted_at), timeZone];
    const filled = new Map<string, { parcelled: Decimal; attributable: Decimal }>();
    const parcels = report.parcels.filter((p) => p.request_code === shipment.request_code && p.shipment_code === shipment.shipment_code);
    for (const parcel of parcels) {
      const row = filled.get(parcel.schedule_code) ?? { parcelled: dec(0), attributable: dec(0) };
      filled.set(parcel.schedule_code, {
        parcelled: row.parcelled.plus(parcel.amount_kg),
        attributable: row.attributable.plus(parcel.attributable_kg),
      });
    }
    if (filled.size === 0) lines.push(csvLine([...head, null, null, null, null, null, null, ...tail]));
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
          ...tail,
        ]),
      );
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** An ISO instant as `dd/mm/yyyy HH:mm` on the plant's clock; no comma, so a spreadsheet keeps it one cell. */
function localTime(timeZone: string): (iso: string | null) => string | null {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (iso) => {
    if (!iso) return null;
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return null;
    const part = Object.fromEntries(format.formatToParts(date).map(({ type, value }) => [type, value]));
    return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
  };
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
