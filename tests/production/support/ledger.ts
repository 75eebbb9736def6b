import { setTimeout as sleep } from 'node:timers/promises';
import type { Topology } from './topology.js';
import type { Write } from './load.js';

/** The services whose outboxes sync collects (SYNC_SOURCES' default) and that take deliveries. */
const SOURCES = ['orders', 'processing', 'erp'] as const;
const SETTLE_LIMIT_MS = 90_000;

const text = (value: unknown) => String(value);

/**
 * Waits until sync has read every outbox to its end and finished every delivery. Read from the
 * databases, not from sync's API, so the check does not depend on the processes it judges.
 */
export async function settled(topology: Topology): Promise<void> {
  const started = Date.now();
  for (;;) {
    const lagging = await unsettled(topology);
    if (lagging.length === 0) return;
    if (Date.now() - started > SETTLE_LIMIT_MS) throw new Error(`sync did not settle: ${lagging.join('; ')}`);
    await sleep(250);
  }
}

async function unsettled(topology: Topology): Promise<string[]> {
  const sync = topology.databases.sync.database.db;
  const cursors = new Map(
    (await sync.selectFrom('sync_source_cursors').select(['source', 'cursor']).execute()).map((row) => [
      text(row.source),
      BigInt(text(row.cursor)),
    ]),
  );
  const lagging: string[] = [];
  for (const source of SOURCES) {
    const rows = await topology.databases[source].database.db.selectFrom('outbox').select(['sequence']).execute();
    const cursor = cursors.get(source) ?? 0n;
    const unread = rows.filter((row) => row.sequence === null || BigInt(text(row.sequence)) > cursor).length;
    if (unread > 0) lagging.push(`${unread} ${source} events not collected`);
  }
  const open = await sync
    .selectFrom('sync_status')
    .select(['event_id', 'target_system', 'sync_status'])
    .where('sync_status', 'not in', ['completed', 'skipped'])
    .execute();
  if (open.length > 0) lagging.push(`${open.length} deliveries open: ${JSON.stringify(open.slice(0, 5))}`);
  return lagging;
}

/** What went wrong between the outboxes, sync's records and the receivers' inboxes; all empty when nothing did. */
export interface DeliveryReport {
  /** Outbox events sync never recorded. */
  lost: string[];
  /** Events sync recorded more than once. */
  capturedTwice: string[];
  /** (event, target) pairs with more than one delivery record. */
  deliveredTwice: string[];
  /**
   * Deliveries of a type the target applies that its inbox does not hold, or inbox rows without a
   * delivery record. A type the target has no handler for is acknowledged without an inbox row
   * (the kernel's inbox), so a type none of whose deliveries is in the inbox counts as ignored.
   */
  inboxMismatch: string[];
  /** How many deliveries were checked, so a report of nothing checked cannot pass as clean. */
  deliveries: number;
}

export async function deliveryReport(topology: Topology): Promise<DeliveryReport> {
  const sync = topology.databases.sync.database.db;
  const captured = await sync.selectFrom('sync_events').select(['event_id']).execute();
  const counts = countBy(captured.map((row) => text(row.event_id)));
  const report: DeliveryReport = { lost: [], capturedTwice: [], deliveredTwice: [], inboxMismatch: [], deliveries: 0 };
  report.capturedTwice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  for (const source of SOURCES) {
    const outbox = await topology.databases[source].database.db.selectFrom('outbox').select(['id']).execute();
    report.lost.push(...outbox.map((row) => text(row.id)).filter((id) => !counts.has(id)));
  }
  const deliveries = await sync.selectFrom('sync_status').select(['event_id', 'event_name', 'target_system', 'sync_status']).execute();
  report.deliveries = deliveries.length;
  const pairs = countBy(deliveries.map((row) => `${text(row.event_id)} -> ${text(row.target_system)}`));
  report.deliveredTwice = [...pairs].filter(([, n]) => n > 1).map(([pair]) => pair);
  for (const target of SOURCES) {
    const toTarget = deliveries.filter((row) => row.target_system === target);
    const delivered = new Set(toTarget.map((row) => text(row.event_id)));
    const inbox = await topology.databases[target].database.db
      .selectFrom('inbox')
      .select(['event_id'])
      .where('source', 'in', [...SOURCES])
      .execute();
    const applied = new Set(inbox.map((row) => text(row.event_id)));
    const appliedTypes = new Set(toTarget.filter((row) => applied.has(text(row.event_id))).map((row) => text(row.event_name)));
    for (const row of toTarget.filter((row) => appliedTypes.has(text(row.event_name)) && !applied.has(text(row.event_id))))
      report.inboxMismatch.push(`${text(row.event_id)} (${text(row.event_name)}) delivered to ${target} but not in its inbox`);
    for (const id of applied) if (!delivered.has(id)) report.inboxMismatch.push(`${id} in ${target}'s inbox without a delivery record`);
  }
  return report;
}

/** Where each kind of write leaves its row, found by the write's label. */
const EFFECTS = {
  order: { service: 'orders', table: 'order_request', column: 'comments' },
  location: { service: 'processing', table: 'store_location', column: 'location_name' },
} as const;

/** How often each write's effect is in its service: exactly once is the only right answer. */
export async function effectCounts(topology: Topology, writes: readonly Write[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(writes.map((write) => [write.label, 0]));
  for (const [kind, { service, table, column }] of Object.entries(EFFECTS)) {
    const labels = writes.filter((write) => write.kind === kind).map((write) => write.label);
    if (labels.length === 0) continue;
    const rows = await topology.databases[service].database.db.selectFrom(table).select([column]).where(column, 'in', labels).execute();
    for (const row of rows) counts.set(text(row[column]), (counts.get(text(row[column])) ?? 0) + 1);
  }
  return counts;
}

/** Request codes of the load's orders that processing's copy holds, each with how many shipments. */
export async function copiedRequests(topology: Topology, requestCodes: readonly string[]): Promise<Map<string, number>> {
  const copies = new Map<string, number>(requestCodes.map((code) => [code, 0]));
  if (requestCodes.length === 0) return copies;
  const rows = await topology.databases.processing.database.db
    .selectFrom('orders_shipment_copy')
    .select(['request_code'])
    .where('request_code', 'in', [...requestCodes])
    .execute();
  for (const row of rows) copies.set(text(row.request_code), (copies.get(text(row.request_code)) ?? 0) + 1);
  return copies;
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
