import { MTP_GROUPS, SHIPMENT_STATUSES } from '@tributary/contracts';
import { sql, type AnyKysely } from '@tributary/platform/db';
import type { TableStep } from '../common/run.js';
import type { SourceRow } from './keyset.js';
import { finding, mtpStep, type HeldRows, type Mapped } from './step.js';

/**
 * The documented flow (reference §4.3), earliest first. The "current" status of a shipment is
 * its latest event; where event times contradict this order the order wins (a fault reported).
 */
export const STATUS_RANK: Readonly<Record<string, number>> = {
  APPROVAL_REQUESTED: 0,
  APPROVAL_ALLOWED: 1,
  APPROVAL_BLOCKED: 1,
  ORDER_REQUESTED: 2,
  ORDER_NOT_READY: 3,
  ORDER_READY: 4,
  TRADER_BLOCKED: 5,
  SHIPMENT_DISPATCHED: 6,
  SHIPMENT_ACCEPTED: 7,
};

/** Statuses the dashboard used under another name. */
const STATUS_ALIASES: Readonly<Record<string, string>> = { RECEIVED: 'SHIPMENT_ACCEPTED' };

/** Each status needs the one before it in the flow; a status whose predecessor is missing is reported. */
const PREDECESSOR: Readonly<Record<string, readonly string[]>> = {
  APPROVAL_ALLOWED: ['APPROVAL_REQUESTED'],
  APPROVAL_BLOCKED: ['APPROVAL_REQUESTED'],
  ORDER_READY: ['ORDER_REQUESTED'],
  ORDER_NOT_READY: ['ORDER_REQUESTED'],
  SHIPMENT_DISPATCHED: ['ORDER_READY'],
  SHIPMENT_ACCEPTED: ['SHIPMENT_DISPATCHED'],
};

/** Text the target requires for some statuses, absent in the original. */
const REQUIRED_TEXT: Readonly<Record<string, 'shipment_vehicle' | 'order_remarks' | 'shipment_remarks'>> = {
  SHIPMENT_DISPATCHED: 'shipment_vehicle',
  ORDER_NOT_READY: 'order_remarks',
  SHIPMENT_ACCEPTED: 'shipment_remarks',
};
export const NOT_RECORDED = '(not recorded in MTP)';

interface SourceEvent {
  status: string;
  event_ts: string | number;
}

const canonical = (status: string) => STATUS_ALIASES[status] ?? status;
const isKnown = (status: string) => (SHIPMENT_STATUSES as readonly string[]).includes(canonical(status));

/** The shipment's status from its events: the latest by documented order, then by time. */
export function currentStatus(events: readonly SourceEvent[]): string | undefined {
  const known = events.filter((e) => isKnown(e.status));
  known.sort((a, b) => STATUS_RANK[canonical(a.status)]! - STATUS_RANK[canonical(b.status)]! || Number(a.event_ts) - Number(b.event_ts));
  const last = known[known.length - 1];
  return last ? canonical(last.status) : undefined;
}

export function ordersSteps(source: AnyKysely, held: HeldRows): TableStep<SourceRow>[] {
  const heldParent = (table: string, key: string) => held.has(`${table}:${key}`);
  return [
    mtpStep({
      service: 'orders',
      sourceTable: 'admin.user',
      sourceRef: 'admin.user',
      targetTable: 'admin.user',
      source,
      key: ['sub'],
      held,
      map: (row, key): Mapped => {
        if (!(MTP_GROUPS as readonly string[]).includes(String(row.group))) {
          return {
            findings: [
              finding('admin.user', key, 'user_group_unknown', 'refused', `not imported: "${String(row.group)}" is no MTP group`, row),
            ],
          };
        }
        return {
          row: { sub: row.sub, username: row.username, group: row.group },
          findings: [
            finding(
              'admin.user',
              key,
              'password_not_portable',
              'fixed',
              'imported; MTP kept passwords in Cognito, which does not export them: the user sets a new one',
              row,
            ),
          ],
        };
      },
    }),
    mtpStep({
      service: 'orders',
      sourceTable: 'order_plan',
      sourceRef: 'public.order_plan',
      targetTable: 'order_plan',
      source,
      key: ['order_code'],
      held,
      map: (row, key): Mapped => {
        if (Number(row.requirement) <= 0)
          return {
            findings: [
              finding('order_plan', key, 'quantity_not_positive', 'quarantined', 'held back: a plan needs a positive requirement', row),
            ],
          };
        if (String(row.plan_end) < String(row.plan_start))
          return {
            findings: [finding('order_plan', key, 'plan_dates_reversed', 'quarantined', 'held back: plan ends before it starts', row)],
          };
        return { row: pick(row, ['order_code', 'product_name', 'item_code', 'requirement', 'plan_start', 'plan_end']), findings: [] };
      },
    }),
    mtpStep({
      service: 'orders',
      sourceTable: 'order_request',
      sourceRef: 'public.order_request',
      targetTable: 'order_request',
      source,
      key: ['request_code'],
      held,
      extra: sql`exists (select 1 from public.order_plan p where p.order_code = t.order_code) as has_plan`,
      map: (row, key): Mapped => {
        if (!row.has_plan || heldParent('order_plan', String(row.order_code)))
          return {
            findings: [
              finding(
                'order_request',
                key,
                'request_without_plan',
                'quarantined',
                `held back: plan ${String(row.order_code)} is missing`,
                row,
              ),
            ],
          };
        if (Number(row.requirement) <= 0)
          return {
            findings: [
              finding(
                'order_request',
                key,
                'quantity_not_positive',
                'quarantined',
                'held back: a request needs a positive requirement',
                row,
              ),
            ],
          };
        return { row: pick(row, ['request_code', 'order_code', 'product_name', 'requirement', 'comments']), findings: [] };
      },
    }),
    mtpStep({
      service: 'orders',
      sourceTable: 'order_shipment',
      sourceRef: 'public.order_shipment',
      targetTable: 'order_shipment',
      source,
      key: ['request_code', 'shipment_code'],
      held,
      extra: sql`coalesce((select json_agg(json_build_object('status', e.status, 'event_ts', e.event_ts) order by e.event_ts)
        from public.order_shipment_event e where e.request_code = t.request_code and e.shipment_code = t.shipment_code), '[]') as events`,
      map: (row, key): Mapped => {
        const { events, ...plain } = row;
        if (heldParent('order_request', String(row.request_code)))
          return {
            findings: [
              finding('order_shipment', key, 'parent_held', 'quarantined', `held back with its request ${String(row.request_code)}`, plain),
            ],
          };
        if (row.quantity === null || Number(row.quantity) <= 0)
          return {
            findings: [
              finding('order_shipment', key, 'shipment_without_quantity', 'quarantined', 'held back: no positive quantity', plain),
            ],
          };
        const status = currentStatus(events as SourceEvent[]);
        const findings = [];
        if (!status)
          findings.push(
            finding(
              'order_shipment',
              key,
              'shipment_without_events',
              'fixed',
              'imported as ORDER_REQUESTED (no event to take the status from; none invented)',
              plain,
            ),
          );
        return { row: { ...pick(row, ['request_code', 'shipment_code', 'quantity']), status: status ?? 'ORDER_REQUESTED' }, findings };
      },
    }),
    mtpStep({
      service: 'orders',
      sourceTable: 'order_shipment_event',
      sourceRef: 'public.order_shipment_event',
      targetTable: 'order_shipment_event',
      source,
      key: ['request_code', 'shipment_code', 'status'],
      held,
      extra: sql`exists (select 1 from public.order_shipment s where s.request_code = t.request_code and s.shipment_code = t.shipment_code) as has_shipment,
        (select json_agg(json_build_object('status', e.status, 'event_ts', e.event_ts))
           from public.order_shipment_event e where e.request_code = t.request_code and e.shipment_code = t.shipment_code and e.status <> t.status) as siblings`,
      map: (row, key) => mapEvent(row, key, heldParent),
    }),
    mtpStep({
      service: 'orders',
      sourceTable: 'order_schedule',
      sourceRef: 'public.order_schedule',
      targetTable: 'order_schedule',
      source,
      key: ['schedule_code'],
      held,
      extra: sql`exists (select 1 from public.order_plan p where p.order_code = t.order_code) as has_plan`,
      map: (row, key): Mapped => {
        const missing = ['schedule_date', 'order_code', 'shift', 'section', 'quantity'].filter((c) => row[c] === null);
        if (missing.length > 0)
          return {
            findings: [finding('order_schedule', key, 'required_value_missing', 'quarantined', `held back: no ${missing.join(', ')}`, row)],
          };
        if (!row.has_plan || heldParent('order_plan', String(row.order_code)))
          return {
            findings: [
              finding(
                'order_schedule',
                key,
                'schedule_without_plan',
                'quarantined',
                `held back: plan ${String(row.order_code)} is missing`,
                row,
              ),
            ],
          };
        const completed = row.completed === true;
        const findings = completed
          ? [
              finding(
                'order_schedule',
                key,
                'completion_time_unknown',
                'fixed',
                'imported as completed; MTP kept no completion time, the schedule date (00:00 UTC) stands for it',
                row,
              ),
            ]
          : [];
        const { has_plan: _plan, ...plain } = row;
        void _plan;
        return {
          row: {
            ...pick(plain, ['schedule_code', 'schedule_date', 'order_code', 'shift', 'section', 'quantity']),
            completed,
            completed_at: completed ? Date.parse(`${String(row.schedule_date)}T00:00:00Z`) : null,
          },
          findings,
        };
      },
    }),
  ];
}

function mapEvent(row: SourceRow, key: string, heldParent: (table: string, key: string) => boolean): Mapped {
  const { siblings, has_shipment, ...plain } = row;
  const shipmentKey = `${String(row.request_code)}/${String(row.shipment_code)}`;
  if (!has_shipment)
    return {
      findings: [
        finding(
          'order_shipment_event',
          key,
          'event_without_shipment',
          'quarantined',
          `held back: shipment ${shipmentKey} does not exist`,
          plain,
        ),
      ],
    };
  if (heldParent('order_shipment', shipmentKey))
    return {
      findings: [finding('order_shipment_event', key, 'parent_held', 'quarantined', `held back with its shipment ${shipmentKey}`, plain)],
    };
  const status = canonical(String(row.status));
  if (!isKnown(status))
    return {
      findings: [
        finding(
          'order_shipment_event',
          key,
          'status_unknown',
          'refused',
          `not imported: "${String(row.status)}" is no shipment status`,
          plain,
        ),
      ],
    };
  const findings = [];
  if (status !== row.status) findings.push(finding('order_shipment_event', key, 'status_alias', 'fixed', `imported as ${status}`, plain));
  const others = ((siblings as SourceEvent[] | null) ?? []).filter((e) => isKnown(e.status));
  const ts = Number(row.event_ts);
  const rank = STATUS_RANK[status]!;
  if (others.some((e) => Number(e.event_ts) === ts))
    findings.push(
      finding(
        'order_shipment_event',
        key,
        'event_duplicate_time',
        'fixed',
        'imported; shares its time with another event of the shipment, the documented order decides which is current',
        plain,
      ),
    );
  if (
    others.some(
      (e) =>
        (STATUS_RANK[canonical(e.status)]! < rank && Number(e.event_ts) > ts) ||
        (STATUS_RANK[canonical(e.status)]! > rank && Number(e.event_ts) < ts),
    )
  )
    findings.push(
      finding(
        'order_shipment_event',
        key,
        'event_out_of_order',
        'fixed',
        'imported with its time; the documented order, not the time, decides the current status',
        plain,
      ),
    );
  const before = PREDECESSOR[status];
  if (before && !others.some((e) => before.includes(canonical(e.status))))
    findings.push(
      finding(
        'order_shipment_event',
        key,
        'event_predecessor_missing',
        'fixed',
        `imported; the shipment has no ${before.join(' or ')} event (none invented)`,
        plain,
      ),
    );
  const text = REQUIRED_TEXT[status];
  const values = pick(plain, ['request_code', 'shipment_code', 'event_ts', 'shipment_vehicle', 'order_remarks', 'shipment_remarks']);
  if (text && !(typeof row[text] === 'string' && (row[text] as string).trim().length > 0)) {
    values[text] = NOT_RECORDED;
    findings.push(finding('order_shipment_event', key, 'event_text_missing', 'fixed', `imported with ${text} "${NOT_RECORDED}"`, plain));
  }
  return { row: { ...values, status, actor: 'import:mtp' }, findings };
}

function pick(row: SourceRow, columns: readonly string[]): SourceRow {
  return Object.fromEntries(columns.map((c) => [c, row[c]]));
}
