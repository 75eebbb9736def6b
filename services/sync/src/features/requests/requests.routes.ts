import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { ACCESS } from '../../access.js';
import type { RequestDeps } from '../../deps.js';
import type { EntityKind } from '../overview/entity-kind.js';
import { checkKnownSource } from '../capture/webhook-sources.js';
import { recordSyncRequest, type SyncRequest } from './requests.service.js';

const SourceName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-z0-9_-]+$' });
const CustomersBody = Type.Object({ source: SourceName }, { additionalProperties: false });
// Null admits a request with no body at all (Fastify validates a missing body as null); a body
// that is literally null is refused at the edge.
const InventoryBody = Type.Union([
  Type.Object({ warehouse: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })) }, { additionalProperties: false }),
  Type.Null(),
]);
const TriggerBody = Type.Object(
  {
    entityType: Type.Union([
      Type.Literal('customer'),
      Type.Literal('inventory'),
      Type.Literal('order'),
      Type.Literal('pricing'),
      Type.Literal('price'),
      Type.Literal('product'),
    ]),
    operation: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    source: Type.Optional(SourceName),
    target: Type.Optional(SourceName),
    entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
    data: Type.Optional(Type.Object({}, { additionalProperties: true })),
  },
  { additionalProperties: false },
);
const Accepted = Type.Object({
  success: Type.Literal(true),
  message: Type.String(),
  timestamp: Type.String(),
  id: Type.String({ description: 'The request event: GET /api/sync/status/:id' }),
  event: Type.String(),
  deliveries: Type.Integer({ description: 'Deliveries the active configurations routed the request to' }),
});
const errors = { 400: errorResponseSchema, 403: errorResponseSchema };

/** The original service's manual sync triggers; each is recorded as a sync request event (requests.service). */
export function registerRequestRoutes(app: HttpApp, deps: RequestDeps): void {
  const accept = async (request: FastifyRequest, sync: Omit<SyncRequest, 'actor'>, message: string) => {
    const identity = request.identity;
    const actor = identity?.user ?? identity?.principal ?? 'unknown';
    const recorded = await recordSyncRequest(deps, { ...sync, actor });
    return {
      success: true as const,
      message,
      timestamp: new Date(deps.clock.now()).toISOString(),
      id: recorded.id,
      event: recorded.name,
      deliveries: recorded.deliveries,
    };
  };
  const options = (summary: string, body?: object) => ({
    config: { access: ACCESS.integration },
    schema: { tags: ['requests'], summary, ...(body ? { body } : {}), response: { 202: Accepted, ...errors } },
  });

  app.post('/api/sync/customers', options('Request a full customer sync from a source', CustomersBody), async (request, reply) => {
    const { source } = request.body as Static<typeof CustomersBody>;
    checkKnownSource(deps, source);
    const answer = await accept(
      request,
      { kind: 'customer', action: 'sync_requested', detail: { source } },
      `Customer sync initiated from ${source}`,
    );
    return reply.code(202).send(answer);
  });

  app.post(
    '/api/sync/inventory',
    options('Request an inventory sync, optionally of one warehouse', InventoryBody),
    async (request, reply) => {
      const warehouse = (request.body as Static<typeof InventoryBody>)?.warehouse;
      const message = `Inventory sync initiated${warehouse ? ` for warehouse ${warehouse}` : ''}`;
      const answer = await accept(
        request,
        { kind: 'inventory', action: 'sync_requested', detail: warehouse ? { warehouse } : {} },
        message,
      );
      return reply.code(202).send(answer);
    },
  );

  app.post('/api/sync/low-stock', options('Request a sync of the items low on stock'), async (request, reply) => {
    // The original ranks low stock among its urgent events, so the request goes ahead of routine ones.
    const sync = { kind: 'inventory' as const, action: 'low_stock_sync_requested', detail: {}, priority: 2 };
    return reply.code(202).send(await accept(request, sync, 'Low stock sync initiated'));
  });

  app.post('/api/sync/trigger', options('Request a sync of one entity type (or one entity)', TriggerBody), async (request, reply) => {
    const body = request.body as Static<typeof TriggerBody>;
    if (body.source) checkKnownSource(deps, body.source);
    const kind: EntityKind = body.entityType === 'price' ? 'pricing' : body.entityType === 'product' ? 'inventory' : body.entityType;
    const answer = await accept(request, { kind, action: 'sync_requested', detail: { ...body } }, `Sync of ${kind} initiated`);
    return reply.code(202).send(answer);
  });
}
