/** The original service's four sync queues; every captured entity type falls in one or none. */
export const ENTITY_KINDS = ['customer', 'inventory', 'order', 'pricing'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** The queue names the original clients read in `GET /api/sync/status`. */
export const QUEUE_OF: Record<EntityKind, string> = {
  customer: 'customer-sync',
  inventory: 'inventory-sync',
  order: 'order-sync',
  pricing: 'pricing-sync',
};

/**
 * Which queue an entity type belongs to, from the names every source uses: Tributary's
 * aggregate types (`batch`, `stock_transfer`, `pricing_rule`, `shipment`, …), ERPNext doctypes
 * (`Stock Entry`, `Item Price`, `Sales Order`, …), EspoCRM entities and Medusa objects. Pricing
 * is tested before the others because `Item Price` and `pricing_quote` also look like items
 * and orders.
 */
export function entityKindOf(entityType: string): EntityKind | undefined {
  const type = entityType.toLowerCase().replace(/[^a-z0-9]+/g, '_');
  if (/(pric|discount)/.test(type)) return 'pricing';
  if (/^(customer|account|contact)/.test(type)) return 'customer';
  if (/(order|shipment|delivery_note|opportunity|quote|invoice)/.test(type)) return 'order';
  if (/(batch|stock|item|product|bag|lot|inventory|warehouse|bin|blend)/.test(type)) return 'inventory';
  return undefined;
}
