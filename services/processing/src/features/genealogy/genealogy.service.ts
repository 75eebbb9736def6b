import { dec } from '@tributary/platform/core';
import type { CommandContext } from '@tributary/platform/command';
import type { ServiceClient } from '@tributary/platform/resilience';
import {
  TRACE_LOOKUP_MAX,
  TRACE_NODE_KINDS,
  ordersApi,
  type TraceGraph,
  type TraceNode,
  type TraceScheduleDetail,
  type TraceShipmentDetail,
} from '@tributary/contracts';
import { ProcessingError } from '../../errors.js';
import type { FeatureDeps } from '../deps.js';
import { isoOf, TraceWalk } from './genealogy.graph.js';
import { nodeId, parseCode, scheduleId, shipmentId, type NodeRef } from './genealogy.ids.js';
import {
  bagsByBarcode,
  batchesByKey,
  findBatches,
  findLots,
  lotsByKey,
  parcelsOfBags,
  parcelsOfSchedules,
  shipmentAllocationsOfShipments,
  shipmentsOfVehicles,
  type BagRow,
  type BatchRow,
} from './genealogy.repository.js';
import { effectiveStatus, RECORD_STATUSES, type RecordStatus } from '../../domain/materials.js';

export interface TraceContext {
  deps: FeatureDeps;
  orders: ServiceClient | undefined;
  command: CommandContext;
}

export interface OrdersDetails {
  state: TraceGraph['sources']['orders'];
  shipments: Map<string, TraceShipmentDetail>;
  schedules: Map<string, TraceScheduleDetail>;
}

/** What the code names: one node, or for a lot/batch/invoice number every node of that number. */
export async function resolveCode(deps: FeatureDeps, code: string): Promise<NodeRef[]> {
  const parsed = parseCode(code);
  if ('malformed' in parsed) throw ProcessingError.TRACE_CODE_INVALID(`Not a trace code: ${parsed.malformed}`, { details: { code } });
  const roots = 'ref' in parsed ? ((await exists(deps, parsed.ref)) ? [parsed.ref] : []) : await byNumber(deps, parsed.text);
  if (roots.length === 0) throw ProcessingError.TRACE_CODE_NOT_FOUND(`Nothing is known by the code ${code}`, { details: { code } });
  return roots;
}

async function byNumber(deps: FeatureDeps, text: string): Promise<NodeRef[]> {
  const lots = await findLots(deps.db, { itemCode: text });
  const batches = await findBatches(deps.db, text);
  const invoiced = await findLots(deps.db, { invoice: [text] });
  return [
    ...lots.map((row): NodeRef => ({
      kind: 'lot',
      key: { material: row.material, item_code: row.item_code, created_ts: String(row.created_ts) },
    })),
    ...batches.map((row): NodeRef => ({
      kind: 'batch',
      key: { target: row.target, item_code: row.item_code, created_ts: String(row.created_ts) },
    })),
    ...(invoiced.length > 0 ? [{ kind: 'invoice', name: text } as const] : []),
  ];
}

async function exists(deps: FeatureDeps, ref: NodeRef): Promise<boolean> {
  const db = deps.db;
  switch (ref.kind) {
    case 'lot':
      return (await lotsByKey(db, [ref.key])).length > 0;
    case 'bag':
      return (await bagsByBarcode(db, [ref.key])).length > 0;
    case 'batch':
      return (await batchesByKey(db, [ref.key])).length > 0;
    case 'shipment':
      return (await shipmentAllocationsOfShipments(db, [ref.key])).length > 0;
    case 'schedule':
      return (await parcelsOfSchedules(db, [ref.code])).length > 0;
    case 'vehicle':
      return (await shipmentsOfVehicles(db, [ref.vehicle])).length > 0;
    case 'parcel':
      return (await parcelsOfBags(db, [ref.key])).some(
        (row) =>
          String(row.request_code) === ref.key.request_code &&
          Number(row.shipment_code) === ref.key.shipment_code &&
          String(row.schedule_code) === ref.key.schedule_code,
      );
    default:
      return (await findLots(db, { [ref.kind]: [ref.name] })).length > 0;
  }
}

/** The genealogy up (lot, garden, broker, invoice) and down (batches, bags, shipments, vehicles, parcels, schedules) of a code. */
export async function traceCode(
  context: TraceContext,
  code: string,
): Promise<{ graph: TraceGraph; walk: TraceWalk; roots: NodeRef[]; down: Set<string>; orders: OrdersDetails }> {
  const roots = await resolveCode(context.deps, code);
  const walk = new TraceWalk(context.deps.db);
  const down = await walk.walk(roots, 'down');
  await walk.walk(roots, 'up');
  const orders = await ordersDetails(context, walk);
  for (const [id, detail] of orders.shipments) {
    const ref = walk.nodes.get(id);
    if (ref && detail.shipment_vehicle) walk.addVehicle(ref, detail.shipment_vehicle);
  }
  const nodes = await describe(context.deps, walk, orders);
  const graph: TraceGraph = {
    code,
    roots: roots.map(nodeId),
    nodes,
    edges: [...walk.edges.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.relation, b.relation)),
    sources: { orders: orders.state },
  };
  return { graph, walk, roots, down, orders };
}

/** The orders service's side of the shipments and schedules reached; the trace stands without it. */
async function ordersDetails(context: TraceContext, walk: TraceWalk): Promise<OrdersDetails> {
  const details: OrdersDetails = { state: 'ok', shipments: new Map(), schedules: new Map() };
  const shipments = [...walk.nodes.values()].flatMap((ref) => (ref.kind === 'shipment' ? [ref.key] : []));
  const schedules = [...walk.nodes.values()].flatMap((ref) => (ref.kind === 'schedule' ? [ref.code] : []));
  if (!context.orders) return { ...details, state: 'not_configured' };
  if (shipments.length + schedules.length === 0) return details;
  const api = ordersApi(context.orders);
  try {
    for (let i = 0; i < Math.max(shipments.length, schedules.length); i += TRACE_LOOKUP_MAX) {
      const answer = await api.traceLookup(
        {
          shipments: shipments
            .slice(i, i + TRACE_LOOKUP_MAX)
            .map((key) => ({ request_code: key.request_code, shipment_code: key.shipment_code })),
          schedules: schedules.slice(i, i + TRACE_LOOKUP_MAX),
        },
        { correlation: context.command },
      );
      for (const row of answer.shipments) details.shipments.set(shipmentId(row), row);
      for (const row of answer.schedules) details.schedules.set(scheduleId(row.schedule_code), row);
    }
  } catch (error) {
    // A trace during an orders outage still shows every bag and kg: it says what is missing instead of failing.
    context.deps.logger.warn({ err: error }, 'orders details unavailable for a trace');
    return { state: 'unavailable', shipments: new Map(), schedules: new Map() };
  }
  return details;
}

async function describe(deps: FeatureDeps, walk: TraceWalk, orders: OrdersDetails): Promise<TraceNode[]> {
  const refs = [...walk.nodes.values()];
  const missingBags = refs.flatMap((ref) => (ref.kind === 'bag' && !walk.bags.has(nodeId(ref)) ? [ref.key] : []));
  for (const row of missingBags.length ? await bagsByBarcode(deps.db, missingBags) : [])
    walk.bags.set(`${row.material}:${row.barcode}`, row);
  const missingLots = refs.flatMap((ref) => (ref.kind === 'lot' && !walk.lots.has(nodeId(ref)) ? [ref.key] : []));
  for (const row of missingLots.length ? await lotsByKey(deps.db, missingLots) : []) {
    walk.lots.set(
      nodeId({ kind: 'lot', key: { material: row.material, item_code: row.item_code, created_ts: String(row.created_ts) } }),
      row,
    );
  }
  const batchKeys = refs.flatMap((ref) => (ref.kind === 'batch' ? [ref.key] : []));
  const batches = new Map<string, BatchRow>();
  for (const row of batchKeys.length ? await batchesByKey(deps.db, batchKeys) : []) {
    batches.set(nodeId({ kind: 'batch', key: { target: row.target, item_code: row.item_code, created_ts: String(row.created_ts) } }), row);
  }
  const order = (kind: string) => TRACE_NODE_KINDS.indexOf(kind as TraceNode['kind']);
  return refs
    .map((ref) => describeNode(ref, walk, batches, orders))
    .sort((a, b) => order(a.kind) - order(b.kind) || compare(a.label, b.label) || compare(a.id, b.id));
}

function describeNode(ref: NodeRef, walk: TraceWalk, batches: Map<string, BatchRow>, orders: OrdersDetails): TraceNode {
  const id = nodeId(ref);
  switch (ref.kind) {
    case 'lot': {
      const row = walk.lots.get(id);
      return {
        id,
        kind: 'lot',
        label: `${ref.key.material} lot ${ref.key.item_code}`,
        attributes: {
          material: ref.key.material,
          item_code: ref.key.item_code,
          created_ts: Number(ref.key.created_ts),
          invoice_no: row?.invoice_no ?? null,
          garden: row?.garden ?? null,
          broker: row?.broker ?? null,
          grade: row?.grade ?? null,
          name: row?.name ?? null,
        },
        at: isoOf(ref.key.created_ts),
      };
    }
    case 'bag': {
      const row = walk.bags.get(id);
      return {
        id,
        kind: 'bag',
        label: `${ref.key.material} ${row?.item_code ?? ''} bag #${row?.bag_no ?? '?'}`,
        attributes: {
          material: ref.key.material,
          barcode: ref.key.barcode,
          item_code: row?.item_code ?? null,
          bag_no: row ? Number(row.bag_no) : null,
          net_kg: row ? dec(row.net).toFixed(2) : null,
          allocated_kg: row ? dec(row.allocated).toFixed(2) : null,
          remaining_kg: row ? dec(row.net).minus(row.allocated).toFixed(2) : null,
          status: row ? statusOf(row) : null,
          store_location: row?.store_location ?? null,
        },
        at: isoOf(row?.received_ts),
      };
    }
    case 'batch': {
      const row = batches.get(id);
      return {
        id,
        kind: 'batch',
        label: `${ref.key.target} batch ${row?.sheet_no ?? ref.key.item_code}${row?.batch_no ? ` #${row.batch_no}` : ''}`,
        attributes: {
          target: ref.key.target,
          item_code: ref.key.item_code,
          created_ts: Number(ref.key.created_ts),
          sheet_no: row?.sheet_no ?? null,
          batch_no: row?.batch_no ?? null,
          completed: row?.completed ?? null,
          trader_status: row?.trader_status ?? null,
        },
        at: isoOf(ref.key.created_ts),
      };
    }
    case 'shipment': {
      const detail = orders.shipments.get(id);
      return {
        id,
        kind: 'shipment',
        label: `shipment ${ref.key.request_code}/${ref.key.shipment_code}${detail ? ` (${detail.order_code})` : ''}`,
        attributes: {
          request_code: ref.key.request_code,
          shipment_code: ref.key.shipment_code,
          order_code: detail?.order_code ?? null,
          product_name: detail?.product_name ?? null,
          quantity_kg: detail?.quantity_kg ?? null,
          status: detail?.status ?? null,
          accepted_at: detail?.accepted_at ?? null,
          shipment_remarks: detail?.shipment_remarks ?? null,
        },
        at: detail?.dispatched_at ?? isoOf(walk.dispatchedMs.get(id)),
      };
    }
    case 'vehicle':
      return { id, kind: 'vehicle', label: `vehicle ${ref.vehicle}`, attributes: { vehicle: ref.vehicle }, at: null };
    case 'parcel': {
      const row = walk.parcels.get(id);
      return {
        id,
        kind: 'parcel',
        label: `parcel of ${ref.key.material} bag into schedule ${ref.key.schedule_code}`,
        attributes: {
          material: ref.key.material,
          barcode: ref.key.barcode,
          request_code: ref.key.request_code,
          shipment_code: ref.key.shipment_code,
          schedule_code: ref.key.schedule_code,
          amount_kg: row ? dec(row.amount).toFixed(2) : null,
        },
        at: isoOf(row?.allocated_ms),
      };
    }
    case 'schedule': {
      const detail = orders.schedules.get(id);
      return {
        id,
        kind: 'schedule',
        label: `schedule ${ref.code}${detail ? ` (${detail.schedule_date} ${detail.shift})` : ''}`,
        attributes: {
          schedule_code: ref.code,
          schedule_date: detail?.schedule_date ?? null,
          order_code: detail?.order_code ?? null,
          shift: detail?.shift ?? null,
          section: detail?.section ?? null,
          quantity_kg: detail?.quantity_kg ?? null,
          completed: detail?.completed ?? null,
        },
        at: null,
      };
    }
    default:
      return { id, kind: ref.kind, label: `${ref.kind} ${ref.name}`, attributes: { name: ref.name }, at: null };
  }
}

/** The status scan_record reports: the stored one, moved on by what the allocations imply. */
function statusOf(row: BagRow): string {
  const stored = (RECORD_STATUSES as readonly string[]).includes(row.status) ? (row.status as RecordStatus) : 'ACCEPTED';
  const allocated = dec(row.allocated);
  return effectiveStatus(stored, allocated.isZero(), allocated.greaterThanOrEqualTo(row.net));
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
