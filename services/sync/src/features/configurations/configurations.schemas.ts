import { Type, type Static } from '@sinclair/typebox';
import { CONFIG_TYPES, RESOLUTION_STRATEGIES, SYNC_DIRECTIONS, SYNC_FREQUENCIES } from '../../db/schema.js';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((value) => Type.Literal(value)));

/** Glob over event names: `*` matches any run of characters (`allocation.*`, `*shipment*`). */
const Pattern = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_.:*/-]+$' });
const FieldPath = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$' });

export const ServiceTarget = Type.Object(
  { kind: Type.Literal('service'), service: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export const WebhookTarget = Type.Object(
  {
    kind: Type.Literal('webhook'),
    /** Null until an operator sets it; a configuration without a URL cannot be active. */
    url: Type.Union([Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }), Type.Null()]),
    /** Signs each delivery by the Standard Webhooks scheme when set: `whsec_<base64>`, or a plain secret used as its UTF-8 bytes. */
    secret: Type.Optional(Type.String({ minLength: 16, maxLength: 200 })),
    headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,100}$' }), Type.String({ maxLength: 1000 }))),
  },
  { additionalProperties: false },
);
export const Target = Type.Union([ServiceTarget, WebhookTarget]);
export type Target = Static<typeof Target>;

export const FIELD_RULE_KINDS = [
  'source',
  'target',
  'latest',
  'higher',
  'lower',
  'sum',
  'earlier',
  'later',
  'stage_priority',
  'union_by_key',
  'manual',
] as const;
export const FieldRule = Type.Object(
  {
    rule: literals(FIELD_RULE_KINDS),
    /** stage_priority: the stages from lowest to highest. */
    stages: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 50 })),
    /** union_by_key: the key of list items, and the date field whose earlier value wins on a clash. */
    key: Type.Optional(FieldPath),
    earlierOf: Type.Optional(FieldPath),
  },
  { additionalProperties: false },
);
export type FieldRule = Static<typeof FieldRule>;

export const ConflictPolicy = Type.Object(
  {
    strategy: literals(RESOLUTION_STRATEGIES),
    /** merge: rule per field; fields without one fall back to `source` (reference). */
    fieldRules: Type.Optional(Type.Record(FieldPath, FieldRule)),
    /** business_rule: the name of a registered rule. */
    rule: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** version mismatches resolve by themselves (source wins) when true. */
    autoResolveVersionMismatch: Type.Optional(Type.Boolean()),
    severity: Type.Optional(literals(['low', 'medium', 'high', 'critical'] as const)),
  },
  { additionalProperties: false },
);
export type ConflictPolicy = Static<typeof ConflictPolicy>;

export const TRANSFORM_OPS = ['set', 'remove', 'rename', 'copy', 'lowercase', 'uppercase', 'trim', 'to_string', 'default'] as const;
export const Transformation = Type.Object(
  {
    op: literals(TRANSFORM_OPS),
    field: FieldPath,
    to: Type.Optional(FieldPath),
    value: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);
export type Transformation = Static<typeof Transformation>;

export const RoutingSpec = Type.Object(
  {
    eventTypes: Type.Array(Pattern, { minItems: 1, maxItems: 100 }),
    aggregateTypes: Type.Optional(Type.Array(Pattern, { maxItems: 100 })),
    target: Target,
    /** source field path → target field path. */
    fieldMappings: Type.Optional(Type.Record(FieldPath, FieldPath)),
    /** rename: mapped fields are renamed, others pass; pick: only mapped fields are sent. */
    mappingMode: Type.Optional(literals(['rename', 'pick'] as const)),
    transformations: Type.Optional(Type.Array(Transformation, { maxItems: 100 })),
    conflict: Type.Optional(ConflictPolicy),
    /** aggregate: event n+1 of an aggregate waits until n reached the target (default). */
    ordering: Type.Optional(literals(['aggregate', 'none'] as const)),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    /** Deliveries in flight to this target per worker process. */
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 512 })),
    backoffFactor: Type.Optional(Type.Number({ minimum: 1, maximum: 10 })),
    /** Cron expression for batch (non real-time) configurations; defaults follow sync_frequency. */
    schedule: Type.Optional(Type.String({ minLength: 9, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type RoutingSpec = Static<typeof RoutingSpec>;

export const ValidationRules = Type.Object(
  { required_fields: Type.Optional(Type.Array(FieldPath, { maxItems: 100 })) },
  { additionalProperties: true },
);
export type ValidationRules = Static<typeof ValidationRules>;

const Name = Type.String({ minLength: 1, maxLength: 150, pattern: '^[A-Za-z0-9_. -]+$' });
const System = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_*.-]+$' });

export const ConfigurationInput = Type.Object(
  {
    config_name: Name,
    config_description: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    config_type: Type.Optional(literals(CONFIG_TYPES)),
    entity_type: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
    source_system: System,
    target_system: System,
    configuration: RoutingSpec,
    validation_rules: Type.Optional(Type.Union([ValidationRules, Type.Null()])),
    sync_direction: Type.Optional(literals(SYNC_DIRECTIONS)),
    sync_frequency: Type.Optional(literals(SYNC_FREQUENCIES)),
    batch_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    error_handling_strategy: Type.Optional(literals(['retry_with_backoff', 'fail_fast'] as const)),
    max_retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    retry_delay_seconds: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ConfigurationInput = Static<typeof ConfigurationInput>;

export const ConfigurationPatch = Type.Partial(ConfigurationInput, { additionalProperties: false });
export type ConfigurationPatch = Static<typeof ConfigurationPatch>;

export const Configuration = Type.Object({
  config_id: Type.String(),
  config_name: Type.String(),
  config_description: Type.Union([Type.String(), Type.Null()]),
  config_type: Type.String(),
  entity_type: Type.Union([Type.String(), Type.Null()]),
  source_system: Type.String(),
  target_system: Type.String(),
  configuration: Type.Unknown(),
  validation_rules: Type.Unknown(),
  sync_direction: Type.String(),
  sync_frequency: Type.Union([Type.String(), Type.Null()]),
  batch_size: Type.Integer(),
  error_handling_strategy: Type.String(),
  max_retries: Type.Integer(),
  retry_delay_seconds: Type.Number(),
  is_active: Type.Boolean(),
  version: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
  created_by: Type.String(),
  updated_by: Type.Union([Type.String(), Type.Null()]),
});
export type Configuration = Static<typeof Configuration>;

/** The reference's cadences: hourly incremental, daily full at 02:00, weekly. */
export const DEFAULT_SCHEDULES: Record<string, string> = {
  hourly: '0 * * * *',
  daily: '0 2 * * *',
  weekly: '0 2 * * 1',
};
