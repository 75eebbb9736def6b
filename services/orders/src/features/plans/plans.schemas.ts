import { Type, type Static } from '@sinclair/typebox';
import { KgIn, KgOut } from '@tributary/contracts';
import { PageQuery } from '@tributary/platform/core';

export { KgIn, KgOut };

const Text = (description?: string) => Type.String({ maxLength: 500, ...(description ? { description } : {}) });
export const DateText = Type.String({ description: 'YYYY-MM-DD', examples: ['2026-03-01'] });

/** One Excel row, as the Admin-Panel sends it (every cell as text). */
export const PlanRawRow = Type.Object(
  {
    order_code: Type.String({ minLength: 1, maxLength: 100 }),
    product_name: Type.String({ minLength: 1, maxLength: 500 }),
    requirement: KgIn,
    plan_start: DateText,
    plan_end: DateText,
    lot_code: Type.Optional(Text()),
    item_code: Type.Optional(Text('material item code; a blend code BLT/BTL/FLT + 5 digits inside it becomes the plan item_code')),
    production_date: Type.Optional(Text()),
    stock: Type.Optional(Type.Union([Text(), Type.Number()])),
    location: Type.Optional(Text()),
    product_code: Type.Optional(Text()),
    item_name: Type.Optional(Text()),
    sub_location: Type.Optional(Text()),
  },
  { additionalProperties: false, title: 'PlanRawRow' },
);
export type PlanRawRow = Static<typeof PlanRawRow>;

export const PlanUploadBody = Type.Array(PlanRawRow, { minItems: 1 });

export const PlanOut = Type.Object(
  {
    order_code: Type.String(),
    product_name: Type.String(),
    item_code: Type.String(),
    requirement: KgOut,
    plan_start: DateText,
    plan_end: DateText,
  },
  { title: 'Plan' },
);
export type PlanOut = Static<typeof PlanOut>;

export const PlanWithRequests = Type.Object(
  {
    ...PlanOut.properties,
    allowed: Type.String({
      description:
        'kg still requestable: requirement − Σ shipments not awaiting or refused approval (negative after approved special requests)',
    }),
    requests: Type.Array(
      Type.Object({ request_code: Type.Integer(), shipment_code: Type.Integer(), quantity: KgOut, status: Type.String() }),
    ),
  },
  { title: 'PlanWithRequests' },
);
export type PlanWithRequests = Static<typeof PlanWithRequests>;

export const PlanListQuery = Type.Object({
  current_date: Type.Optional(Type.String({ description: 'Accepted for compatibility; every plan is returned (as in the original)' })),
  order_code: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  ...PageQuery.properties,
});
export type PlanListQuery = Static<typeof PlanListQuery>;

export const PlanDeleteQuery = Type.Object({ order_code: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export const SuccessOut = Type.Object({ success: Type.Boolean() });
