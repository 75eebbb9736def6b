import { Type } from '@sinclair/typebox';
import { DocName, IsoDate, NonNegativeDecimal, Nullable, Paging } from '../../shared/schemas.js';

export const SEGMENT_TYPES = [
  'geographic',
  'demographic',
  'behavioral',
  'psychographic',
  'seasonal',
  'volume_based',
  'value_based',
  'loyalty_based',
  'custom',
] as const;
export const ASSIGNMENT_TYPES = ['Manual', 'Auto', 'Upgraded', 'Downgraded'] as const;

const Text140 = Type.String({ minLength: 1, maxLength: 140 });
const Percent = Type.String({ pattern: '^(100(\\.0{1,3})?|[0-9]{1,2}(\\.[0-9]{1,3})?)$', description: '0–100, up to 3 decimals' });
const Multiplier = Type.String({ pattern: '^[0-9]{1,4}(\\.[0-9]{1,3})?$' });

export const SegmentFields = Type.Object({
  segment_code: Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9_-]+$' }),
  segment_name: Type.String({ minLength: 1, maxLength: 100 }),
  segment_description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
  segment_type: Type.Union(SEGMENT_TYPES.map((t) => Type.Literal(t))),
  priority_level: Type.Optional(Type.Integer({ minimum: 1, maximum: 9, description: '1 = highest priority' })),
  is_active: Type.Optional(Type.Boolean()),
  default_price_list: Type.Optional(Nullable(Text140)),
  discount_percentage: Type.Optional(Percent),
  minimum_order_amount: Type.Optional(NonNegativeDecimal()),
  credit_limit_multiplier: Type.Optional(Multiplier),
  payment_terms: Type.Optional(Nullable(Text140)),
  territory: Type.Optional(Nullable(Text140)),
  customer_group: Type.Optional(Nullable(Text140)),
  special_pricing_enabled: Type.Optional(Type.Boolean()),
  min_annual_purchase: Type.Optional(Nullable(NonNegativeDecimal())),
  auto_assignment_enabled: Type.Optional(Type.Boolean()),
  auto_assignment_rules: Type.Optional(
    Nullable(Type.Unknown({ description: '{"conditions":[{"field","operator","value"}],"logic":"AND"|"OR"}' })),
  ),
  escalation_segment: Type.Optional(Nullable(Text140)),
  demotion_segment: Type.Optional(Nullable(Text140)),
  review_frequency_days: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 3650 }))),
  segment_notes: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
});

export const SegmentCreate = Type.Composite([Type.Object({ name: Type.Optional(DocName()) }), SegmentFields], {
  additionalProperties: false,
});
export const SegmentPatch = Type.Partial(Type.Omit(SegmentFields, ['segment_code']), { additionalProperties: false, minProperties: 1 });

export const SegmentOut = Type.Object({
  name: Type.String(),
  segment_code: Type.String(),
  segment_name: Type.String(),
  segment_description: Nullable(Type.String()),
  segment_type: Type.String(),
  priority_level: Type.Integer(),
  is_active: Type.Boolean(),
  default_price_list: Nullable(Type.String()),
  discount_percentage: Type.String(),
  minimum_order_amount: Type.String(),
  credit_limit_multiplier: Type.String(),
  payment_terms: Nullable(Type.String()),
  territory: Nullable(Type.String()),
  customer_group: Nullable(Type.String()),
  special_pricing_enabled: Type.Boolean(),
  min_annual_purchase: Nullable(Type.String()),
  auto_assignment_enabled: Type.Boolean(),
  auto_assignment_rules: Type.Unknown(),
  escalation_segment: Nullable(Type.String()),
  demotion_segment: Nullable(Type.String()),
  review_frequency_days: Nullable(Type.Integer()),
  segment_notes: Nullable(Type.String()),
  creation: Type.String(),
  modified: Type.String(),
});

export const SegmentListQuery = Type.Object({
  ...Paging,
  segment_type: Type.Optional(Type.String({ maxLength: 30 })),
  is_active: Type.Optional(Type.Boolean()),
});

export const AssignBody = Type.Object(
  {
    segment: Type.String({ minLength: 1, maxLength: 140, description: 'segment name or code' }),
    is_primary: Type.Optional(Type.Boolean({ default: false })),
    assignment_date: Type.Optional(IsoDate({ description: 'defaults to today in the plant zone' })),
    effective_from: Type.Optional(IsoDate({ description: 'first day in force; defaults to assignment_date' })),
    effective_to: Type.Optional(Nullable(IsoDate({ description: 'first day no longer in force (exclusive); null = open-ended' }))),
    assignment_type: Type.Optional(Type.Union(ASSIGNMENT_TYPES.map((t) => Type.Literal(t)))),
    assignment_reason: Type.Optional(Type.String({ maxLength: 200 })),
    assignment_notes: Type.Optional(Type.String({ maxLength: 5000 })),
    replace_current: Type.Optional(
      Type.Boolean({
        default: false,
        description: 'end the open-ended primary in force before effective_from at effective_from instead of refusing',
      }),
    ),
  },
  { additionalProperties: false },
);

export const EndBody = Type.Object(
  {
    effective_to: Type.Optional(IsoDate({ description: 'exclusive end; defaults to today' })),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const AssignmentOut = Type.Object({
  name: Type.String(),
  customer: Type.String(),
  customer_segment: Type.String(),
  segment_code: Type.String(),
  assignment_date: Type.String(),
  effective_from: Type.String(),
  effective_to: Nullable(Type.String()),
  is_primary: Type.Boolean(),
  assignment_type: Type.String(),
  assignment_reason: Nullable(Type.String()),
  assigned_by: Nullable(Type.String()),
  status: Type.String(),
  review_date: Nullable(Type.String()),
  discount_percentage_applied: Nullable(Type.String()),
  credit_limit_at_assignment: Nullable(Type.String()),
  superseded_by: Nullable(Type.String()),
  creation: Type.String(),
});

export const AssignmentListQuery = Type.Object({
  as_of: Type.Optional(IsoDate({ description: 'only assignments in force on this date' })),
  primary_only: Type.Optional(Type.Boolean()),
});

export const TerritoryBody = Type.Object(
  {
    territory: Text140,
    is_primary: Type.Optional(Type.Boolean()),
    effective_from: Type.Optional(IsoDate()),
    effective_to: Type.Optional(Nullable(IsoDate())),
    mapping_reason: Type.Optional(Type.String({ maxLength: 200 })),
    delivery_preference: Type.Optional(Type.String({ maxLength: 50 })),
    sales_person: Type.Optional(Text140),
    delivery_cost_factor: Type.Optional(Multiplier),
    service_level: Type.Optional(Type.Union([Type.Literal('Standard'), Type.Literal('Premium'), Type.Literal('Express')])),
  },
  { additionalProperties: false },
);

export const TerritoryOut = Type.Object({
  name: Type.String(),
  customer: Type.String(),
  territory: Type.String(),
  is_primary: Type.Boolean(),
  effective_from: Type.String(),
  effective_to: Nullable(Type.String()),
  mapping_reason: Nullable(Type.String()),
  delivery_preference: Nullable(Type.String()),
  sales_person: Nullable(Type.String()),
  delivery_cost_factor: Type.String(),
  service_level: Nullable(Type.String()),
});

export const MetricsBody = Type.Object(
  {
    annual_purchase: NonNegativeDecimal(),
    total_orders: Type.Integer({ minimum: 0 }),
    last_order_date: Type.Optional(Nullable(IsoDate())),
  },
  { additionalProperties: false },
);

export const ReviewBody = Type.Object(
  {
    customer: Type.Optional(Text140),
    due_only: Type.Optional(Type.Boolean({ default: true, description: 'only assignments whose review_date has come' })),
  },
  { additionalProperties: false },
);
