import { Type, type Static } from '@sinclair/typebox';
import { dec } from '@tributary/platform/core';

/**
 * MTP reconciliation between the orders service (shipments: quantity, status) and the
 * processing service (bag allocations to shipments). Both sides page their rows in
 * (request_code, shipment_code) order; `reconcileMtp` merges the two streams holding one row
 * of each at a time, so memory stays constant whatever the size.
 */

const Kg = Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: 'kilograms, decimal string' });
const RequestCode = Type.String({ pattern: '^[0-9]{1,19}$' });

/** One shipment as the orders service holds it (quantity stored in grams, sent as kg). */
export const MtpShipmentSide = Type.Object({
  request_code: RequestCode,
  shipment_code: Type.Integer({ minimum: 1 }),
  quantity_kg: Kg,
  status: Type.String(),
});
export type MtpShipmentSide = Static<typeof MtpShipmentSide>;

/** Σ of processing's allocations of bags to one shipment, and how many of those bags are DISPATCHED. */
export const MtpAllocationSide = Type.Object({
  request_code: RequestCode,
  shipment_code: Type.Integer({ minimum: 1 }),
  allocated_kg: Kg,
  bags: Type.Integer({ minimum: 0 }),
  dispatched_bags: Type.Integer({ minimum: 0 }),
});
export type MtpAllocationSide = Static<typeof MtpAllocationSide>;

/** A page of either side; `next` is the cursor `<request_code>:<shipment_code>` or null at the end. */
export const MtpShipmentPage = Type.Object({ rows: Type.Array(MtpShipmentSide), next: Type.Union([Type.String(), Type.Null()]) });
export type MtpShipmentPage = Static<typeof MtpShipmentPage>;
export const MtpAllocationPage = Type.Object({ rows: Type.Array(MtpAllocationSide), next: Type.Union([Type.String(), Type.Null()]) });
export type MtpAllocationPage = Static<typeof MtpAllocationPage>;

export const MTP_RECONCILE_PATHS = {
  shipments: '/internal/reconcile/mtp/shipments',
  allocations: '/internal/reconcile/mtp/allocations',
  run: '/internal/reconcile/mtp',
} as const;

export const MTP_DIFFERENCE_KINDS = ['quantity_mismatch', 'status_mismatch', 'orphaned_allocation'] as const;
export type MtpDifferenceKind = (typeof MTP_DIFFERENCE_KINDS)[number];

export const MtpDifference = Type.Object({
  kind: Type.Union(MTP_DIFFERENCE_KINDS.map((k) => Type.Literal(k))),
  request_code: RequestCode,
  shipment_code: Type.Integer(),
  /** Human-readable reason. */
  reason: Type.String(),
  orders: Type.Union([Type.Null(), Type.Object({ quantity_kg: Kg, status: Type.String() })]),
  processing: Type.Union([Type.Null(), Type.Object({ allocated_kg: Kg, bags: Type.Integer(), dispatched_bags: Type.Integer() })]),
});
export type MtpDifference = Static<typeof MtpDifference>;

export const MtpReconcileSummary = Type.Object({
  shipments: Type.Integer(),
  allocationGroups: Type.Integer(),
  differences: Type.Integer(),
  byKind: Type.Record(Type.String(), Type.Integer()),
});
export type MtpReconcileSummary = Static<typeof MtpReconcileSummary>;

/** Statuses after which the shipment has left the site: every allocated bag must be DISPATCHED and Σ must equal the quantity. */
export const MTP_DISPATCHED_STATUSES: ReadonlySet<string> = new Set(['SHIPMENT_DISPATCHED', 'SHIPMENT_ACCEPTED']);

/** Orders (request_code as digits without leading zeros, then shipment_code). */
export function compareMtpKeys(
  a: { request_code: string; shipment_code: number },
  b: { request_code: string; shipment_code: number },
): number {
  if (a.request_code.length !== b.request_code.length) return a.request_code.length - b.request_code.length;
  if (a.request_code !== b.request_code) return a.request_code < b.request_code ? -1 : 1;
  return a.shipment_code - b.shipment_code;
}

export const mtpCursor = (row: { request_code: string; shipment_code: number }) => `${row.request_code}:${row.shipment_code}`;

export function parseMtpCursor(cursor: string | undefined): { request_code: string; shipment_code: number } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const match = /^([0-9]{1,19}):([0-9]{1,10})$/.exec(cursor);
  if (!match) return undefined;
  return { request_code: match[1]!.replace(/^0+(?=\d)/, ''), shipment_code: Number(match[2]) };
}

/**
 * The rules for one (request, shipment) with both sides' values:
 *   - allocations without a shipment → orphaned_allocation;
 *   - a dispatched shipment: Σ allocated must equal the quantity (quantity_mismatch) and every
 *     allocated bag must be DISPATCHED (status_mismatch);
 *   - a shipment not yet dispatched: Σ allocated may not exceed the quantity (quantity_mismatch)
 *     and none of its bags may be DISPATCHED (status_mismatch).
 */
export function judgeMtpPair(shipment: MtpShipmentSide | undefined, allocation: MtpAllocationSide | undefined): MtpDifference[] {
  const key = shipment ?? allocation!;
  const ordersSide = shipment ? { quantity_kg: shipment.quantity_kg, status: shipment.status } : null;
  const processingSide = allocation
    ? { allocated_kg: allocation.allocated_kg, bags: allocation.bags, dispatched_bags: allocation.dispatched_bags }
    : null;
  const base = { request_code: key.request_code, shipment_code: key.shipment_code, orders: ordersSide, processing: processingSide };
  if (!shipment) return [{ kind: 'orphaned_allocation', reason: 'allocations to a shipment the orders service does not have', ...base }];
  const bags = allocation?.bags ?? 0;
  const dispatchedBags = allocation?.dispatched_bags ?? 0;
  // Most pairs agree digit for digit; identical strings are equal amounts, so only the others
  // are parsed as decimals (the parse is most of the merge's CPU over 100,000 pairs).
  const same = allocation !== undefined && allocation.allocated_kg === shipment.quantity_kg;
  if (same && (MTP_DISPATCHED_STATUSES.has(shipment.status) ? dispatchedBags >= bags : dispatchedBags === 0)) return [];
  const allocated = dec(allocation?.allocated_kg ?? '0');
  const quantity = dec(shipment.quantity_kg);
  const found: MtpDifference[] = [];
  if (MTP_DISPATCHED_STATUSES.has(shipment.status)) {
    if (!allocated.equals(quantity))
      found.push({
        kind: 'quantity_mismatch',
        reason: `dispatched shipment: allocated ${allocated.toFixed()} kg ≠ quantity ${quantity.toFixed()} kg`,
        ...base,
      });
    if (dispatchedBags < bags)
      found.push({
        kind: 'status_mismatch',
        reason: `shipment ${shipment.status} but ${bags - dispatchedBags} of ${bags} bags are not DISPATCHED`,
        ...base,
      });
  } else {
    if (allocated.greaterThan(quantity))
      found.push({
        kind: 'quantity_mismatch',
        reason: `allocated ${allocated.toFixed()} kg exceeds quantity ${quantity.toFixed()} kg`,
        ...base,
      });
    if (dispatchedBags > 0)
      found.push({
        kind: 'status_mismatch',
        reason: `shipment ${shipment.status} but ${dispatchedBags} of ${bags} bags are DISPATCHED`,
        ...base,
      });
  }
  return found;
}

export interface MtpReconcileProgress {
  shipments: number;
  allocationGroups: number;
  differences: number;
}

/**
 * Merges both sorted streams. Each side must be strictly increasing by (request_code,
 * shipment_code); a side out of order throws rather than report nonsense.
 */
export async function* reconcileMtp(
  shipments: AsyncIterable<MtpShipmentSide>,
  allocations: AsyncIterable<MtpAllocationSide>,
  progress?: (p: MtpReconcileProgress) => void,
): AsyncGenerator<MtpDifference, MtpReconcileSummary> {
  const left = shipments[Symbol.asyncIterator]();
  const right = allocations[Symbol.asyncIterator]();
  const counts: MtpReconcileProgress = { shipments: 0, allocationGroups: 0, differences: 0 };
  const byKind: Record<string, number> = {};
  let lastLeft: MtpShipmentSide | undefined;
  let lastRight: MtpAllocationSide | undefined;
  const nextLeft = async () => {
    const step = await left.next();
    if (step.done) return undefined;
    if (lastLeft && compareMtpKeys(lastLeft, step.value) >= 0) throw new Error(`orders side out of order at ${mtpCursor(step.value)}`);
    counts.shipments++;
    return (lastLeft = step.value);
  };
  const nextRight = async () => {
    const step = await right.next();
    if (step.done) return undefined;
    if (lastRight && compareMtpKeys(lastRight, step.value) >= 0)
      throw new Error(`processing side out of order at ${mtpCursor(step.value)}`);
    counts.allocationGroups++;
    return (lastRight = step.value);
  };
  try {
    let s = await nextLeft();
    let a = await nextRight();
    while (s || a) {
      const order = !s ? 1 : !a ? -1 : compareMtpKeys(s, a);
      const found = order === 0 ? judgeMtpPair(s, a) : order < 0 ? judgeMtpPair(s, undefined) : judgeMtpPair(undefined, a);
      for (const difference of found) {
        counts.differences++;
        byKind[difference.kind] = (byKind[difference.kind] ?? 0) + 1;
        yield difference;
      }
      if (order <= 0) s = await nextLeft();
      if (order >= 0) a = await nextRight();
      progress?.(counts);
    }
    return { shipments: counts.shipments, allocationGroups: counts.allocationGroups, differences: counts.differences, byKind };
  } finally {
    // A run that stops early (one side failed, or the caller gave up) closes both sides, so a
    // side holding a resource (a database cursor, a request in flight) lets it go.
    await Promise.allSettled([left.return?.(), right.return?.()]);
  }
}

/**
 * Pages a cursor-paged source into a stream of rows (one page in memory at a time). With
 * `prefetch`, the next page is requested as soon as a page arrives, so its round trip overlaps
 * the consumer's work on the current one (two pages in memory at most).
 */
export async function* pagedRows<T>(
  fetchPage: (after: string | undefined) => Promise<{ rows: T[]; next: string | null }>,
  options: { prefetch?: boolean } = {},
): AsyncGenerator<T> {
  let pending = fetchPage(undefined);
  for (;;) {
    const page = await pending;
    if (page.next !== null && options.prefetch) {
      pending = fetchPage(page.next);
      // A consumer that stops early never awaits it: its failure must not go unhandled.
      pending.catch(() => undefined);
    }
    yield* page.rows;
    if (page.next === null) return;
    if (!options.prefetch) pending = fetchPage(page.next);
  }
}
