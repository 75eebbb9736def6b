import { groupBy } from '../../group.js';
import { kg } from '../../units.js';
import type { OrderOut } from '../orders/orders.schemas.js';
import type { EventRow, RequestRow, ShipmentRow } from './shipments.repository.js';
import type { EventOut, ShipmentOut } from './shipments.schemas.js';

export function eventOut(row: EventRow): EventOut {
  return {
    status: row.status,
    timestamp: Number(row.event_ts),
    ...(row.shipment_vehicle !== null ? { shipment_vehicle: row.shipment_vehicle } : {}),
    ...(row.shipment_remarks !== null ? { shipment_remarks: row.shipment_remarks } : {}),
    ...(row.order_remarks !== null ? { order_remarks: row.order_remarks } : {}),
  };
}

const shipmentKey = (requestCode: string, shipmentCode: number) => `${requestCode}/${shipmentCode}`;

export function shipmentViews(shipments: readonly ShipmentRow[], events: readonly EventRow[]): Map<string, ShipmentOut> {
  const eventsByShipment = groupBy(events, (event) => shipmentKey(String(event.request_code), event.shipment_code));
  return new Map(
    shipments.map((shipment) => [
      shipmentKey(String(shipment.request_code), shipment.shipment_code),
      {
        shipment_code: shipment.shipment_code,
        quantity: kg(shipment.quantity),
        allocated: kg(shipment.allocated),
        status: shipment.status,
        events: (eventsByShipment.get(shipmentKey(String(shipment.request_code), shipment.shipment_code)) ?? []).map(eventOut),
      },
    ]),
  );
}

/** Requests with the given shipments nested (requests without a listed shipment are left out). */
export function orderViews(requests: readonly RequestRow[], shipments: readonly ShipmentRow[], events: readonly EventRow[]): OrderOut[] {
  const views = shipmentViews(shipments, events);
  const byRequest = groupBy(shipments, (shipment) => String(shipment.request_code));
  return requests
    .filter((request) => byRequest.has(String(request.request_code)))
    .map((request) => ({
      request_code: Number(request.request_code),
      order_code: request.order_code,
      product_name: request.product_name,
      requirement: kg(request.requirement),
      comments: request.comments,
      shipments: byRequest.get(String(request.request_code))!.map((s) => views.get(shipmentKey(String(s.request_code), s.shipment_code))!),
    }));
}
