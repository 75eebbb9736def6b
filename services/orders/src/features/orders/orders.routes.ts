import { Type } from '@sinclair/typebox';
import { errorResponseSchema, nextCursorHeaders, PAGED_ARRAY, sendNextCursor, type HttpApp, routeOptions } from '@tributary/platform/http';
import { guard } from '../../access.js';
import { commandFrom, type OrderDeps } from '../../deps.js';
import { OrderCreateBody, OrderListQuery, OrderOut } from './orders.schemas.js';
import * as orders from './orders.service.js';

const errors = { 400: errorResponseSchema, 403: errorResponseSchema };

export function registerOrderRoutes(app: HttpApp, deps: OrderDeps): void {
  app.get(
    '/order',
    routeOptions(guard(deps.config, 'listOrders'), 'orders', 'Requests with their shipments and status events', {
      description: `${PAGED_ARRAY} A page holds whole requests, in request_code order.`,
      querystring: OrderListQuery,
      response: { 200: Type.Array(OrderOut, { headers: nextCursorHeaders }), ...errors },
    }),
    async (request, reply) => {
      if (request.query.limit === undefined && request.query.cursor === undefined) return orders.listOrders(deps, request.query);
      const page = await orders.listOrdersPage(deps, request.query);
      sendNextCursor(reply, request.url, page.next);
      return page.items;
    },
  );

  app.post(
    '/order',
    {
      config: { access: guard(deps.config, 'createOrders') },
      bodyLimit: 1024 * 1024,
      schema: {
        tags: ['orders'],
        summary: 'Create requests (each with shipment 1 and its first event)',
        body: OrderCreateBody,
        response: { 200: Type.Array(OrderOut), ...errors, 404: errorResponseSchema, 409: errorResponseSchema },
      },
    },
    async (request) => orders.createOrders(deps, commandFrom(request, deps), request.body),
  );
}
