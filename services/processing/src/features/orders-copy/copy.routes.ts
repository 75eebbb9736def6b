import { ORDERS_EVENT_TYPES } from '@tributary/contracts';
import type { HttpApp } from '@tributary/platform/http';
import { registerEventInbox, type EventHandler } from '@tributary/platform/outbox';
import type { ProcessingDb } from '../../db/schema.js';
import type { FeatureDeps } from '../deps.js';
import { applyOrdersEvent } from './copy.service.js';

/**
 * `POST /internal/events`: the sync service delivers the orders service's outbox events here
 * (flow "orders shipment events → processing"). Shipment events keep the local copy of
 * dispatchable shipments; every other type is acknowledged as `ignored`.
 */
export function registerOrdersCopyRoutes(app: HttpApp, deps: FeatureDeps, deliverers: ReadonlySet<string>): void {
  const copy: EventHandler<ProcessingDb> = async (trx, event, context) =>
    (await applyOrdersEvent(trx, event.type, event.payload, context.now)) ? 'applied' : 'ignored';
  registerEventInbox<ProcessingDb>(app, {
    db: deps.db,
    clock: deps.clock,
    deliverers,
    summary: "Event delivery (the orders service's shipment events feed the local copy behind GET /app/shipment)",
    handlers: {
      [ORDERS_EVENT_TYPES.requestCreated]: copy,
      [ORDERS_EVENT_TYPES.shipmentQuantityChanged]: copy,
      [ORDERS_EVENT_TYPES.shipmentEventAdded]: copy,
    },
    onCommitted: () => deps.eventsCommitted(),
  });
}
