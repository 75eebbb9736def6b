import type { ShipmentStatus } from '../../domain.js';

/**
 * The shipment workflow (ADR 0101-orders-shipment-workflow). The current status is the latest
 * event's; a status may be recorded once per shipment. DISPATCHED comes before ACCEPTED
 * (received at Grandpass), as the role, device and dashboard documents describe it.
 */
export const NEXT_STATUSES: Record<ShipmentStatus, readonly ShipmentStatus[]> = {
  APPROVAL_REQUESTED: ['APPROVAL_ALLOWED', 'APPROVAL_BLOCKED'],
  // Only ever current for an instant: the service adds ORDER_REQUESTED in the same transaction.
  APPROVAL_ALLOWED: ['ORDER_REQUESTED'],
  APPROVAL_BLOCKED: [],
  ORDER_REQUESTED: ['ORDER_READY', 'ORDER_NOT_READY', 'TRADER_BLOCKED'],
  ORDER_NOT_READY: ['ORDER_READY', 'TRADER_BLOCKED'],
  ORDER_READY: ['SHIPMENT_DISPATCHED', 'TRADER_BLOCKED'],
  TRADER_BLOCKED: [],
  SHIPMENT_DISPATCHED: ['SHIPMENT_ACCEPTED'],
  SHIPMENT_ACCEPTED: [],
};

/** What POST /order/shipment/event accepts; the two initial statuses come only from POST /order. */
export const POSTABLE_STATUSES: ReadonlySet<ShipmentStatus> = new Set([
  'APPROVAL_ALLOWED',
  'APPROVAL_BLOCKED',
  'ORDER_READY',
  'ORDER_NOT_READY',
  'TRADER_BLOCKED',
  'SHIPMENT_DISPATCHED',
  'SHIPMENT_ACCEPTED',
]);

/** Statuses whose event must say something. */
export const REQUIRED_FIELD: Partial<Record<ShipmentStatus, 'shipment_vehicle' | 'order_remarks' | 'shipment_remarks'>> = {
  SHIPMENT_DISPATCHED: 'shipment_vehicle',
  ORDER_NOT_READY: 'order_remarks',
  SHIPMENT_ACCEPTED: 'shipment_remarks',
};

/** Recorded automatically right after the key status. */
export const AUTOMATIC_FOLLOWER: Partial<Record<ShipmentStatus, ShipmentStatus>> = {
  APPROVAL_ALLOWED: 'ORDER_REQUESTED',
};

/** A shipment's quantity may change (and split) until the goods leave Seeduwa. */
export const SPLITTABLE_STATUSES: ReadonlySet<string> = new Set([
  'APPROVAL_REQUESTED',
  'ORDER_REQUESTED',
  'ORDER_NOT_READY',
  'ORDER_READY',
]);

export function canMove(from: string, to: ShipmentStatus): boolean {
  return (NEXT_STATUSES[from as ShipmentStatus] ?? []).includes(to);
}

/** The statuses a shipment may be in to move to each status: NEXT_STATUSES turned around, once. */
export const PREVIOUS_STATUSES: Partial<Record<ShipmentStatus, readonly ShipmentStatus[]>> = (() => {
  const previous: Partial<Record<ShipmentStatus, ShipmentStatus[]>> = {};
  for (const [from, nexts] of Object.entries(NEXT_STATUSES) as [ShipmentStatus, readonly ShipmentStatus[]][]) {
    for (const next of nexts) (previous[next] ??= []).push(from);
  }
  return previous;
})();
