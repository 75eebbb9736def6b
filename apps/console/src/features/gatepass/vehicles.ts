import type { ShipmentRow } from '../../api/orders';

/** One lorry at the gate and the shipments it carries. */
export interface Vehicle {
  vehicle: string;
  shipments: ShipmentRow[];
  /** When the first of its shipments left Seeduwa (epoch ms). */
  dispatchedAt: number;
}

function eventOf(shipment: ShipmentRow, status: string) {
  return shipment.events.find((event) => event.status === status);
}

/** The vehicle number the dispatch recorded; shipments dispatched without one are grouped as "(no number)". */
export function vehicleOf(shipment: ShipmentRow): string {
  return eventOf(shipment, 'SHIPMENT_DISPATCHED')?.shipment_vehicle?.trim() || '(no number)';
}

export function acceptanceOf(shipment: ShipmentRow) {
  return eventOf(shipment, 'SHIPMENT_ACCEPTED');
}

/** Shipments on the way to Grandpass, one group per vehicle, the longest waiting first. */
export function incomingVehicles(rows: readonly ShipmentRow[]): Vehicle[] {
  const groups = new Map<string, Vehicle>();
  for (const shipment of rows) {
    if (shipment.status !== 'SHIPMENT_DISPATCHED') continue;
    const vehicle = vehicleOf(shipment);
    const at = eventOf(shipment, 'SHIPMENT_DISPATCHED')?.timestamp ?? shipment.updated;
    const group = groups.get(vehicle) ?? { vehicle, shipments: [], dispatchedAt: at };
    group.shipments.push(shipment);
    group.dispatchedAt = Math.min(group.dispatchedAt, at);
    groups.set(vehicle, group);
  }
  return [...groups.values()].sort((a, b) => a.dispatchedAt - b.dispatchedAt);
}
