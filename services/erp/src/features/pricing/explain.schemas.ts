import { Type } from '@sinclair/typebox';
import { Nullable, Paging } from '../../shared/schemas.js';
import { CalculateBody, CalculateOut } from './pricing.schemas.js';

export const ExplainBody = Type.Composite(
  [
    Type.Pick(CalculateBody, ['customer', 'at', 'date', 'price_list', 'coupon_codes', 'items', 'currency', 'rule_selection']),
    Type.Object({
      segment: Type.Optional(
        Type.String({
          minLength: 1,
          maxLength: 140,
          description: 'price as a customer of this segment (name or code) instead of a named customer',
        }),
      ),
    }),
  ],
  { additionalProperties: false },
);

const CheckOut = Type.Object({ check: Type.String(), passed: Type.Boolean(), detail: Type.String() });
const TraceOut = Type.Object({
  rule: Type.String(),
  rule_code: Type.String(),
  rule_name: Type.String(),
  priority: Type.Integer(),
  stacking: Type.String(),
  outcome: Type.Union(['applied', 'skipped', 'matched, no effect', 'not matched'].map((value) => Type.Literal(value))),
  reason: Type.String(),
  checks: Type.Array(CheckOut),
});

export const ExplainOut = Type.Object({
  at: Type.String(),
  plant_time: CalculateOut.properties.plant_time,
  customer: Nullable(Type.String()),
  known_customer: Type.Boolean(),
  segment: Nullable(Type.String()),
  customer_segments: Type.Array(Type.String()),
  lines: Type.Array(
    Type.Composite([
      CalculateOut.properties.pricing.items,
      Type.Object({
        winner: Nullable(Type.String({ description: 'the rule that applied first (highest precedence), if any' })),
        rules: Type.Array(TraceOut, { description: 'every active rule in precedence order, with its outcome and conditions' }),
      }),
    ]),
  ),
  totalBeforeDiscount: Type.String(),
  totalDiscount: Type.String(),
  totalAfterDiscount: Type.String(),
});

export const ApplicationQuery = Type.Object({
  ...Paging,
  rule: Type.Optional(Type.String({ minLength: 1, maxLength: 140, description: 'the rule (name or code)' })),
  customer: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
});

export const ApplicationOut = Type.Object({
  name: Type.String(),
  pricing_rule: Type.String(),
  rule_code: Nullable(Type.String()),
  applied_on_doctype: Type.String(),
  applied_on_name: Type.String(),
  application_date: Type.String(),
  customer: Nullable(Type.String()),
  item_code: Nullable(Type.String()),
  line_no: Type.Integer(),
  qty: Type.String(),
  original_rate: Type.String(),
  rate: Type.String(),
  discount_amount: Type.String(),
  total_amount: Type.String(),
  coupon_code: Nullable(Type.String()),
  applied_by: Nullable(Type.String()),
});
