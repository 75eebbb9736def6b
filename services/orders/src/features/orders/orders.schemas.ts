import { Type, type Static } from '@sinclair/typebox';
import { INITIAL_STATUSES, SHIPMENT_STATUSES } from '../../domain.js';
import { KgIn, KgOut } from '../plans/plans.schemas.js';
import { ShipmentOut } from '../shipments/shipments.schemas.js';

export const OrderOut = Type.Object(
  {
    request_code: Type.Integer(),
    order_code: Type.String(),
    product_name: Type.String(),
    requirement: KgOut,
    comments: Type.Union([Type.String(), Type.Null()]),
    shipments: Type.Array(ShipmentOut),
  },
  { title: 'OrderRequest' },
);
export type OrderOut = Static<typeof OrderOut>;

export const OrderListQuery = Type.Object({
  status: Type.Optional(Type.Union(SHIPMENT_STATUSES.map((s) => Type.Literal(s)), { description: 'only shipments whose current status is this' })),
  timestamp: Type.Optional(Type.Integer({ minimum: 0, description: 'only shipments with an event at or after this epoch ms' })),
  shipment_vehicle: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'only shipments with an event naming this vehicle' })),
  order_code: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  request_code: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type OrderListQuery = Static<typeof OrderListQuery>;

export const OrderCreateBody = Type.Array(
  Type.Object(
    {
      order_code: Type.String({ minLength: 1, maxLength: 100 }),
      product_name: Type.String({ minLength: 1, maxLength: 500 }),
      requirement: KgIn,
      comments: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
      status: Type.Union(INITIAL_STATUSES.map((s) => Type.Literal(s))),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type OrderCreateBody = Static<typeof OrderCreateBody>;
