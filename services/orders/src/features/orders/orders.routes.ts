import { Type } from '@sinclair/typebox';
import { errorResponseSchema, nextCursorHeaders, sendNextCursor, type HttpApp } from '@tributary/platform/http';
import { guard } from '../../access.js';
import { commandFrom, type OrdersDeps } from '../../deps.js';
import { OrderCreateBody, OrderListQuery, OrderOut } from './orders.schemas.js';
import * as orders from './orders.service.js';

const errors = { 400: errorResponseSchema, 403: errorResponseSchema };

export function registerOrderRoutes(app: HttpApp, deps: OrdersDeps): void {
  app.get(
    '/order',
    {
      preValidation: guard(deps.config, 'listOrders'),
      schema: {
        tags: ['orders'],
        summary: 'Requests with their shipments and status events',
        description:
          'Without `limit` and `cursor` every matching request comes back. With either, one page of requests (in request_code order) comes back; ' +
          'the next page is asked for with `cursor` set to the `X-Next-Cursor` header (also given as `Link: <…>; rel="next"`), absent on the last page.',
        querystring: OrderListQuery,
        response: { 200: Type.Array(OrderOut, { headers: nextCursorHeaders }), ...errors },
      },
    },
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
      preValidation: guard(deps.config, 'createOrders'),
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
