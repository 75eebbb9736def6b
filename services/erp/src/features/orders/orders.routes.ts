import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { guard } from '../../access.js';
import { actorOf, type ErpDeps } from '../../shared/context.js';
import { page } from '../../shared/schemas.js';
import { CancelBody, OrderListQuery, OrderOut, OrderParams, OrderSummaryOut, ProcessBody } from './orders.schemas.js';
import { cancelOrder, getOrder, listOrders, processOrder } from './orders.service.js';

const refusals = { 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };

export function registerOrderRoutes(app: HttpApp, deps: ErpDeps): void {
  const tags = ['orders'];
  app.post(
    '/orders/process',
    {
      config: { access: guard(deps.config, 'writeOrders') },
      schema: {
        tags,
        summary: 'Process an order: validate, reserve stock FEFO, price every line, store, emit erp.order.processed (one transaction)',
        body: ProcessBody,
        response: { 201: OrderOut, ...refusals },
      },
    },
    async (request, reply) => reply.code(201).send(await processOrder(deps, request.body, actorOf(request, deps))),
  );
  app.post(
    '/orders/:orderId/cancel',
    {
      config: { access: guard(deps.config, 'writeOrders') },
      schema: {
        tags,
        summary: 'Cancel an order: release every reservation; a second cancel is 409 ORDER_ALREADY_CANCELLED',
        params: OrderParams,
        body: CancelBody,
        response: { 200: OrderOut, ...refusals },
      },
    },
    async (request) => cancelOrder(deps, request.params.orderId, request.body ?? {}, actorOf(request, deps)),
  );
  app.get(
    '/orders/:orderId',
    {
      config: { access: guard(deps.config, 'read') },
      schema: {
        tags,
        summary: 'An order with its priced lines and reservations',
        params: OrderParams,
        response: { 200: OrderOut, ...refusals },
      },
    },
    async (request) => getOrder(deps, request.params.orderId),
  );
  app.get(
    '/orders',
    {
      config: { access: guard(deps.config, 'read') },
      schema: {
        tags,
        summary: 'Orders, newest first (customer, status)',
        querystring: OrderListQuery,
        response: { 200: page(OrderSummaryOut), 400: errorResponseSchema, 403: errorResponseSchema },
      },
    },
    async (request) => listOrders(deps, request.query),
  );
}
