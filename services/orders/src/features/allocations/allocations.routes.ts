import { ALLOCATION_CHANGED, BATCH_TRADER_STATUS_CHANGED } from '@tributary/contracts';
import { registerEventInbox } from '@tributary/platform/outbox';
import type { HttpApp } from '@tributary/platform/http';
import type { OrdersDatabase } from '../../db/schema.js';
import type { EventInboxDeps } from '../../deps.js';
import { applyAllocationChanged } from './allocations.service.js';
import { applyTraderStatusChanged } from '../trader/trader-events.service.js';

export function registerInternalEventRoutes(app: HttpApp, deps: EventInboxDeps): void {
  registerEventInbox<OrdersDatabase>(app, {
    db: deps.db,
    clock: deps.clock,
    deliverers: deps.config.eventDeliverers,
    summary:
      "Event delivery (processing's allocation.changed keeps each shipment's allocated kg; a trader block flags the blend's waiting shipments)",
    handlers: {
      [ALLOCATION_CHANGED]: (trx, event, context) => applyAllocationChanged(trx, event, context.now),
      [BATCH_TRADER_STATUS_CHANGED]: applyTraderStatusChanged,
    },
    onCommitted: deps.onEventsCommitted,
    onOutcome: (_type, status) => deps.metrics.allocationEvent(status),
  });
}
