import { dec, Decimal } from '@tributary/platform/core';
import { ProcessingError } from '../../errors.js';
import { parentOf, type TraceWalk } from './genealogy.graph.js';
import { bagId, nodeId, type NodeRef } from './genealogy.ids.js';
import { ingredientsOfBatches, type IngredientRow } from './genealogy.repository.js';
import { traceCode, type TraceContext } from './genealogy.service.js';

export const ATTRIBUTION_RULE =
  'A bag of a recalled lot (or the recalled bag, or an output bag of a recalled batch) is wholly attributable (share 1). ' +
  'An output bag of a batch carries the batch share: Σ(ingredient kg × that ingredient bag’s share) / Σ(all ingredient kg of the batch), ' +
  'so blends dilute the recalled material proportionally to what went in. Attributable kg = allocated kg × share, computed exactly and rounded half-up to 0.01 kg per row.';

export interface RecallShipment {
  request_code: string;
  shipment_code: number;
  order_code: string | null;
  product_name: string | null;
  status: string | null;
  vehicle: string | null;
  dispatched_at: string | null;
  accepted_at: string | null;
  bags: number;
  allocated_kg: string;
  attributable_kg: string;
}
export interface RecallSchedule {
  schedule_code: string;
  schedule_date: string | null;
  order_code: string | null;
  shift: string | null;
  section: string | null;
  parcelled_kg: string;
  attributable_kg: string;
}
export interface RecallParcel {
  material: string;
  barcode: string;
  request_code: string;
  shipment_code: number;
  schedule_code: string;
  amount_kg: string;
  attributable_kg: string;
}
export interface RecallReport {
  code: string;
  roots: string[];
  rule: string;
  sources: { orders: 'ok' | 'unavailable' | 'not_configured' };
  totals: { shipped_kg: string; attributable_shipped_kg: string; parcelled_kg: string; attributable_parcelled_kg: string };
  shipments: RecallShipment[];
  schedules: RecallSchedule[];
  parcels: RecallParcel[];
}

const SOURCE_KINDS: ReadonlySet<NodeRef['kind']> = new Set(['lot', 'bag', 'batch', 'invoice', 'garden', 'broker']);

/** Every shipment, schedule and parcel the code's material reached, with the kg attributable to it. */
export async function recallReport(context: TraceContext, code: string): Promise<RecallReport> {
  const { walk, roots, down, orders } = await traceCode(context, code);
  const refused = roots.find((root) => !SOURCE_KINDS.has(root.kind));
  if (refused) {
    throw ProcessingError.RECALL_SOURCE_INVALID('A recall starts from a lot, bag, batch, invoice, garden or broker', {
      details: { code, kind: refused.kind },
    });
  }
  const share = await shares(context, walk, down, roots);
  const downEdges = [...walk.edges.values()].filter((edge) => down.has(edge.from) && down.has(edge.to));

  const shipments = new Map<string, { bags: number; allocated: Decimal; attributable: Decimal }>();
  const schedules = new Map<string, { parcelled: Decimal; attributable: Decimal }>();
  const parcels: RecallParcel[] = [];
  for (const edge of downEdges) {
    const amount = dec(edge.quantityKg ?? '0');
    const part = amount.times(share(edge.from));
    if (edge.relation === 'shipped_in') {
      const row = shipments.get(edge.to) ?? { bags: 0, allocated: dec(0), attributable: dec(0) };
      shipments.set(edge.to, { bags: row.bags + 1, allocated: row.allocated.plus(amount), attributable: row.attributable.plus(part) });
    }
    if (edge.relation === 'parcelled') {
      const parcel = walk.nodes.get(edge.to);
      if (parcel?.kind !== 'parcel') continue;
      const schedule = `schedule:${parcel.key.schedule_code}`;
      const row = schedules.get(schedule) ?? { parcelled: dec(0), attributable: dec(0) };
      schedules.set(schedule, { parcelled: row.parcelled.plus(amount), attributable: row.attributable.plus(part) });
      parcels.push({ ...parcel.key, amount_kg: amount.toFixed(2), attributable_kg: part.toFixed(2) });
    }
  }

  const vehicles = new Map<string, string>();
  for (const edge of walk.edges.values()) if (edge.relation === 'carried_by') vehicles.set(edge.from, edge.to.slice('vehicle:'.length));
  const shipmentRows: RecallShipment[] = [...shipments].map(([id, sums]) => {
    const ref = walk.nodes.get(id);
    const key = ref?.kind === 'shipment' ? ref.key : { request_code: '0', shipment_code: 0 };
    const detail = orders.shipments.get(id);
    const vehicle = vehicles.get(id) ?? null;
    return {
      request_code: key.request_code,
      shipment_code: key.shipment_code,
      order_code: detail?.order_code ?? null,
      product_name: detail?.product_name ?? null,
      status: detail?.status ?? null,
      vehicle: detail?.shipment_vehicle ?? vehicle,
      dispatched_at: detail?.dispatched_at ?? null,
      accepted_at: detail?.accepted_at ?? null,
      bags: sums.bags,
      allocated_kg: sums.allocated.toFixed(2),
      attributable_kg: sums.attributable.toFixed(2),
    };
  });
  const scheduleRows: RecallSchedule[] = [...schedules].map(([id, sums]) => {
    const detail = orders.schedules.get(id);
    return {
      schedule_code: id.slice('schedule:'.length),
      schedule_date: detail?.schedule_date ?? null,
      order_code: detail?.order_code ?? null,
      shift: detail?.shift ?? null,
      section: detail?.section ?? null,
      parcelled_kg: sums.parcelled.toFixed(2),
      attributable_kg: sums.attributable.toFixed(2),
    };
  });
  const sum = (values: Decimal[]) => values.reduce((a, b) => a.plus(b), dec(0)).toFixed(2);
  return {
    code,
    roots: roots.map(nodeId),
    rule: ATTRIBUTION_RULE,
    sources: { orders: orders.state },
    totals: {
      shipped_kg: sum([...shipments.values()].map((s) => s.allocated)),
      attributable_shipped_kg: sum([...shipments.values()].map((s) => s.attributable)),
      parcelled_kg: sum([...schedules.values()].map((s) => s.parcelled)),
      attributable_parcelled_kg: sum([...schedules.values()].map((s) => s.attributable)),
    },
    shipments: shipmentRows.sort((a, b) => compareCodes(a.request_code, b.request_code) || a.shipment_code - b.shipment_code),
    schedules: scheduleRows.sort((a, b) => compareCodes(a.schedule_code, b.schedule_code)),
    parcels: parcels.sort(
      (a, b) =>
        compareCodes(a.schedule_code, b.schedule_code) ||
        compareCodes(a.request_code, b.request_code) ||
        a.shipment_code - b.shipment_code ||
        (a.barcode < b.barcode ? -1 : 1),
    ),
  };
}

/**
 * Each downstream bag's share of the recalled material. Shares are kept as exact decimals
 * (Decimal's 20 significant digits hold any realistic chain of blends); only the report rounds.
 */
async function shares(
  context: TraceContext,
  walk: TraceWalk,
  down: ReadonlySet<string>,
  roots: readonly NodeRef[],
): Promise<(bagNodeId: string) => Decimal> {
  const rootIds = new Set(roots.map(nodeId));
  const batchKeys = [...down].flatMap((id) => {
    const ref = walk.nodes.get(id);
    return ref?.kind === 'batch' && !rootIds.has(id) ? [ref.key] : [];
  });
  const inputs = new Map<string, IngredientRow[]>();
  for (const row of batchKeys.length ? await ingredientsOfBatches(context.deps.db, batchKeys) : []) {
    const id = nodeId({ kind: 'batch', key: { target: row.target, item_code: row.item_code, created_ts: String(row.created_ts) } });
    const rows = inputs.get(id);
    if (rows) rows.push(row);
    else inputs.set(id, [row]);
  }
  const memo = new Map<string, Decimal>();
  const batchShare = (id: string): Decimal => {
    if (rootIds.has(id)) return dec(1);
    const cached = memo.get(id);
    if (cached) return cached;
    const rows = inputs.get(id) ?? [];
    const total = rows.reduce((a, row) => a.plus(row.amount), dec(0));
    const recalled = rows.reduce((a, row) => a.plus(dec(row.amount).times(bagShare(bagId(row)))), dec(0));
    const value = total.isZero() ? dec(0) : recalled.dividedBy(total);
    memo.set(id, value);
    return value;
  };
  const bagShare = (id: string): Decimal => {
    if (!down.has(id)) return dec(0);
    if (rootIds.has(id)) return dec(1);
    const row = walk.bags.get(id);
    if (!row) return dec(0);
    const parent = parentOf(row);
    const parentKey = nodeId(parent);
    if (!down.has(parentKey)) return dec(0);
    return parent.kind === 'batch' ? batchShare(parentKey) : dec(1);
  };
  return bagShare;
}

const compareCodes = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
