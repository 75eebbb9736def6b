import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import type { ServiceClient } from '@tributary/platform/resilience';
import { SHIPPABLE } from '../../domain/materials.js';
import { Barcode, Code, Kg, Text } from '../../http/schemas.js';
import { commandOf, type FeatureDeps } from '../deps.js';
import { findDispatch } from './dispatch.repository.js';
import { dispatchShipment } from './dispatch.service.js';
import { ProcessingError } from '../../errors.js';
import { ACCESS } from '../../access.js';
import { ordersApi } from '@tributary/contracts';

const errors = {
  400: errorResponseSchema,
  404: errorResponseSchema,
  409: errorResponseSchema,
  422: errorResponseSchema,
  503: errorResponseSchema,
  504: errorResponseSchema,
};
const DispatchBody = Type.Object(
  {
    request_code: Code,
    shipment_code: Code,
    shipment_vehicle: Text({ maxLength: 50 }),
    bags: Type.Array(
      Type.Object(
        { table_name: Type.Union(SHIPPABLE.map((t) => Type.Literal(t))), barcode: Barcode, amount: Kg },
        { additionalProperties: false },
      ),
      {
        minItems: 1,
        maxItems: 500,
      },
    ),
  },
  { additionalProperties: false },
);
const DispatchOut = Type.Object(
  {
    dispatch_key: Type.String(),
    request_code: Type.Number(),
    shipment_code: Type.Number(),
    shipment_vehicle: Type.String(),
    quantity: Type.String(),
    split: Type.Union([Type.Null(), Type.Object({ shipment_code: Type.Number(), quantity: Type.String() })]),
    bags: Type.Array(Type.Object({ table_name: Type.String(), barcode: Type.String(), amount: Type.String(), status: Type.String() })),
  },
  { additionalProperties: true },
);

/** The Device-Panel's "dispatch" button: the scanned cart onto a shipment, as one saga (ADR 0601). */
export function registerDispatchRoutes(app: HttpApp, deps: FeatureDeps, orders: ServiceClient | undefined, leaseMs: number): void {
  app.post(
    '/app/shipment/dispatch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['shipment'],
        summary:
          'Dispatch scanned bags on a shipment: split if short, allocate, SHIPMENT_DISPATCHED in orders, bags DISPATCHED — all or compensated',
        description: 'Requires Idempotency-Key. A failure answers DISPATCH_FAILED with details.failedStep, compensated, cause.',
        body: DispatchBody,
        response: { 200: DispatchOut, ...errors },
      },
    },
    async (request) => {
      const header = request.headers['idempotency-key'];
      if (typeof header !== 'string' || header.length === 0)
        throw ProcessingError.DISPATCH_KEY_REQUIRED('A dispatch needs an Idempotency-Key header');
      if (!orders) throw ProcessingError.ORDERS_NOT_CONFIGURED('The orders service URL is not configured (ORDERS_URL)');
      const identity = request.identity;
      return dispatchShipment(
        {
          deps,
          orders: ordersApi(orders),
          actor: commandOf(request, deps),
          key: header,
          leaseMs,
          forward: {
            ...(identity ? { identity: { ...(identity.user ? { user: identity.user } : {}), roles: identity.roles } } : {}),
          },
        },
        request.body,
      );
    },
  );

  app.get(
    '/app/shipment/dispatch',
    {
      config: { access: ACCESS.peer },
      schema: {
        tags: ['shipment'],
        summary: 'A dispatch and its step outcomes, by its Idempotency-Key',
        querystring: Type.Object({ key: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({}, { additionalProperties: true }), 404: errorResponseSchema },
      },
    },
    async (request) => {
      const row = await findDispatch(deps.db, request.query.key);
      if (!row) throw ProcessingError.DISPATCH_NOT_FOUND('No dispatch with this key');
      return { ...row, bags: JSON.parse(row.bags) };
    },
  );
}
