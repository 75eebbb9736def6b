import type { FastifyInstance } from 'fastify';
import { measureTargets, type LoadTarget } from '../src/autocannon.js';
import { databaseParameters, median, post, signedPost, startErp } from '../src/erp.js';
import type { Scenario } from '../src/types.js';

/**
 * ERP order processing (`POST /orders/process`) against what it is built from, in one run:
 *   - baseline: `POST /stock/consume` of the same lines — the same locked FEFO plan and one
 *     ledger movement per batch drawn, without pricing, the order rows or the order event;
 *   - `POST /stock/pick` of the same lines: the plan alone, no lock and no write;
 *   - the order itself: validation, locked FEFO reservations, pricing against the rules with the
 *     application log, the order, its lines and reservations, and the outbox event.
 * Every request of every variant draws from the same batches (hot items), so the locked
 * variants queue on the batch rows as concurrent orders for the same stock do. Batches hold
 * enough stock that no run drains them (a refusal would abort the measurement).
 */
const LINES = 10;
const BATCHES_PER_ITEM = 20;
const RULES = 100;
const WAREHOUSE = 'OP-WH';
const CUSTOMER = 'OP-CUST';

const item = (i: number) => `OP-${String(i).padStart(2, '0')}`;
const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function prepare(erp: FastifyInstance, log: (m: string) => void): Promise<void> {
  await post(erp, '/warehouses', { name: WAREHOUSE, warehouse_name: WAREHOUSE });
  for (let i = 0; i < LINES; i++)
    await post(erp, '/items', { item_code: item(i), item_group: 'Snacks', brand: `B${i % 3}`, standard_rate: '120' });
  await post(erp, '/customers', { name: CUSTOMER, customer_name: 'Bench distributor', customer_group: 'Wholesale', territory: 'T1' });
  await post(erp, '/segments', {
    segment_code: 'OP-WHOLESALE',
    segment_name: 'Bench wholesale',
    segment_type: 'demographic',
    priority_level: 2,
    discount_percentage: '12',
  });
  await post(erp, `/customers/${CUSTOMER}/segments`, { segment: 'OP-WHOLESALE', is_primary: true });
  log(`creating ${RULES} pricing rules and ${LINES * BATCHES_PER_ITEM} batches`);
  for (let r = 0; r < RULES; r++)
    await post(erp, '/pricing/rules', {
      rule_code: `OPR-${r}`,
      rule_name: `bench rule ${r}`,
      rule_type: 'Promotional',
      valid_from: '2020-01-01',
      apply_on: r % 4 === 0 ? 'Brand' : 'Item Code',
      ...(r % 4 === 0 ? { apply_on_value: `B${r % 3}` } : { items: [item(r % (LINES * 3))] }),
      applicable_for: r % 5 === 0 ? 'Customer Group' : 'All Customers',
      ...(r % 5 === 0 ? { applicable_for_value: 'Wholesale' } : {}),
      stacking: r % 2 === 0 ? 'Additive' : 'Compound',
      priority: r % 7,
      discount_percentage: String(1 + (r % 5)),
    });
  for (let i = 0; i < LINES; i++)
    for (let b = 0; b < BATCHES_PER_ITEM; b++)
      await post(erp, '/batches', {
        batch_id: `OPB-${i}-${b}`,
        item: item(i),
        warehouse: WAREHOUSE,
        qty: '100000000',
        manufacturing_date: isoDay(-30),
        // One in five already expired: FEFO must step over them.
        expiry_date: b % 5 === 0 ? isoDay(-1) : isoDay(10 + b),
      });
}

const lines = Array.from({ length: LINES }, (_, i) => ({ qty: String(1 + (i % 3)), i }));
const orderBody = JSON.stringify({
  customer: CUSTOMER,
  items: lines.map(({ qty, i }) => ({ item_code: item(i), qty, warehouse: WAREHOUSE })),
});
const stockBody = JSON.stringify({ lines: lines.map(({ qty, i }) => ({ item: item(i), warehouse: WAREHOUSE, qty })) });

const scenario: Scenario = {
  name: 'order-processing',
  description: `ERP: ${LINES}-line order processed (FEFO reservations + pricing + order rows + event) vs the same locked FEFO consumption without pricing`,
  async run(ctx) {
    const { database, erp } = await startErp(ctx.connections);
    try {
      await prepare(erp, ctx.log);
      const url = await erp.listen({ host: '127.0.0.1', port: 0 });
      const target = (name: string, role: LoadTarget['role'], path: string, body: string): LoadTarget => ({
        name,
        role,
        url: `${url}${path}`,
        method: 'POST',
        body,
        headers: signedPost(url, path, body),
      });
      const variants = await measureTargets(
        [
          target(`FEFO consume ${LINES} lines (locked, ledger, no pricing)`, 'baseline', '/stock/consume', stockBody),
          target(`FEFO pick plan ${LINES} lines (no lock, no write)`, 'subject', '/stock/pick', stockBody),
          target(`process order ${LINES} lines`, 'subject', '/orders/process', orderBody),
        ],
        ctx,
      );
      const [consume, , processed] = variants;
      const derived = {
        ordersPerSecond: Number(median(processed, 'rps').toFixed(1)),
        orderLinesPerSecond: Math.round(median(processed, 'rps') * LINES),
        orderVsConsume: Number((median(processed, 'rps') / (median(consume, 'rps') || 1)).toFixed(3)),
        orderP50Ms: Number(median(processed, 'p50').toFixed(2)),
      };
      ctx.log(
        `orders/s ${derived.ordersPerSecond} (${derived.orderLinesPerSecond} lines/s), ${derived.orderVsConsume}x the consumption's rate, p50 ${derived.orderP50Ms} ms`,
      );
      return {
        variants,
        parameters: {
          ...databaseParameters(database),
          linesPerOrder: LINES,
          batchesPerItem: BATCHES_PER_ITEM,
          activeRules: RULES + 1,
          auth: 'SigV4 as the gateway signs (one signature per round, every request verified) with the manager role',
          derived,
        },
      };
    } finally {
      await erp.close();
      await database.close();
    }
  },
};

export default scenario;
