import { EventAck, EventEnvelope, INTERNAL_EVENTS_PATH } from '@tributary/contracts';
import { inTransaction } from '@tributary/platform/db';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { applyOnce } from '@tributary/platform/outbox';
import type { FeatureDeps } from '../deps.js';
import { applyOrdersEvent } from './copy.service.js';
import { ACCESS } from '../../access.js';

/**
 * `POST /internal/events`: the sync service delivers the orders service's outbox events here
 * (flow "orders shipment events → processing"). Shipment events keep the local copy of
 * dispatchable shipments; every other type is acknowledged as `ignored`. Each event id is
 * applied once (inbox row in the same transaction as the change).
 */
export function registerOrdersCopyRoutes(app: HttpApp, deps: FeatureDeps, deliverers: ReadonlySet<string>): void {
  app.post(
    INTERNAL_EVENTS_PATH,
    {
      config: { access: ACCESS.eventDelivery(deliverers) },
      schema: {
        tags: ['internal'],
        summary: "Event delivery (the orders service's shipment events feed the local copy behind GET /app/shipment)",
        body: EventEnvelope,
        response: { 200: EventAck, 400: errorResponseSchema, 403: errorResponseSchema },
      },
    },
    async (request) => {
      const envelope = request.body;
      const now = deps.clock.now();
      const outcome = await inTransaction(deps.db, (trx) =>
        applyOnce(trx, envelope.id, () => applyOrdersEvent(trx, envelope.type, envelope.payload, now), { source: envelope.source, now: () => now }),
      );
      if (!outcome.applied) return { status: 'duplicate' as const };
      return { status: outcome.result ? ('applied' as const) : ('ignored' as const) };
    },
  );
}
