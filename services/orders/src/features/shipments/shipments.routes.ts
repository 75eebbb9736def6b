import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { guard } from '../../access.js';
import { commandFrom, type ShipmentDeps } from '../../deps.js';
import { EventBody, EventResultOut, ShipmentChangeBody, ShipmentChangeOut } from './shipments.schemas.js';
import * as shipments from './shipments.service.js';

const errors = { 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };

export function registerShipmentRoutes(app: HttpApp, deps: ShipmentDeps): void {
  app.put(
    '/order/shipment',
    routeOptions(guard(deps.config, 'changeShipment'), 'shipments', "Set shipments' quantities; each remainder becomes a new shipment", {
      body: ShipmentChangeBody,
      response: { 200: ShipmentChangeOut, ...errors },
    }),
    async (request) => shipments.changeQuantities(deps, commandFrom(request, deps), request.body),
  );

  app.post(
    '/order/shipment/event',
    routeOptions(guard(deps.config, 'postEvents'), 'shipments', 'Add status events (APPROVAL_ALLOWED adds ORDER_REQUESTED)', {
      description:
        'Transitions: APPROVAL_REQUESTED → APPROVAL_ALLOWED (→ ORDER_REQUESTED) | APPROVAL_BLOCKED; ORDER_REQUESTED → ORDER_READY | ORDER_NOT_READY | TRADER_BLOCKED; ' +
        'ORDER_NOT_READY → ORDER_READY | TRADER_BLOCKED; ORDER_READY → SHIPMENT_DISPATCHED | TRADER_BLOCKED; SHIPMENT_DISPATCHED → SHIPMENT_ACCEPTED. ' +
        'SHIPMENT_DISPATCHED needs shipment_vehicle, ORDER_NOT_READY order_remarks, SHIPMENT_ACCEPTED shipment_remarks.',
      body: EventBody,
      response: { 200: EventResultOut, ...errors },
    }),
    async (request) => shipments.postEvents(deps, commandFrom(request, deps), request.body),
  );
}
