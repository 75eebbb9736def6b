import { performance } from 'node:perf_hooks';
import { createDatabase, sql } from '@tributary/platform/db';
import type { HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import { createServiceClient } from '@tributary/platform/resilience';
import { testCredentials, testKeyring, TEST_SCOPE, testServiceContext } from '@tributary/platform/testing';
import { benchTestDatabases } from '../src/postgres.js';
import type { ProcessingDb } from '../../services/processing/src/db/schema.js';
import { service as processingService } from '../../services/processing/src/service.js';
import type { RoundMetrics, Scenario, VariantResult } from '../src/types.js';

const BAGS = 5_000;
const BATCHES = 20;
const OUTPUTS_PER_BATCH = 50;
const SCHEDULES = 100;
const VEHICLES = 50;
const OUTPUTS = BATCHES * OUTPUTS_PER_BATCH;
/** Every raw bag and every output bag goes to a shipment of its own group: 2,000 shipments. */
const SHIPMENTS = 2 * OUTPUTS;

/**
 * One tealine lot of 5,000 bags, each feeding 1 kg into one of 20 blend batches and 1 kg into one
 * of 1,000 shipments; the batches' 1,000 output bags each go to a shipment of their own and a
 * parcel into one of 100 schedules; every shipment dispatched on one of 50 vehicles.
 */
async function load(url: string): Promise<void> {
  const database = await createDatabase(url, { poolSize: 1 });
  const db = database.db;
  try {
    await sql`set session_replication_role = replica`.execute(db);
    await sql`insert into store_location (location_name, herbline_section) values ('BENCH', false)`.execute(db);
    await sql`insert into item values ('T-BENCH', 1)`.execute(db);
    await sql`insert into tealine (item_code, created_ts, invoice_no, garden, broker, no_of_bags, weight_per_bag) values ('T-BENCH', 1, 'INV-BENCH', 'Garden', 'Broker', ${BAGS}, 10)`.execute(
      db,
    );
    await sql`insert into blendsheet (blendsheet_no, standard, remarks, total, no_of_batches) values ('BS-BENCH', 'S', 'bench', 100000, ${BATCHES})`.execute(
      db,
    );
    await sql`insert into item select 'B-' || g, 2 from generate_series(1, ${BATCHES}) g`.execute(db);
    await sql`insert into blendsheet_batch (item_code, created_ts, blendsheet_no, batch_no, trader_status) select 'B-' || g, 2, 'BS-BENCH', g, 'TRADER_ALLOWED' from generate_series(1, ${BATCHES}) g`.execute(
      db,
    );
    await sql`create temporary table bench_bag as select b, gen_random_uuid() as barcode from generate_series(1, ${BAGS}) b`.execute(db);
    await sql`insert into tealine_record (barcode, item_code, created_ts, bag_no, store_location, bag_weight, gross_weight, status, remaining)
              select barcode, 'T-BENCH', 1, b, 'BENCH', 1, 11, 'IN_PROCESS', 8 from bench_bag`.execute(db);
    await sql`insert into tealine_allocate_blendsheet (barcode, item_code, created_ts, amount) select barcode, 'B-' || (b % ${BATCHES} + 1), 2, 1 from bench_bag`.execute(
      db,
    );
    await sql`insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining) select barcode, b % ${OUTPUTS} + 1, 1, 1, 1 from bench_bag`.execute(
      db,
    );
    await sql`create temporary table bench_out as select o, gen_random_uuid() as barcode from generate_series(1, ${OUTPUTS}) o`.execute(db);
    await sql`insert into blendsheet_record (barcode, item_code, created_ts, bag_no, store_location, bag_weight, gross_weight, status, remaining)
              select barcode, 'B-' || ((o - 1) / ${OUTPUTS_PER_BATCH} + 1), 2, (o - 1) % ${OUTPUTS_PER_BATCH} + 1, 'BENCH', 1, 6, 'PROCESSED', 0 from bench_out`.execute(
      db,
    );
    await sql`insert into blendsheet_allocate_shipment (barcode, request_code, shipment_code, amount, remaining) select barcode, ${OUTPUTS} + o, 1, 5, 1 from bench_out`.execute(
      db,
    );
    await sql`insert into blendsheet_allocate_parcel (barcode, request_code, shipment_code, schedule_code, amount) select barcode, ${OUTPUTS} + o, 1, o % ${SCHEDULES} + 1, 4 from bench_out`.execute(
      db,
    );
    await sql`insert into shipment_dispatch (dispatch_key, request_code, shipment_code, shipment_vehicle, bags, state, created_at, updated_at)
              select 'bench-' || s, s, 1, 'V-' || (s % ${VEHICLES}), '[]', 'completed', 1, 1 from generate_series(1, ${SHIPMENTS}) s`.execute(
      db,
    );
    await sql`analyze`.execute(db);
  } finally {
    await database.close();
  }
}

const scenario: Scenario = {
  name: 'traceability',
  description: `Trace of a lot of ${BAGS} bags through ${BATCHES} blends to ${SHIPMENTS} shipments, ${OUTPUTS} parcels and ${VEHICLES} vehicles (GET /app/trace) vs one bag scan (GET /app/scan), same server`,
  async run(ctx) {
    const handle = await benchTestDatabases().create();
    const keyring = testKeyring();
    let app: HttpApp | undefined;
    try {
      await migrateToLatest(handle.database, processingService.migrations);
      ctx.log(`loading ${BAGS} bags, ${OUTPUTS} output bags and their allocations (generate_series)`);
      await load(handle.url);
      const context = testServiceContext<ProcessingDb>('processing', handle.database, { keyring });
      app = (await processingService.buildApp(context)) as HttpApp;
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const client = createServiceClient({
        name: 'processing',
        baseUrl: url,
        credentials: testCredentials('gateway', keyring),
        scope: TEST_SCOPE,
        timeoutMs: 120_000,
        retry: { maxAttempts: 1, baseMs: 0, capMs: 0 },
      });
      const identity = { user: 'bench', roles: ['SEEDUWA-OFFICER'] };
      const { rows } = await sql<{
        barcode: string;
      }>`select cast(barcode as text) as barcode from tealine_record order by bag_no limit 1`.execute(handle.database.db);
      const oneBag = rows[0]!.barcode;

      const variants = [
        {
          name: 'GET /app/scan (one bag, its allocations summed)',
          role: 'baseline' as const,
          op: async () => {
            await client.json({ method: 'GET', path: '/app/scan', query: { table_name: 'tealine', barcode: oneBag }, identity });
            return 1;
          },
        },
        {
          name: 'GET /app/trace/T-BENCH (whole lot, up and down)',
          role: 'subject' as const,
          op: async () => {
            const graph = await client.json<{ nodes: unknown[]; edges: unknown[] }>({
              method: 'GET',
              path: '/app/trace/T-BENCH',
              identity,
            });
            const expected = 1 + 3 + BAGS + BATCHES + OUTPUTS + SHIPMENTS + VEHICLES + OUTPUTS + SCHEDULES;
            if (graph.nodes.length !== expected) throw new Error(`expected ${expected} nodes, found ${graph.nodes.length}`);
            return graph.nodes.length;
          },
        },
      ];
      const rounds = new Map<string, RoundMetrics[]>(variants.map((v) => [v.name, []]));
      for (let round = 0; round < ctx.rounds; round++) {
        for (let step = 0; step < variants.length; step++) {
          const v = variants[(round + step) % variants.length]!;
          const t0 = performance.now();
          const size = await v.op();
          const ms = performance.now() - t0;
          ctx.log(`round ${round + 1}/${ctx.rounds} ${v.name}: ${ms.toFixed(1)} ms, ${size} nodes`);
          rounds.get(v.name)!.push({ rps: 1000 / ms, p50: ms, p99: ms, requests: 1 });
        }
      }
      await client.close();
      const results: VariantResult[] = variants.map((v) => ({ name: v.name, role: v.role, rounds: rounds.get(v.name)! }));
      return {
        variants: results,
        parameters: {
          database: 'PostgreSQL, one database created for the run, dropped after',
          bags: BAGS,
          batches: BATCHES,
          outputBags: OUTPUTS,
          shipments: SHIPMENTS,
          parcels: OUTPUTS,
          schedules: SCHEDULES,
          vehicles: VEHICLES,
          reading: 'req/s = traces (or scans) per second, one at a time; p50/p99 = the duration of one call in ms',
        },
      };
    } finally {
      await app?.close();
      await handle.destroy();
    }
  },
};

export default scenario;
