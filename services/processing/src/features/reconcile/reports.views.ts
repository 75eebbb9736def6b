import { Type, type Static } from '@sinclair/typebox';
import { csvCell } from '../genealogy/recall.csv.js';
import type { DifferenceRow, ReportRow } from './reports.repository.js';
import { REPORT_DIFFERENCE_KINDS } from './reports.service.js';

/** Kilograms as stored: an exact decimal string with three places. */
const Kg = Type.String({ pattern: '^[0-9]+\\.[0-9]{3}$', description: 'kilograms, exact decimal' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const DifferenceKind = Type.Union(REPORT_DIFFERENCE_KINDS.map((kind) => Type.Literal(kind)));

export const ReportView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
  requested_by: Type.String(),
  status: Type.Union([Type.Literal('running'), Type.Literal('completed'), Type.Literal('failed')]),
  started_at: Type.String({ format: 'date-time', description: 'UTC' }),
  finished_at: Nullable(Type.String({ format: 'date-time', description: 'UTC' })),
  shipments: Type.Integer({ description: 'shipments the orders service listed' }),
  allocation_groups: Type.Integer({ description: '(request, shipment) pairs processing has allocations for' }),
  bags_checked: Type.Integer({ description: 'bags whose consumption was checked against their net weight' }),
  differences: Type.Integer(),
  by_kind: Type.Object(Object.fromEntries(REPORT_DIFFERENCE_KINDS.map((kind) => [kind, Type.Integer()]))),
  shipped_kg: Kg,
  allocated_kg: Kg,
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
});
export type ReportView = Static<typeof ReportView>;

export const DifferenceView = Type.Object({
  seq: Type.Integer({ description: 'order in which the run found it' }),
  kind: DifferenceKind,
  request_code: Nullable(Type.String({ pattern: '^[0-9]+$' })),
  shipment_code: Nullable(Type.Integer()),
  material: Nullable(Type.String({ description: 'bag_over_allocated: the bag table' })),
  barcode: Nullable(Type.String({ description: 'bag_over_allocated: the bag' })),
  orders_status: Nullable(Type.String()),
  expected_kg: Nullable(Kg),
  actual_kg: Kg,
  bags: Nullable(Type.Integer()),
  dispatched_bags: Nullable(Type.Integer()),
  reason: Type.String(),
});
export type DifferenceView = Static<typeof DifferenceView>;

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function reportView(row: ReportRow): ReportView {
  return {
    id: row.id,
    trigger: row.trigger,
    requested_by: row.requested_by,
    status: row.status,
    started_at: iso(row.started_at)!,
    finished_at: iso(row.finished_at),
    shipments: row.shipments,
    allocation_groups: row.allocation_groups,
    bags_checked: row.bags_checked,
    differences: row.differences,
    by_kind: Object.fromEntries(REPORT_DIFFERENCE_KINDS.map((kind) => [kind, row[kind]])),
    shipped_kg: kg3(row.shipped_kg),
    allocated_kg: kg3(row.allocated_kg),
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
  };
}

export function differenceView(row: DifferenceRow): DifferenceView {
  return {
    seq: row.seq,
    kind: row.kind as DifferenceView['kind'],
    request_code: row.request_code === null ? null : String(row.request_code),
    shipment_code: row.shipment_code,
    material: row.material,
    barcode: row.barcode,
    orders_status: row.orders_status,
    expected_kg: row.expected_kg === null ? null : kg3(row.expected_kg),
    actual_kg: kg3(row.actual_kg),
    bags: row.bags,
    dispatched_bags: row.dispatched_bags,
    reason: row.reason,
  };
}

/** numeric(18,3) reads back with its three places on PostgreSQL; this keeps the shape whatever the driver. */
function kg3(value: string): string {
  const [whole, fraction = ''] = String(value).split('.');
  return `${whole}.${fraction.padEnd(3, '0').slice(0, 3)}`;
}

export const DIFFERENCE_CSV_COLUMNS = [
  'seq',
  'kind',
  'request_code',
  'shipment_code',
  'material',
  'barcode',
  'orders_status',
  'expected_kg',
  'actual_kg',
  'bags',
  'dispatched_bags',
  'reason',
] as const;

/** One CSV line (CRLF, RFC 4180) of a difference, in DIFFERENCE_CSV_COLUMNS order. */
export function differenceCsvLine(view: DifferenceView): string {
  return `${DIFFERENCE_CSV_COLUMNS.map((column) => csvCell(view[column])).join(',')}\r\n`;
}
