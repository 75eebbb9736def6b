import { Type, type Static } from '@sinclair/typebox';

/**
 * Events the ERP extensions service publishes through its outbox (`GET /internal/outbox`).
 * Quantities and money are decimal strings; calendar days are 'YYYY-MM-DD' in the plant's
 * time zone; instants are ISO strings.
 */
export const ERP_AGGREGATES = {
  customer: 'customer',
  item: 'item',
  warehouse: 'warehouse',
  segment: 'customer_segment',
  batch: 'batch',
  stockTransfer: 'stock_transfer',
  itemWarehouse: 'item_warehouse',
  pricingRule: 'pricing_rule',
  pricingQuote: 'pricing_quote',
  order: 'order',
} as const;

export const ERP_EVENT_TYPES = {
  customerCreated: 'erp.customer.created',
  customerUpdated: 'erp.customer.updated',
  itemCreated: 'erp.item.created',
  itemUpdated: 'erp.item.updated',
  warehouseCreated: 'erp.warehouse.created',
  warehouseUpdated: 'erp.warehouse.updated',
  segmentCreated: 'erp.segment.created',
  segmentUpdated: 'erp.segment.updated',
  segmentAssigned: 'erp.customer.segment_assigned',
  segmentEnded: 'erp.customer.segment_ended',
  territoryMapped: 'erp.customer.territory_mapped',
  territoryEnded: 'erp.customer.territory_ended',
  metricsUpdated: 'erp.customer.metrics_updated',
  batchReceived: 'erp.batch.received',
  batchConsumed: 'erp.batch.consumed',
  batchTransferred: 'erp.batch.transferred',
  batchAdjusted: 'erp.batch.adjusted',
  movementReversed: 'erp.batch.movement_reversed',
  batchStatusChanged: 'erp.batch.status_changed',
  batchExpiring: 'erp.batch.expiring',
  optimisationUpdated: 'erp.stock.optimisation_updated',
  pricingRuleCreated: 'erp.pricing_rule.created',
  pricingRuleUpdated: 'erp.pricing_rule.updated',
  pricingRuleDeactivated: 'erp.pricing_rule.deactivated',
  pricingApplied: 'erp.pricing.applied',
  orderProcessed: 'erp.order.processed',
  orderCancelled: 'erp.order.cancelled',
  stockLow: 'erp.stock.low',
  procurementRequested: 'erp.procurement.requested',
} as const;
export type ErpEventType = (typeof ERP_EVENT_TYPES)[keyof typeof ERP_EVENT_TYPES];

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

/** `erp.customer.segment_assigned` (aggregate: the customer). */
export const SegmentAssignedPayload = Type.Object({
  name: Type.String(),
  customer: Type.String(),
  customer_segment: Type.String(),
  segment_code: Type.String(),
  effective_from: Type.String(),
  effective_to: Nullable(Type.String()),
  is_primary: Type.Boolean(),
  assignment_type: Type.String(),
  status: Type.String(),
  supersedes: Nullable(Type.String()),
});
export type SegmentAssignedPayload = Static<typeof SegmentAssignedPayload>;

/** One ledger movement as erp records it: its batch events carry it and its stock routes answer with it. */
export const MovementRecord = Type.Object({
  name: Type.String(),
  batch: Type.String(),
  seq: Type.Integer(),
  movement_type: Type.String(),
  qty_before: Type.String(),
  qty_change: Type.String(),
  qty_after: Type.String(),
});

/** `erp.batch.consumed` (aggregate: the batch), one per batch a consumption drew from. */
export const BatchConsumedPayload = Type.Object({
  movement: MovementRecord,
  item: Type.String(),
  warehouse: Type.String(),
  reference_doctype: Nullable(Type.String()),
  reference_name: Nullable(Type.String()),
});
export type BatchConsumedPayload = Static<typeof BatchConsumedPayload>;

/** `erp.batch.expiring` (aggregate: the batch), once per alert-level change. */
export const BatchExpiringPayload = Type.Object({
  name: Type.String(),
  item: Type.String(),
  warehouse: Type.String(),
  expiry_date: Type.String(),
  days_to_expiry: Type.Integer(),
  alert_level: Type.Union([Type.Literal('Expired'), Type.Literal('Critical'), Type.Literal('Warning'), Type.Literal('Normal')]),
  available_qty: Type.String(),
  potential_loss_value: Type.String(),
  status: Type.String(),
});
export type BatchExpiringPayload = Static<typeof BatchExpiringPayload>;

/** `erp.pricing.applied` (aggregate: the priced document), after a logged calculation. */
export const PricingAppliedPayload = Type.Object({
  applied_on_doctype: Type.String(),
  applied_on_name: Type.String(),
  customer: Nullable(Type.String()),
  totalBeforeDiscount: Type.String(),
  totalDiscount: Type.String(),
  totalAfterDiscount: Type.String(),
  rules: Type.Array(Type.String()),
  coupons_applied: Type.Array(Type.String()),
});
export type PricingAppliedPayload = Static<typeof PricingAppliedPayload>;

const Reserved = Type.Object({ batch: Type.String(), qty: Type.String(), expiry_date: Type.String() });

/** `erp.order.processed` (aggregate: the order): stock reserved and every line priced, in one transaction. */
export const OrderProcessedPayload = Type.Object({
  order: Type.String(),
  customer: Type.String(),
  customer_segment: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  lines: Type.Array(
    Type.Object({
      line: Type.Integer(),
      item_code: Type.String(),
      warehouse: Type.String(),
      qty: Type.String(),
      final_amount: Type.String(),
      reservations: Type.Array(Reserved),
    }),
  ),
  totalBeforeDiscount: Type.String(),
  totalDiscount: Type.String(),
  totalAfterDiscount: Type.String(),
});
export type OrderProcessedPayload = Static<typeof OrderProcessedPayload>;

/** `erp.order.cancelled` (aggregate: the order): every reservation released back to its batch. */
export const OrderCancelledPayload = Type.Object({
  order: Type.String(),
  customer: Type.String(),
  reason: Nullable(Type.String()),
  released: Type.Array(Reserved),
});
export type OrderCancelledPayload = Static<typeof OrderCancelledPayload>;

/** `erp.stock.low` (aggregate: item and warehouse), once each time the balance falls to or below the reorder level. */
export const StockLowPayload = Type.Object({
  item_code: Type.String(),
  warehouse: Type.String(),
  actual_qty: Type.String(),
  reorder_level: Type.String(),
  safety_stock: Type.String(),
  crossed_at: Type.String(),
});
export type StockLowPayload = Static<typeof StockLowPayload>;

/** `erp.procurement.requested` (aggregate: item and warehouse), with the stock.low it follows. */
export const ProcurementRequestedPayload = Type.Object({
  item_code: Type.String(),
  warehouse: Type.String(),
  suggested_qty: Type.String(),
  actual_qty: Type.String(),
  reorder_level: Type.String(),
  reason: Type.Literal('low_stock'),
});
export type ProcurementRequestedPayload = Static<typeof ProcurementRequestedPayload>;
