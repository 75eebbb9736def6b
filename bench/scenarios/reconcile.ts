import { performance } from 'node:perf_hooks';
import { createDatabase, sql } from '@tributary/platform/db';
import type { HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import { createServiceClient } from '@tributary/platform/resilience';
import type { ServiceDefinition } from '@tributary/platform/service';
import { testCredentials, testKeyring, TEST_SCOPE, type TestDatabase, testServiceContext } from '@tributary/platform/testing';
import { benchTestDatabases } from '../src/postgres.js';
import { service as ordersService } from '../../services/orders/src/service.js';
import { service as processingService } from '../../services/processing/src/service.js';
import type { RoundMetrics, Scenario, VariantResult } from '../src/types.js';

const SHIPMENTS = 100_000;
const ALLOCATIONS = 1_000_000;
const BAGS = 100_000;
const PLANTED = 3;

/** Peak heap and RSS above the level before `fn`, sampled every 5 ms (and once at the end). */
async function measured<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; peakHeapMb: number; peakRssMb: number }> {
  global.gc?.();
  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  let peakRss = before.rss;
  const sample = () => {
    const now = process.memoryUsage();
    peakHeap = Math.max(peakHeap, now.heapUsed);
    peakRss = Math.max(peakRss, now.rss);
  };
  const timer = setInterval(sample, 5);
  const t0 = performance.now();
  try {
    const result = await fn();
    sample();
    return {
      result,
      ms: performance.now() - t0,
      peakHeapMb: (peakHeap - before.heapUsed) / 2 ** 20,
      peakRssMb: (peakRss - before.rss) / 2 ** 20,
    };
  } finally {
    clearInterval(timer);
  }
}

/** Bulk data with generate_series, triggers and FK checks off for the load session only. */
async function load(ordersUrl: string, processingUrl: string): Promise<void> {
  const orders = await createDatabase(ordersUrl, { poolSize: 1 });
  try {
    await sql`set session_replication_role = replica`.execute(orders.db);
    await sql`insert into order_plan (order_code, product_name, item_code, requirement, plan_start, plan_end) values ('BENCH', 'Blend', 'BLT00001', 1000000000000, '2026-01-01', '2026-12-31')`.execute(
      orders.db,
    );
    await sql`insert into order_request (request_code, order_code, product_name, requirement) select g, 'BENCH', 'Blend', 20000 from generate_series(1, ${SHIPMENTS / 2}) g`.execute(
      orders.db,
    );
    // Shipment n (1-based) is request ceil(n/2), shipment 1 or 2; 10 kg each, dispatched.
    await sql`insert into order_shipment (request_code, shipment_code, quantity, allocated, status)
              select (n - 1) / 2 + 1, (n - 1) % 2 + 1, 10000, 10000, 'SHIPMENT_DISPATCHED' from generate_series(1, ${SHIPMENTS}) n`.execute(
      orders.db,
    );
    // Planted: a quantity mismatch, a status mismatch and an orphan (shipment missing here).
    await sql`update order_shipment set quantity = 9000 where request_code = 1 and shipment_code = 1`.execute(orders.db);
    await sql`update order_shipment set status = 'ORDER_READY' where request_code = 2 and shipment_code = 1`.execute(orders.db);
    await sql`delete from order_shipment where request_code = 3 and shipment_code = 1`.execute(orders.db);
    await sql`analyze`.execute(orders.db);
  } finally {
    await orders.close();
  }
  const processing = await createDatabase(processingUrl, { poolSize: 1 });
  try {
    await sql`set session_replication_role = replica`.execute(processing.db);
    await sql`insert into store_location (location_name, herbline_section) values ('BENCH', false)`.execute(processing.db);
    await sql`insert into item values ('T-BENCH', 1)`.execute(processing.db);
    await sql`insert into tealine (item_code, created_ts, no_of_bags, weight_per_bag) values ('T-BENCH', 1, ${BAGS}, 11)`.execute(
      processing.db,
    );
    await sql`create temporary table bench_bag as select b, gen_random_uuid() as barcode from generate_series(1, ${BAGS}) b`.execute(
      processing.db,
    );
    await sql`insert into tealine_record (barcode, item_code, created_ts, bag_no, store_location, bag_weight, gross_weight, status, remaining, dispatched_at)
              select barcode, 'T-BENCH', 1, b, 'BENCH', 1, 11, 'DISPATCHED', 0, now() from bench_bag`.execute(processing.db);
    // Allocation i goes from bag floor(i/10)+1 to shipment (i mod 100,000)+1: 10 bags × 1 kg per shipment.
    await sql`insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining)
              select bag.barcode, (s - 1) / 2 + 1, (s - 1) % 2 + 1, 1, 1
              from (select i, i / 10 + 1 as b, i % ${SHIPMENTS} + 1 as s from generate_series(0, ${ALLOCATIONS - 1}) i) a join bench_bag bag on bag.b = a.b`.execute(
      processing.db,
    );
    await sql`analyze`.execute(processing.db);
  } finally {
    await processing.close();
  }
}

const scenario: Scenario = {
  name: 'reconcile',
  description:
    'MTP reconciliation of 1,000,000 allocation rows against 100,000 shipments (two PostgreSQL databases, signed paged HTTP) vs one SQL GROUP BY over the allocations',
  async run(ctx) {
    const target = benchTestDatabases();
    const handles: TestDatabase[] = [await target.create(), await target.create()];
    const [ordersHandle, processingHandle] = handles as [TestDatabase, TestDatabase];
    const keyring = testKeyring();
    const apps: HttpApp[] = [];
    try {
      await migrateToLatest(ordersHandle.database, ordersService.migrations);
      await migrateToLatest(processingHandle.database, processingService.migrations);
      ctx.log(`loading ${SHIPMENTS} shipments and ${ALLOCATIONS} allocations (generate_series)`);
      const loadStarted = performance.now();
      await load(ordersHandle.url, processingHandle.url);
      ctx.log(`loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s`);

      // Both services listening on 127.0.0.1, each on its own database, calling each other signed.
      const peers: Record<string, string> = {};
      const start = async (definition: ServiceDefinition, handle: TestDatabase) => {
        const database = handle.database;
        const context = testServiceContext(definition.name, database, { peers, env: { ORDERS_TIMEOUT_MS: '60000' }, keyring });
        const app = (await definition.buildApp(context)) as HttpApp;
        apps.push(app);
        return app.listen({ host: '127.0.0.1', port: 0 });
      };
      // Peers are read at build time: orders first (it only needs processing for pass-throughs).
      peers.orders = await start(ordersService, ordersHandle);
      peers.processing = await start(processingService, processingHandle);
      const client = createServiceClient({
        name: 'processing',
        baseUrl: peers.processing,
        credentials: testCredentials('cli', keyring),
        scope: TEST_SCOPE,
        timeoutMs: 600_000,
        retry: { maxAttempts: 1, baseMs: 0, capMs: 0 },
      });

      const variants = [
        {
          name: 'SQL GROUP BY over the allocations (one query, processing DB)',
          role: 'baseline' as const,
          op: async () => {
            const { rows } = await sql<{
              request_code: string;
            }>`select request_code, shipment_code, sum(amount) as allocated, count(*) as bags
              from tealine_allocate_shipment group by request_code, shipment_code order by request_code, shipment_code`.execute(
              processingHandle.database.db,
            );
            return { rows: rows.length, differences: -1 };
          },
        },
        {
          name: 'POST /internal/reconcile/mtp (streaming merge, pages of 5,000 over signed HTTP)',
          role: 'subject' as const,
          op: async () => {
            const report = await client.json<{ summary: { shipments: number; allocationGroups: number; differences: number } }>({
              method: 'POST',
              path: '/internal/reconcile/mtp',
              query: { page_size: 5000 },
            });
            if (report.summary.differences !== PLANTED)
              throw new Error(`expected ${PLANTED} differences, found ${report.summary.differences}`);
            return { rows: report.summary.allocationGroups, differences: report.summary.differences };
          },
        },
      ];
      const rounds = new Map<string, RoundMetrics[]>(variants.map((v) => [v.name, []]));
      const memory = new Map<string, { heapMb: number[]; rssMb: number[] }>(variants.map((v) => [v.name, { heapMb: [], rssMb: [] }]));
      for (let round = 0; round < ctx.rounds; round++) {
        for (let step = 0; step < variants.length; step++) {
          const v = variants[(round + step) % variants.length]!;
          const m = await measured(v.op);
          ctx.log(
            `round ${round + 1}/${ctx.rounds} ${v.name}: ${(m.ms / 1000).toFixed(2)} s, ${m.result.rows} groups, peak heap +${m.peakHeapMb.toFixed(1)} MB, peak RSS +${m.peakRssMb.toFixed(1)} MB`,
          );
          // One "request" per reconciliation: rps is runs per second, p50/p99 the run's duration.
          rounds.get(v.name)!.push({ rps: 1000 / m.ms, p50: m.ms, p99: m.ms, requests: 1 });
          memory.get(v.name)!.heapMb.push(Number(m.peakHeapMb.toFixed(1)));
          memory.get(v.name)!.rssMb.push(Number(m.peakRssMb.toFixed(1)));
        }
      }
      await client.close();
      const results: VariantResult[] = variants.map((v) => ({ name: v.name, role: v.role, rounds: rounds.get(v.name)! }));
      return {
        variants: results,
        parameters: {
          database: 'PostgreSQL, two databases created for the run (orders, processing), dropped after',
          shipments: SHIPMENTS,
          allocationRows: ALLOCATIONS,
          bags: BAGS,
          plantedDifferences: 'quantity mismatch on 1/1, status mismatch on 2/1, shipment 3/1 deleted in orders (orphan)',
          reading: 'req/s = reconciliations per second; p50/p99 = the duration of one reconciliation in ms',
          peakMemoryMb: Object.fromEntries([...memory.entries()].map(([name, m]) => [name, m])),
          memoryNote: 'peak heapUsed / RSS above the level before the run, sampled every 5 ms in this process (both services run here too)',
        },
      };
    } finally {
      for (const app of apps) await app.close();
      for (const handle of handles) await handle.destroy();
    }
  },
};

export default scenario;
