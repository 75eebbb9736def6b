import { Type, type Static } from '@sinclair/typebox';
import { TRADER_STATUSES } from './processing-api.js';

/**
 * Events the orders service (the MTP order manager) publishes through its outbox, and the
 * events it consumes on `POST /internal/events`.
 *
 * Shared identifiers are the MTP ones: `requestCode` (order_request.request_code, a bigint
 * sent as a decimal string), `shipmentCode` (integer, numbered per request from 1),
 * `scheduleCode` (bigint as a decimal string), `orderCode` (plan code). Quantities are kg as
 * decimal strings with at most three places (the service stores grams). Times are epoch ms.
 */

/** Every outbox aggregate of the orders service. Events of one request are ordered by request. */
export const ORDERS_AGGREGATES = {
  request: 'order_request',
  schedule: 'order_schedule',
  plan: 'order_plan',
  user: 'admin_user',
} as const;

export const ORDERS_EVENT_TYPES = {
  planUpserted: 'orders.plan.upserted',
  planDeleted: 'orders.plan.deleted',
  requestCreated: 'orders.request.created',
  shipmentQuantityChanged: 'orders.shipment.quantity_changed',
  shipmentEventAdded: 'orders.shipment.event_added',
  scheduleCreated: 'orders.schedule.created',
  scheduleCompleted: 'orders.schedule.completed',
  userCreated: 'orders.user.created',
  userDeleted: 'orders.user.deleted',
} as const;

/** Shipment workflow statuses (order_shipment_event.status). */
export const SHIPMENT_STATUSES = [
  'APPROVAL_REQUESTED',
  'APPROVAL_ALLOWED',
  'APPROVAL_BLOCKED',
  'ORDER_REQUESTED',
  'ORDER_READY',
  'ORDER_NOT_READY',
  'TRADER_BLOCKED',
  'SHIPMENT_DISPATCHED',
  'SHIPMENT_ACCEPTED',
] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

const Kg = Type.String({ pattern: '^-?[0-9]+(\\.[0-9]{1,3})?$', description: 'kilograms, decimal string' });
const Code = Type.String({ pattern: '^[0-9]{1,19}$' });

export const PlanUpsertedPayload = Type.Object({
  orderCode: Type.String(),
  productName: Type.String(),
  itemCode: Type.String(),
  requirementKg: Kg,
  planStart: Type.String({ format: 'date' }),
  planEnd: Type.String({ format: 'date' }),
});
export type PlanUpsertedPayload = Static<typeof PlanUpsertedPayload>;

export const PlanDeletedPayload = Type.Object({ orderCode: Type.String() });
export type PlanDeletedPayload = Static<typeof PlanDeletedPayload>;

export const RequestCreatedPayload = Type.Object({
  requestCode: Code,
  orderCode: Type.String(),
  productName: Type.String(),
  requirementKg: Kg,
  comments: Type.Union([Type.String(), Type.Null()]),
  /** Shipment 1, created with the request, carrying the whole requirement. */
  shipmentCode: Type.Integer(),
  quantityKg: Kg,
  status: Type.Union([Type.Literal('APPROVAL_REQUESTED'), Type.Literal('ORDER_REQUESTED')]),
  eventTs: Type.Number(),
});
export type RequestCreatedPayload = Static<typeof RequestCreatedPayload>;

export const ShipmentQuantityChangedPayload = Type.Object({
  requestCode: Code,
  shipmentCode: Type.Integer(),
  previousQuantityKg: Kg,
  quantityKg: Kg,
  /** The new shipment holding the remainder (previous − quantity), with the copied status. */
  splitInto: Type.Object({ shipmentCode: Type.Integer(), quantityKg: Kg, status: Type.String() }),
});
export type ShipmentQuantityChangedPayload = Static<typeof ShipmentQuantityChangedPayload>;

export const ShipmentEventAddedPayload = Type.Object({
  requestCode: Code,
  shipmentCode: Type.Integer(),
  status: Type.String(),
  previousStatus: Type.String(),
  eventTs: Type.Number(),
  shipmentVehicle: Type.Union([Type.String(), Type.Null()]),
  orderRemarks: Type.Union([Type.String(), Type.Null()]),
  shipmentRemarks: Type.Union([Type.String(), Type.Null()]),
  /** True for a status the service added by rule (APPROVAL_ALLOWED → ORDER_REQUESTED). */
  automatic: Type.Boolean(),
  actor: Type.Union([Type.String(), Type.Null()]),
});
export type ShipmentEventAddedPayload = Static<typeof ShipmentEventAddedPayload>;

export const ScheduleCreatedPayload = Type.Object({
  scheduleCode: Code,
  scheduleDate: Type.String({ format: 'date' }),
  orderCode: Type.String(),
  shift: Type.String(),
  section: Type.String(),
  quantityKg: Kg,
});
export type ScheduleCreatedPayload = Static<typeof ScheduleCreatedPayload>;

export const ScheduleCompletedPayload = Type.Object({
  scheduleCode: Code,
  orderCode: Type.String(),
  completedAt: Type.Number(),
});
export type ScheduleCompletedPayload = Static<typeof ScheduleCompletedPayload>;

export const UserChangedPayload = Type.Object({ sub: Type.String(), username: Type.String(), group: Type.String() });
export type UserChangedPayload = Static<typeof UserChangedPayload>;

// ---------------------------------------------------------------------------------------
// Consumed by orders: processing's allocation changes, delivered on POST /internal/events.
// ---------------------------------------------------------------------------------------

export const ALLOCATION_CHANGED = 'allocation.changed';

/**
 * What processing publishes whenever the amount of a bag allocated to a shipment changes
 * (a `*_allocate_shipment` row inserted, changed or removed). Orders keeps Σ per shipment as
 * `order_shipment.allocated`. The envelope's `id` must be stable per change (orders applies
 * each id once); `aggregateId` should be `<requestCode>/<shipmentCode>` so deliveries for one
 * shipment stay ordered. `allocatedKgDelta` is signed: positive when kg were allocated,
 * negative when an allocation shrank or was removed.
 */
export const AllocationChangedPayload = Type.Object({
  requestCode: Code,
  shipmentCode: Type.Integer({ minimum: 1 }),
  barcode: Type.String({ minLength: 1, maxLength: 64 }),
  /** Record table of the bag: tealine, blendsheet, flavorsheet… */
  table: Type.String({ minLength: 1, maxLength: 40 }),
  allocatedKgDelta: Kg,
});
export type AllocationChangedPayload = Static<typeof AllocationChangedPayload>;

/**
 * What processing publishes on every trader decision about a blend batch (request, elevate,
 * allow, block; reference §4.2). Orders records TRADER_BLOCKED on the shipments still waiting
 * for that blend (`order_plan.item_code` = `blend_code`) when `to` is TRADER_BLOCKED; the other
 * moves have no shipment status (ADR 0601). Keys are snake_case: the event predates this contract.
 * `aggregateId` is `<item_code>/<created_ts>`, so one batch's decisions arrive in order.
 */
export const BATCH_TRADER_STATUS_CHANGED = 'processing.batch.trader_status_changed';

const TraderStatusLiteral = Type.Union(TRADER_STATUSES.map((s) => Type.Literal(s)));

export const BatchTraderStatusChangedPayload = Type.Object({
  item_code: Type.String({ minLength: 1, maxLength: 200 }),
  created_ts: Type.Integer({ minimum: 0 }),
  /** Optional: events written before this contract (the QC step's TRADER_PENDING) lack both. */
  blendsheet_no: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** The blendsheet's blend code; null or absent when unknown (no shipment can be matched then). */
  blend_code: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])),
  from: Type.Union([TraderStatusLiteral, Type.Null()]),
  to: TraderStatusLiteral,
  /** The deciding user, or null when a service acted. */
  actor: Type.Union([Type.String(), Type.Null()]),
});
export type BatchTraderStatusChangedPayload = Static<typeof BatchTraderStatusChangedPayload>;
