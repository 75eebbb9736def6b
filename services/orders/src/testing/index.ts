/**
 * Fixtures for code that drives orders from outside in tests and rigs (its own tests, the CLI's
 * reconcile rig), so a plan row's shape is written once, next to the service that accepts it.
 */

/** One row of an MTP production plan upload (`POST /order/plan`); overrides replace its fields. */
export const PLAN_ROW = (overrides: Record<string, unknown> = {}) => ({
  lot_code: 'L1',
  order_code: 'ORD-1',
  item_code: 'TEA-BLT00042-X',
  production_date: '2026-03-01',
  stock: '0',
  requirement: '1000',
  location: 'GP',
  product_code: 'P1',
  product_name: 'Breakfast blend',
  item_name: 'Blend',
  sub_location: 'A',
  plan_start: '2026-03-01',
  plan_end: '2026-03-31',
  ...overrides,
});
