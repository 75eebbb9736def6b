import { Type } from '@sinclair/typebox';
import { DecimalString, DocName, IsoDate, NonNegativeDecimal, Nullable, Paging, PositiveDecimal } from '../../shared/schemas.js';
import { BATCH_STATUSES, QUALITY_GRADES } from './batch-rules.js';

const Text140 = Type.String({ minLength: 1, maxLength: 140 });
const Small = Type.String({ pattern: '^-?[0-9]{1,3}(\\.[0-9]{1,2})?$' });
const Strategy = Type.Union([Type.Literal('FEFO'), Type.Literal('FIFO')], { default: 'FEFO' });

export const ReceiveBody = Type.Object(
  {
    batch_id: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' })),
    item: Text140,
    warehouse: Text140,
    qty: PositiveDecimal(),
    manufacturing_date: IsoDate(),
    expiry_date: IsoDate(),
    best_before_date: Type.Optional(IsoDate()),
    quality_grade: Type.Optional(
      Type.Union(
        QUALITY_GRADES.map((g) => Type.Literal(g)),
        { default: 'A' },
      ),
    ),
    supplier: Type.Optional(Text140),
    supplier_batch_id: Type.Optional(Type.String({ maxLength: 100 })),
    production_line: Type.Optional(Type.String({ maxLength: 50 })),
    production_shift: Type.Optional(Type.String({ maxLength: 20 })),
    unit_cost: Type.Optional(NonNegativeDecimal()),
    sugar_content_percentage: Type.Optional(Small),
    fat_content_percentage: Type.Optional(Small),
    moisture_content_percentage: Type.Optional(Small),
    storage_temperature_min: Type.Optional(Small),
    storage_temperature_max: Type.Optional(Small),
    storage_humidity_max: Type.Optional(Small),
    quality_tested: Type.Optional(Type.Boolean()),
    quality_test_date: Type.Optional(IsoDate()),
    quality_notes: Type.Optional(Type.String({ maxLength: 5000 })),
    allergen_info: Type.Optional(Type.String({ maxLength: 5000 })),
    nutritional_info: Type.Optional(
      Type.Record(Type.String({ maxLength: 60 }), Type.Union([Type.Number(), Type.String({ maxLength: 200 })])),
    ),
    batch_notes: Type.Optional(Type.String({ maxLength: 5000 })),
    reference_doctype: Type.Optional(Type.String({ maxLength: 100 })),
    reference_name: Type.Optional(Text140),
  },
  { additionalProperties: false },
);

export const PatchBody = Type.Partial(
  Type.Pick(ReceiveBody, [
    'best_before_date',
    'supplier',
    'supplier_batch_id',
    'production_line',
    'production_shift',
    'unit_cost',
    'sugar_content_percentage',
    'fat_content_percentage',
    'moisture_content_percentage',
    'storage_temperature_min',
    'storage_temperature_max',
    'storage_humidity_max',
    'quality_tested',
    'quality_test_date',
    'quality_notes',
    'allergen_info',
    'nutritional_info',
    'batch_notes',
  ]),
  { additionalProperties: false, minProperties: 1 },
);

export const BatchOut = Type.Object({
  name: Type.String(),
  batch_id: Type.String(),
  item: Type.String(),
  item_name: Nullable(Type.String()),
  warehouse: Type.String(),
  manufacturing_date: Type.String(),
  expiry_date: Type.String(),
  best_before_date: Nullable(Type.String()),
  shelf_life_days: Type.Integer(),
  days_to_expiry: Type.Integer(),
  alert_level: Type.String(),
  quality_grade: Type.String(),
  status: Type.String({ description: 'effective status: a stored Active/Quarantine batch past expiry reads Expired' }),
  stored_status: Type.String(),
  total_qty: Type.String(),
  available_qty: Type.String(),
  sold_qty: Type.String(),
  unit_cost: Type.String(),
  supplier: Nullable(Type.String()),
  supplier_batch_id: Nullable(Type.String()),
  production_line: Nullable(Type.String()),
  production_shift: Nullable(Type.String()),
  sugar_content_percentage: Nullable(Type.String()),
  fat_content_percentage: Nullable(Type.String()),
  moisture_content_percentage: Nullable(Type.String()),
  storage_temperature_min: Nullable(Type.String()),
  storage_temperature_max: Nullable(Type.String()),
  storage_humidity_max: Nullable(Type.String()),
  quality_tested: Type.Boolean(),
  quality_test_date: Nullable(Type.String()),
  quality_notes: Nullable(Type.String()),
  allergen_info: Nullable(Type.String()),
  nutritional_info: Type.Unknown(),
  batch_notes: Nullable(Type.String()),
  source_batch: Nullable(Type.String()),
  creation: Type.String(),
  modified: Type.String(),
});

export const BatchListQuery = Type.Object({
  ...Paging,
  item: Type.Optional(Text140),
  warehouse: Type.Optional(Text140),
  status: Type.Optional(Type.Union(BATCH_STATUSES.map((s) => Type.Literal(s)))),
  quality_grade: Type.Optional(Type.String({ maxLength: 20 })),
  expiring_within_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
});

export const MovementOut = Type.Object({
  name: Type.String(),
  batch: Type.String(),
  seq: Type.Integer(),
  movement_type: Type.String(),
  movement_date: Type.String(),
  qty_before: Type.String(),
  qty_change: Type.String(),
  qty_after: Type.String(),
  reference_doctype: Nullable(Type.String()),
  reference_name: Nullable(Type.String()),
  from_warehouse: Nullable(Type.String()),
  to_warehouse: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  operator: Nullable(Type.String()),
  reverses_movement: Nullable(Type.String()),
});

export const StatusBody = Type.Object(
  {
    status: Type.Union(['Active', 'Quarantine', 'Rejected', 'Recalled', 'Damaged'].map((s) => Type.Literal(s))),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export const QtyBody = Type.Object(
  {
    qty: PositiveDecimal(),
    reason: Type.Optional(Type.String({ maxLength: 200 })),
    reference_doctype: Type.Optional(Type.String({ maxLength: 100 })),
    reference_name: Type.Optional(Text140),
  },
  { additionalProperties: false },
);
export const AdjustBody = Type.Object(
  {
    qty_change: DecimalString({ description: 'signed; negative writes stock off' }),
    reason: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export const TransferBody = Type.Object(
  { to_warehouse: Text140, qty: PositiveDecimal(), reason: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);
export const ReverseBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

const PickLine = Type.Object(
  {
    item: Text140,
    warehouse: Text140,
    qty: PositiveDecimal(),
    batches: Type.Optional(Type.Array(DocName(), { minItems: 1, maxItems: 100, description: 'restrict to these batches' })),
  },
  { additionalProperties: false },
);
export const PickBody = Type.Object(
  {
    lines: Type.Array(PickLine, { minItems: 1, maxItems: 500 }),
    strategy: Type.Optional(Strategy),
    min_shelf_life_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  },
  { additionalProperties: false },
);
export const ConsumeBody = Type.Composite(
  [
    PickBody,
    Type.Object({
      reference_doctype: Type.Optional(Type.String({ maxLength: 100 })),
      reference_name: Type.Optional(Text140),
      allow_partial: Type.Optional(Type.Boolean({ default: false, description: 'consume what is there instead of refusing a shortage' })),
    }),
  ],
  { additionalProperties: false },
);

const AllocationOut = Type.Object({
  batch: Type.String(),
  qty: Type.String(),
  expiry_date: Type.String(),
  manufacturing_date: Type.String(),
  available_before: Type.String(),
});
export const PickLineOut = Type.Object({
  line: Type.Integer(),
  item: Type.String(),
  warehouse: Type.String(),
  requested: Type.String(),
  allocations: Type.Array(AllocationOut),
  total_allocated: Type.String(),
  shortage: Type.String(),
});
export const PickOut = Type.Object({ strategy: Type.String(), lines: Type.Array(PickLineOut), fully_allocated: Type.Boolean() });
export const ConsumeOut = Type.Composite([
  PickOut,
  Type.Object({
    movements: Type.Array(Type.Object({ name: Type.String(), batch: Type.String(), qty_change: Type.String(), qty_after: Type.String() })),
  }),
]);

export const ExpiringQuery = Type.Object({
  within_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650, description: 'default: the warning threshold' })),
  item: Type.Optional(Text140),
  warehouse: Type.Optional(Text140),
  critical_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
  warning_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
});
export const ExpiringOut = Type.Object({
  name: Type.String(),
  item: Type.String(),
  warehouse: Type.String(),
  expiry_date: Type.String(),
  days_to_expiry: Type.Integer(),
  alert_level: Type.String(),
  available_qty: Type.String(),
  potential_loss_value: Type.String(),
  status: Type.String(),
});

export const OptimiseBody = Type.Object(
  {
    item: Text140,
    warehouse: Text140,
    lookback_days: Type.Optional(
      Type.Integer({ minimum: 7, maximum: 730, description: 'days of history; 90 (or the stored value) when omitted' }),
    ),
    lead_time_days: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
    service_level_target: Type.Optional(Type.String({ pattern: '^(50|[5-9][0-9])(\\.[0-9]{1,2})?$', description: 'percent, 50–99.99' })),
    ordering_cost: Type.Optional(NonNegativeDecimal()),
    holding_cost_percentage: Type.Optional(NonNegativeDecimal()),
    seasonal_factor: Type.Optional(PositiveDecimal()),
  },
  { additionalProperties: false },
);
export const OptimisationOut = Type.Object({
  name: Type.String(),
  item_code: Type.String(),
  warehouse: Type.String(),
  lookback_days: Type.Integer(),
  lead_time_days: Type.Integer(),
  avg_daily_consumption: Type.String(),
  demand_std_dev: Type.String(),
  seasonal_factor: Type.String(),
  service_level_target: Type.String(),
  z: Type.String(),
  safety_stock: Type.String(),
  reorder_level: Type.String(),
  reorder_qty: Type.String(),
  max_stock_level: Type.String(),
  reorder_qty_method: Type.String(),
  computed_at: Nullable(Type.String()),
});
