import type { Database } from '@tributary/platform/db';
import { createHttpApp } from '@tributary/platform/http';
import type { FastifyInstance } from 'fastify';
import { measureTargets, type LoadTarget } from '../src/autocannon.js';
import { databaseParameters, discardingLogger, median, post, signedPost, startErp } from '../src/erp.js';
import type { Scenario } from '../src/types.js';

/**
 * ERP pricing and picking under load, on the embedded database by default
 * (BENCH_ERP_DATABASE_URL=mysql://… or postgres://… an empty database to use a server):
 *   - a 50-line order priced against 1,000 active pricing rules (quote only, and with the
 *     application log written), reported as line quotes per second;
 *   - a 50-line FEFO pick plan over 10,000 batches (latency per order);
 *   - the baseline: one primary-key SELECT of a rule through the same HTTP kernel and database.
 */
const LINES = 50;
const RULES = 1000;
const ITEMS = 400;
const BATCHES = 10_000;
const WAREHOUSE = 'BENCH-WH';
const CUSTOMER = 'CUST-0';
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const item = (i: number) => `BI-${String(i).padStart(3, '0')}`;
const isoDay = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Rules shaped like a real catalogue: most target other items, groups, customers or need a coupon, a few apply to a given line. */
function ruleBody(i: number): Record<string, unknown> {
  const common = {
    rule_code: `BR-${String(i).padStart(4, '0')}`,
    rule_name: `bench rule ${i}`,
    rule_type: 'Promotional',
    valid_from: '2020-01-01',
    priority: i % 17,
    stacking: i % 97 === 0 ? 'Exclusive' : i % 2 === 0 ? 'Additive' : 'Compound',
  };
  const pct = String(1 + (i % 9));
  // Most shapes differ only in what they apply on and for whom; these fill in the rest.
  const forAllCustomers = (applyOn: string, fields: Record<string, unknown>) => ({
    ...common,
    apply_on: applyOn,
    applicable_for: 'All Customers',
    ...fields,
  });
  const onAllItems = (applicableFor: string, fields: Record<string, unknown>) => ({
    ...common,
    apply_on: 'All Items',
    applicable_for: applicableFor,
    ...fields,
  });
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
      return forAllCustomers('Item Code', { items: [item(i % ITEMS)], discount_percentage: pct });
    case 3:
      return forAllCustomers('Item Code', {
        rule_type: 'Volume Discount',
        items: [item((i * 7) % ITEMS)],
        tier_mode: i % 20 === 3 ? 'Whole Quantity' : 'Cumulative',
        slabs: [
          { min_quantity: '1', max_quantity: '10', discount_type: 'Percentage', discount_percentage: '2' },
          { min_quantity: '11', max_quantity: '50', discount_type: 'Percentage', discount_percentage: '4' },
          { min_quantity: '51', discount_type: 'Fixed Amount', discount_amount: '3' },
        ],
      });
    case 4:
      return forAllCustomers('Item Group', { apply_on_value: `G${i % 80}`, discount_percentage: pct, max_discount_amount: '500' });
    case 5:
      return forAllCustomers('Brand', { apply_on_value: `B${i % 40}`, rate_or_discount: 'Discount Amount', discount_amount: '1.5' });
    case 6:
      return onAllItems('Customer', { applicable_for_value: `CUST-${i % 100}`, discount_percentage: pct });
    case 7:
      return onAllItems('Customer Group', { applicable_for_value: `Group-${i % 50}`, discount_percentage: pct, round_to_nearest: '0.05' });
    case 8:
      return onAllItems('All Customers', { discount_percentage: pct, requires_coupon: true, coupon_code: `CPN-${i}`, usage_limit: 1000 });
    default:
      return forAllCustomers('Item Group', {
        apply_on_value: `G${i % 80}`,
        days_of_week: WEEKDAYS.filter((_, d) => (d + i) % 2 === 0),
        time_from: '00:00',
        time_to: '23:59:59',
        discount_percentage: pct,
      });
  }
}

export async function prepare(database: Database, app: FastifyInstance, log: (m: string) => void): Promise<void> {
  await post(app, '/warehouses', { name: WAREHOUSE, warehouse_name: WAREHOUSE });
  for (let i = 0; i < ITEMS; i++)
    await post(app, '/items', { item_code: item(i), item_group: `G${i % 80}`, brand: `B${i % 40}`, standard_rate: String(100 + i) });
  await post(app, '/customers', { name: CUSTOMER, customer_name: 'Bench customer', customer_group: 'Group-0', territory: 'T1' });
  log(`creating ${RULES} pricing rules`);
  for (let i = 0; i < RULES; i++) await post(app, '/pricing/rules', ruleBody(i));

  log(`inserting ${BATCHES} batches with their receipt movements`);
  const db = database.db;
  const now = new Date();
  const perItem = BATCHES / LINES;
  // The bookkeeping columns every Frappe document row carries.
  const doc = { creation: now, modified: now, owner: 'bench', modified_by: 'bench', docstatus: 1, idx: 0 };
  for (let start = 0; start < BATCHES; start += 500) {
    const batches = [];
    const movements = [];
    for (let n = start; n < start + 500; n++) {
      const itemIndex = n % LINES;
      const k = Math.floor(n / LINES);
      const qty = String(1 + (k % 20));
      // A realistic mix: 1 in 10 expired, 1 in 20 quarantined, 1 in 8 already used up.
      const expired = k % 10 === 0;
      const empty = k % 8 === 1;
      const name = `BB-${String(n).padStart(5, '0')}`;
      const available = empty ? '0' : qty;
      batches.push({
        name,
        ...doc,
        batch_id: name,
        item: item(itemIndex),
        warehouse: WAREHOUSE,
        manufacturing_date: isoDay(-200 + (k % 150)),
        expiry_date: expired ? isoDay(-1 - (k % 5)) : isoDay(1 + ((k * 37) % perItem) * 2),
        quality_grade: 'A',
        status: k % 20 === 7 ? 'Quarantine' : empty ? 'Consumed' : 'Active',
        total_qty: qty,
        available_qty: available,
        movement_seq: empty ? 2 : 1,
      });
      movements.push({
        name: `BM-${n}-1`,
        ...doc,
        batch_id: name,
        seq: 1,
        movement_type: 'RECEIPT',
        movement_date: now,
        item_code: item(itemIndex),
        warehouse: WAREHOUSE,
        qty_before: '0',
        qty_change: qty,
        qty_after: qty,
      });
      if (empty)
        movements.push({
          name: `BM-${n}-2`,
          ...doc,
          batch_id: name,
          seq: 2,
          movement_type: 'CONSUMPTION',
          movement_date: now,
          item_code: item(itemIndex),
          warehouse: WAREHOUSE,
          qty_before: qty,
          qty_change: `-${qty}`,
          qty_after: '0',
        });
    }
    await db.insertInto('tabHD Batch Master').values(batches).execute();
    await db.insertInto('tabHD Batch Movement').values(movements).execute();
  }
}

export const order = (log: boolean) =>
  JSON.stringify({
    customer: CUSTOMER,
    dry_run: !log,
    items: Array.from({ length: LINES }, (_, i) => ({
      item_code: item((i * 7) % ITEMS),
      qty: String(1 + ((i * 13) % 70)),
      warehouse: WAREHOUSE,
    })),
  });
export const pickOrder = JSON.stringify({
  strategy: 'FEFO',
  lines: Array.from({ length: LINES }, (_, i) => ({ item: item(i), warehouse: WAREHOUSE, qty: '30' })),
});

const scenario: Scenario = {
  name: 'pricing',
  description: 'ERP: 50-line order priced against 1,000 rules (line quotes/s) and FEFO pick over 10,000 batches, vs one indexed SELECT',
  async run(ctx) {
    const { database, erp } = await startErp(ctx.connections);
    const apps: FastifyInstance[] = [];
    try {
      apps.push(erp);
      await prepare(database, erp, ctx.log);

      const baseline = (await createHttpApp({ name: 'bench-select', logger: discardingLogger() })) as unknown as FastifyInstance;
      baseline.get('/rule/:code', async (request) =>
        database.db
          .selectFrom('tabHD Dynamic Pricing Rule')
          .select(['name', 'priority', 'discount_percentage'])
          .where('name', '=', (request.params as { code: string }).code)
          .executeTakeFirst(),
      );
      apps.push(baseline);
      const erpUrl = await erp.listen({ host: '127.0.0.1', port: 0 });
      const baseUrl = await baseline.listen({ host: '127.0.0.1', port: 0 });
      const signed = (path: string, body: string) => signedPost(erpUrl, path, body);
      const targets: LoadTarget[] = [
        { name: 'one indexed SELECT (GET)', role: 'baseline', url: `${baseUrl}/rule/BR-0500` },
        {
          name: `quote ${LINES} lines, ${RULES} rules`,
          role: 'subject',
          url: `${erpUrl}/pricing/calculate`,
          method: 'POST',
          body: order(false),
          headers: signed('/pricing/calculate', order(false)),
        },
        {
          name: `calculate ${LINES} lines + application log`,
          role: 'subject',
          url: `${erpUrl}/pricing/calculate`,
          method: 'POST',
          body: order(true),
          headers: signed('/pricing/calculate', order(true)),
        },
        {
          name: `FEFO pick ${LINES} lines, ${BATCHES} batches`,
          role: 'subject',
          url: `${erpUrl}/stock/pick`,
          method: 'POST',
          body: pickOrder,
          headers: signed('/stock/pick', pickOrder),
        },
      ];
      const variants = await measureTargets(targets, ctx);
      const [select, quote, logged, pick] = variants;
      const derived = {
        lineQuotesPerSecond: Math.round(median(quote, 'rps') * LINES),
        lineQuotesPerSecondWithLog: Math.round(median(logged, 'rps') * LINES),
        lineQuotesPerSelect: Number(((median(quote, 'rps') * LINES) / median(select, 'rps')).toFixed(3)),
        fefoPickP50Ms: Number(median(pick, 'p50').toFixed(2)),
        fefoPickP99Ms: Number(median(pick, 'p99').toFixed(2)),
      };
      ctx.log(
        `line quotes/s ${derived.lineQuotesPerSecond} (with log ${derived.lineQuotesPerSecondWithLog}); per SELECT ${derived.lineQuotesPerSelect}; FEFO pick p50 ${derived.fefoPickP50Ms} ms, p99 ${derived.fefoPickP99Ms} ms`,
      );
      return {
        variants,
        parameters: {
          ...databaseParameters(database),
          linesPerOrder: LINES,
          activeRules: RULES,
          batches: BATCHES,
          auth: 'SigV4 as the gateway signs (one signature per round, every request verified) with the manager role; the baseline has none',
          derived,
        },
      };
    } finally {
      await Promise.all(apps.map((app) => app.close()));
      await database.close();
    }
  },
};

export default scenario;
