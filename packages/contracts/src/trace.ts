import { Type, type Static } from '@sinclair/typebox';

/**
 * Traceability across processing (lots, bags, batches, allocations, parcels) and orders
 * (shipment workflow, gatepass acceptance, production schedules). Processing assembles the
 * graph (ADR 0203); orders answers one bulk lookup for the shipments and schedules it reached.
 */

const Kg = Type.String({ pattern: '^[0-9]+\\.[0-9]{2}$', description: 'kilograms, exactly two decimals' });
const Utc = Type.String({ format: 'date-time', description: 'UTC, ISO 8601' });
const RequestCode = Type.String({ pattern: '^[0-9]{1,19}$' });
const ScheduleCode = Type.String({ pattern: '^[0-9]{1,19}$' });

export const TRACE_NODE_KINDS = [
  'garden',
  'broker',
  'invoice',
  'lot',
  'bag',
  'batch',
  'shipment',
  'vehicle',
  'parcel',
  'schedule',
] as const;
export type TraceNodeKind = (typeof TRACE_NODE_KINDS)[number];

export const TRACE_RELATIONS = [
  'grew',
  'brokered',
  'invoiced',
  'bagged',
  'ingredient_of',
  'produced',
  'shipped_in',
  'carried_by',
  'parcelled',
  'filled_into',
] as const;
export type TraceRelation = (typeof TRACE_RELATIONS)[number];

export const TraceNode = Type.Object({
  /** Stable id; also accepted as a trace code (`GET /app/trace/:code`). */
  id: Type.String(),
  kind: Type.Union(TRACE_NODE_KINDS.map((k) => Type.Literal(k))),
  label: Type.String(),
  attributes: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
  /** When the thing came to be (received, created, allocated, dispatched); null when unknown. */
  at: Type.Union([Utc, Type.Null()]),
});
export type TraceNode = Static<typeof TraceNode>;

export const TraceEdge = Type.Object({
  from: Type.String(),
  to: Type.String(),
  relation: Type.Union(TRACE_RELATIONS.map((r) => Type.Literal(r))),
  /** Weight that moved along the edge; null for attribution edges (garden, broker, invoice, vehicle). */
  quantityKg: Type.Union([Kg, Type.Null()]),
});
export type TraceEdge = Static<typeof TraceEdge>;

export const TRACE_SOURCE_STATES = ['ok', 'unavailable', 'not_configured'] as const;
export const TraceGraph = Type.Object({
  code: Type.String(),
  /** The node(s) the code named (a lot number can name several lots). */
  roots: Type.Array(Type.String()),
  nodes: Type.Array(TraceNode),
  edges: Type.Array(TraceEdge),
  /** Whether the orders service's details (status, vehicle, gatepass, schedule) are included. */
  sources: Type.Object({ orders: Type.Union(TRACE_SOURCE_STATES.map((s) => Type.Literal(s))) }),
});
export type TraceGraph = Static<typeof TraceGraph>;

// ---- orders' side: one bulk lookup ----

export const TRACE_LOOKUP_PATH = '/internal/trace/lookup';
export const TRACE_LOOKUP_MAX = 5000;

export const TraceLookupRequest = Type.Object({
  shipments: Type.Array(Type.Object({ request_code: RequestCode, shipment_code: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) }), {
    maxItems: TRACE_LOOKUP_MAX,
  }),
  schedules: Type.Array(ScheduleCode, { maxItems: TRACE_LOOKUP_MAX }),
});
export type TraceLookupRequest = Static<typeof TraceLookupRequest>;

export const TraceShipmentDetail = Type.Object({
  request_code: RequestCode,
  shipment_code: Type.Integer(),
  order_code: Type.String(),
  product_name: Type.String(),
  quantity_kg: Type.String(),
  status: Type.String(),
  dispatched_at: Type.Union([Utc, Type.Null()]),
  shipment_vehicle: Type.Union([Type.String(), Type.Null()]),
  accepted_at: Type.Union([Utc, Type.Null()]),
  shipment_remarks: Type.Union([Type.String(), Type.Null()]),
});
export type TraceShipmentDetail = Static<typeof TraceShipmentDetail>;

export const TraceScheduleDetail = Type.Object({
  schedule_code: ScheduleCode,
  schedule_date: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
  order_code: Type.String(),
  shift: Type.String(),
  section: Type.String(),
  quantity_kg: Type.String(),
  completed: Type.Boolean(),
});
export type TraceScheduleDetail = Static<typeof TraceScheduleDetail>;

export const TraceLookupResponse = Type.Object({ shipments: Type.Array(TraceShipmentDetail), schedules: Type.Array(TraceScheduleDetail) });
export type TraceLookupResponse = Static<typeof TraceLookupResponse>;
