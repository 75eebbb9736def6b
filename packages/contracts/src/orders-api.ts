import { Type, type Static } from '@sinclair/typebox';
import { PageQuery } from '@tributary/platform/core';
import { SHIPMENT_STATUSES } from './orders.js';

/**
 * The orders service's HTTP API that other services call (the MTP order manager's documented
 * bodies): the schemas orders validates and documents with, and the types its callers compile
 * against, so both sides read the same definition.
 */
export const ORDERS_PATHS = {
  orders: '/order',
  shipments: '/order/shipment',
  shipmentEvents: '/order/shipment/event',
} as const;

export const KgOut = Type.String({ description: 'kilograms, decimal string', examples: ['1250.5'] });
export const KgIn = Type.Union([Type.String({ maxLength: 40 }), Type.Number()], {
  description: 'kilograms: a decimal string (preferred) or a number; at most three decimals',
});
/** bigint codes travel as numbers or decimal strings (the original's clients send both). */
export const CodeIn = Type.Union([
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
  Type.String({ pattern: '^[1-9][0-9]{0,15}$' }),
]);
export const ShipmentCodeIn = Type.Union([
  Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
  Type.String({ pattern: '^[1-9][0-9]{0,8}$' }),
]);
export const StatusSchema = Type.Union(
  SHIPMENT_STATUSES.map((status) => Type.Literal(status)),
  { description: 'shipment workflow status' },
);
const Remark = Type.String({ maxLength: 2000 });

export const EventOut = Type.Object(
  {
    status: Type.String(),
    timestamp: Type.Integer({ description: 'event_ts, epoch ms' }),
    shipment_vehicle: Type.Optional(Type.String()),
    shipment_remarks: Type.Optional(Type.String()),
    order_remarks: Type.Optional(Type.String()),
  },
  { title: 'ShipmentEvent' },
);
export type EventOut = Static<typeof EventOut>;

export const ShipmentOut = Type.Object(
  {
    shipment_code: Type.Integer(),
    quantity: KgOut,
    allocated: Type.String({ description: 'kg of bags processing has allocated to this shipment' }),
    status: Type.String({ description: 'current status (the latest event)' }),
    events: Type.Array(EventOut),
  },
  { title: 'Shipment' },
);
export type ShipmentOut = Static<typeof ShipmentOut>;

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

/** `GET /order`; `limit`/`cursor` are optional and page by request (the body stays an array). */
export const OrderListQuery = Type.Object({
  status: Type.Optional(
    Type.Union(
      SHIPMENT_STATUSES.map((s) => Type.Literal(s)),
      { description: 'only shipments whose current status is this' },
    ),
  ),
  timestamp: Type.Optional(Type.Integer({ minimum: 0, description: 'only shipments with an event at or after this epoch ms' })),
  shipment_vehicle: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'only shipments with an event naming this vehicle' }),
  ),
  order_code: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  request_code: Type.Optional(Type.Integer({ minimum: 1 })),
  ...PageQuery.properties,
});
export type OrderListQuery = Static<typeof OrderListQuery>;

export const ShipmentChangeBody = Type.Array(
  Type.Object({ request_code: CodeIn, shipment_code: ShipmentCodeIn, quantity: KgIn }, { additionalProperties: false }),
  { minItems: 1 },
);
export type ShipmentChangeBody = Static<typeof ShipmentChangeBody>;

export const ShipmentChangeOut = Type.Array(
  Type.Object({ request_code: Type.Integer(), shipments: Type.Array(ShipmentOut) }, { title: 'ShipmentChange' }),
);
export type ShipmentChangeOut = Static<typeof ShipmentChangeOut>;

export const EventBody = Type.Array(
  Type.Object(
    {
      request_code: CodeIn,
      shipment_code: ShipmentCodeIn,
      status: StatusSchema,
      shipment_vehicle: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
      shipment_remarks: Type.Optional(Type.Union([Remark, Type.Null()])),
      order_remarks: Type.Optional(Type.Union([Remark, Type.Null()])),
    },
    { additionalProperties: false },
  ),
  { minItems: 1 },
);
export type EventBody = Static<typeof EventBody>;

export const EventResultOut = Type.Array(
  Type.Object(
    { request_code: Type.Integer(), shipments: Type.Array(Type.Object({ shipment_code: Type.Integer(), events: Type.Array(EventOut) })) },
    { title: 'ShipmentEventResult' },
  ),
);
export type EventResultOut = Static<typeof EventResultOut>;

/** `GET /order/pipeline`: shipments by the stage their latest event puts them in. */
export const ORDERS_PIPELINE_PATH = '/order/pipeline';
export const OrdersPipelineCounts = Type.Object({
  ready: Type.Integer({ minimum: 0, description: 'shipments whose latest status is ORDER_READY' }),
  dispatched: Type.Integer({ minimum: 0, description: 'shipments whose latest status is SHIPMENT_DISPATCHED (on the road)' }),
  accepted: Type.Integer({ minimum: 0, description: 'shipments whose latest status is SHIPMENT_ACCEPTED (received at Grandpass)' }),
});
export type OrdersPipelineCounts = Static<typeof OrdersPipelineCounts>;
