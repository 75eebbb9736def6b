import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { guard } from '../../access.js';
import { commandFrom, type OrdersDeps } from '../../deps.js';
import { OrderCreateBody, OrderListQuery, OrderOut } from './orders.schemas.js';
import * as orders from './orders.service.js';

const errors = { 400: errorResponseSchema, 403: errorResponseSchema };

export function registerOrderRoutes(app: HttpApp, deps: OrdersDeps): void {
  app.get(
    '/order',
    {
      config: { access: guard(deps.config, 'listOrders') },
      schema: {
        tags: ['orders'],
        summary: 'Requests with their shipments and status events',
        querystring: OrderListQuery,
        response: { 200: Type.Array(OrderOut), ...errors },
      },
    },
    async (request) => orders.listOrders(deps, request.query),
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
