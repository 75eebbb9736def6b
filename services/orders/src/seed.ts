import { systemCommandContext } from '@tributary/platform/command';
import type { ServiceContext } from '@tributary/platform/service';
import { readOrdersConfig } from './config.js';
import type { OrdersDatabase } from './db/schema.js';
import type { Command, OrderDeps } from './deps.js';
import { MTP_GROUPS } from './domain.js';
import { noMetrics } from './metrics.js';
import { createOrders } from './features/orders/orders.service.js';
import { uploadPlan } from './features/plans/plans.service.js';
import { createSchedules } from './features/schedules/schedules.service.js';
import { changeQuantities, postEvents } from './features/shipments/shipments.service.js';

export const DEMO_ORDER_CODE = 'DEMO-ORD-0001';

/**
 * Demo data for a first start: one plan, one request whose shipment was made ready and split,
 * one schedule. Idempotent: nothing happens when the demo plan exists.
 */
export async function seed(context: ServiceContext<OrdersDatabase>): Promise<void> {
  const db = context.database.db;
  const existing = await db.selectFrom('order_plan').select('order_code').where('order_code', '=', DEMO_ORDER_CODE).executeTakeFirst();
  if (existing) return;
  // The seed runs the features' own commands, so it builds what those take (no outbox readers to wake yet).
  const deps: OrderDeps = {
    db,
    clock: context.clock,
    config: readOrdersConfig(context.env),
    onEventsCommitted: () => {},
    metrics: noMetrics,
  };
  const command = (): Command => ({
    ...systemCommandContext('seed', context.clock),
    caller: { actor: 'seed', grants: new Set([...MTP_GROUPS, 'SERVICE' as const]) },
  });
  const start = new Date(context.clock.now()).toISOString().slice(0, 10);
  await uploadPlan(deps, command(), [
    {
      row: 1,
      values: {
        order_code: DEMO_ORDER_CODE,
        product_name: 'English Breakfast 100 bags',
        item_code: 'BLT00042',
        requirement: '1200',
        plan_start: start,
        plan_end: start,
        lot_code: 'L-01',
      },
    },
    {
      row: 2,
      values: {
        order_code: DEMO_ORDER_CODE,
        product_name: 'English Breakfast 100 bags',
        item_code: 'BLT00042',
        requirement: '800',
        plan_start: start,
        plan_end: start,
        lot_code: 'L-02',
      },
    },
  ]);
  const [order] = await createOrders(deps, command(), [
    {
      order_code: DEMO_ORDER_CODE,
      product_name: 'English Breakfast 100 bags',
      requirement: '500',
      comments: 'demo request',
      status: 'ORDER_REQUESTED',
    },
  ]);
  const requestCode = order!.request_code;
  await changeQuantities(deps, command(), [{ request_code: requestCode, shipment_code: 1, quantity: '300' }]);
  await postEvents(deps, command(), [{ request_code: requestCode, shipment_code: 1, status: 'ORDER_READY' }]);
  await createSchedules(deps, command(), [
    { schedule_date: start, order_code: DEMO_ORDER_CODE, shift: 'DAY', section: 'Line 1', quantity: '300' },
  ]);
}
