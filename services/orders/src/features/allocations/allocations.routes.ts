import { EventAck, EventEnvelope, INTERNAL_EVENTS_PATH } from '@tributary/contracts';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { guard } from '../../access.js';
import type { OrdersDeps } from '../../deps.js';
import { receiveEvent } from './allocations.service.js';

export function registerInternalEventRoutes(app: HttpApp, deps: OrdersDeps): void {
  app.post(
    INTERNAL_EVENTS_PATH,
    {
      config: { access: guard(deps.config, 'internalEvents') },
      schema: {
        tags: ['internal'],
        summary: "Event delivery (processing's allocation.changed keeps each shipment's allocated kg)",
        body: EventEnvelope,
        response: { 200: EventAck, 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request) => receiveEvent(deps, request.body),
  );
}
