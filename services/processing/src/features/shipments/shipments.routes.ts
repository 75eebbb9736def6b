import { Type } from '@sinclair/typebox';
import { isAppError, uuid } from '@tributary/platform/core';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import type { ServiceClient } from '@tributary/platform/resilience';
import type { FastifyRequest } from 'fastify';
import { ordersApi, type CallOptions, type OrderOut } from '@tributary/contracts';
import { Code, Kg, Text } from '../../http/schemas.js';
import { commandOf, type FeatureDeps } from '../deps.js';
import { copyState, dispatchableCopies } from '../orders-copy/copy.repository.js';
import { requireAllocatedBags } from '../dispatch/dispatch-guard.js';
import { ProcessingError } from '../../errors.js';
import { ACCESS } from '../../access.js';

/** `GET /app/shipment` says whether it answered from orders (`false`) or from the local copy (`true`). */
export const STALE_HEADER = 'x-tributary-stale';
/** With a stale answer: epoch ms of the last orders event applied to the copy (0: none yet). */
export const STALE_AS_OF_HEADER = 'x-tributary-stale-as-of';
/** With a stale answer: why orders was not asked (UPSTREAM_UNAVAILABLE, UPSTREAM_TIMEOUT, UPSTREAM_CIRCUIT_OPEN). */
export const STALE_REASON_HEADER = 'x-tributary-stale-reason';

const errors = {
  400: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  502: errorResponseSchema,
  503: errorResponseSchema,
  504: errorResponseSchema,
};

/** Shipments ready to load: ORDER_READY, neither dispatched nor trader-blocked (reference §5.2). */
export function dispatchableShipments(orders: readonly OrderOut[]) {
  return orders.flatMap((order) =>
    (order.shipments ?? [])
      .filter((shipment) => {
        const statuses = new Set((shipment.events ?? []).map((event) => event.status));
        return statuses.has('ORDER_READY') && !statuses.has('SHIPMENT_DISPATCHED') && !statuses.has('TRADER_BLOCKED');
      })
      .map((shipment) => ({
        request_code: order.request_code,
        order_code: order.order_code,
        product_name: order.product_name,
        requirement: order.requirement,
        comments: order.comments,
        shipment_code: shipment.shipment_code,
        quantity: shipment.quantity,
        events: shipment.events ?? [],
      })),
  );
}

/**
 * The Device-Panel's view of orders: processing proxies the orders service (the seed's
 * SHIPMENT_API) with a signed client, passing the caller's identity and trace along.
 */
export function registerShipmentRoutes(app: HttpApp, deps: FeatureDeps, orders: ServiceClient | undefined): void {
  const api = orders ? ordersApi(orders) : undefined;
  const client = () => {
    if (!api) throw ProcessingError.ORDERS_NOT_CONFIGURED('The orders service URL is not configured (ORDERS_URL)');
    return api;
  };
  const passAlong = (request: FastifyRequest): CallOptions => ({
    ...(request.identity
      ? { identity: { ...(request.identity.user ? { user: request.identity.user } : {}), roles: request.identity.roles } }
      : {}),
    correlation: commandOf(request, deps),
  });

  app.get(
    '/app/shipment',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['shipment'],
        summary: 'Shipments ready for dispatch (flattened from the orders service)',
        response: { 200: Type.Array(Type.Object({}, { additionalProperties: true })), ...errors },
      },
    },
    async (request, reply) => {
      try {
        const live = dispatchableShipments(await client().listOrders({}, passAlong(request)));
        void reply.header(STALE_HEADER, 'false');
        return live;
      } catch (error) {
        // Orders down (unreachable, timing out, or its circuit open): answer from the local copy
        // fed by orders' events, marked stale with the time of the last event applied.
        if (!isAppError(error) || (error.category !== 'unavailable' && error.category !== 'timeout') || !orders) throw error;
        const [copies, state] = await Promise.all([dispatchableCopies(deps.db), copyState(deps.db)]);
        void reply.header(STALE_HEADER, 'true');
        void reply.header(STALE_AS_OF_HEADER, String(state.lastEventAt ?? 0));
        void reply.header(STALE_REASON_HEADER, error.code);
        return copies.map((copy) => ({ ...copy, request_code: Number(copy.request_code), stale: true }));
      }
    },
  );

  app.put(
    '/app/shipment',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['shipment'],
        summary: "Set a shipment's quantity in the orders service (the rest splits into a new shipment)",
        body: Type.Object({ request_code: Code, shipment_code: Code, quantity: Kg }),
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    (request) => client().updateShipments([request.body], passAlong(request)),
  );

  app.post(
    '/app/shipment/event',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['shipment'],
        summary:
          'Record dispatch (SHIPMENT_DISPATCHED with the vehicle number) in the orders service; a shipment without allocated bags is 409 SHIPMENT_HAS_NO_BAGS',
        body: Type.Array(
          Type.Object({
            request_code: Code,
            shipment_code: Code,
            status: Type.Optional(Type.Literal('SHIPMENT_DISPATCHED')),
            shipment_vehicle: Text({ maxLength: 50 }),
          }),
          { minItems: 1, maxItems: 200 },
        ),
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    async (request) => {
      const orders = client();
      await requireAllocatedBags(deps.db, request.body);
      const header = request.headers['idempotency-key'];
      return orders.addShipmentEvents(
        request.body.map((event) => ({ ...event, status: 'SHIPMENT_DISPATCHED' as const })),
        // The dispatch is retried safely: orders deduplicates on the key.
        { ...passAlong(request), idempotencyKey: typeof header === 'string' ? header : uuid() },
      );
    },
  );
}
