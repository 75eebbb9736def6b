import { Type } from '@sinclair/typebox';
import { DocName, Nullable, Paging } from '../../shared/schemas.js';

/**
 * The Harsha client's body (`POST /api/v1/proxy/orders/process`): `{customer, items: [{item_code,
 * qty, warehouse?, uom?}], …}`. Fields are optional here on purpose: a missing customer, an empty
 * list or a bad line is the service's 400 ORDER_VALIDATION_ERROR with every problem listed per
 * line, as the original answered, rather than the schema's first complaint.
 */
const OrderLineIn = Type.Object({
  item_code: Type.Optional(Type.String({ maxLength: 140 })),
  qty: Type.Optional(
    Type.Union([Type.String({ maxLength: 40 }), Type.Number()], {
      description: 'decimal string (up to 6 decimals), or a JSON integer; fractional JSON numbers are refused as inexact',
    }),
  ),
  warehouse: Type.Optional(DocName()),
  uom: Type.Optional(
    Type.String({
      maxLength: 40,
      description: "unit of qty; absent means the item's stock UoM, another UoM needs the item's conversion (GET /items/{name}/uoms)",
    }),
  ),
});

export const ProcessBody = Type.Object({
  customer: Type.Optional(Type.String({ maxLength: 140 })),
  items: Type.Optional(Type.Array(OrderLineIn, { maxItems: 500 })),
  set_warehouse: Type.Optional(DocName({ description: 'warehouse of lines that name none (ERPNext Sales Order field)' })),
  reference: Type.Optional(DocName({ description: "the client's own order number" })),
  price_list: Type.Optional(DocName()),
  coupon_codes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 140 }), { maxItems: 10, uniqueItems: true })),
});

export const CancelBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

export const OrderParams = Type.Object({ orderId: DocName() });

export const OrderListQuery = Type.Object(
  {
    customer: Type.Optional(DocName()),
    status: Type.Optional(Type.Union([Type.Literal('Processed'), Type.Literal('Cancelled')])),
    ...Paging,
  },
  { additionalProperties: false },
);

const ReservationOut = Type.Object({
  batch: Type.String(),
  qty: Type.String(),
  expiry_date: Type.String({ description: 'YYYY-MM-DD' }),
  movement: Type.String({ description: 'the RESERVATION movement in the batch ledger' }),
  release_movement: Nullable(Type.String({ description: 'the RELEASE movement, once the order is cancelled' })),
});

const RuleAppliedOut = Type.Object({
  rule_code: Type.String(),
  stacking: Type.String(),
  basis: Type.String(),
  discount_amount: Type.String(),
  rate_after: Type.String(),
});

const OrderLineOut = Type.Object({
  line: Type.Integer(),
  item_code: Type.String(),
  warehouse: Type.String(),
  uom: Nullable(Type.String({ description: "the ordered UoM (the item's stock UoM when the line named none)" })),
  qty: Type.String({ description: 'in the ordered UoM' }),
  conversion_factor: Type.String({ description: 'stock units per ordered unit' }),
  stock_qty: Type.String({ description: 'qty in stock units: what the batches reserved' }),
  unit_price: Type.String({ description: 'base rate per ordered unit, before discounts' }),
  base_amount: Type.String(),
  discount_amount: Type.String(),
  discount_percentage: Type.String(),
  final_rate: Type.String(),
  final_amount: Type.String(),
  rules_applied: Type.Array(RuleAppliedOut),
  reservations: Type.Array(ReservationOut),
});

const Totals = {
  totalBeforeDiscount: Type.String(),
  totalDiscount: Type.String(),
  totalAfterDiscount: Type.String(),
};

const OrderHead = {
  order_id: Type.String(),
  customer: Type.String(),
  customer_segment: Nullable(Type.String({ description: 'primary segment in force on the order day' })),
  status: Type.Union([Type.Literal('Processed'), Type.Literal('Cancelled')]),
  order_date: Type.String(),
  reference: Nullable(Type.String()),
  line_count: Type.Integer(),
  cancelled_at: Nullable(Type.String()),
  cancel_reason: Nullable(Type.String()),
  ...Totals,
};

export const OrderSummaryOut = Type.Object(OrderHead);
export const OrderOut = Type.Object({ success: Type.Boolean(), ...OrderHead, lines: Type.Array(OrderLineOut) });
