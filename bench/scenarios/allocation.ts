import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { identityHeaders, signRequest } from '@tributary/platform/auth';
import { systemCommandContext } from '@tributary/platform/command';
import { silentLogger, systemClock } from '@tributary/platform/core';
import { asSchema, asTables, createDatabase, sql, type Database } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { testKeyring, testCredentials, TEST_SCOPE, testServiceContext } from '@tributary/platform/testing';
import { benchTestDatabases } from '../src/postgres.js';
import { buildApp } from '../../services/processing/src/app.js';
import { migrations } from '../../services/processing/src/db/migrations/index.js';
import { allocateToShipment } from '../../services/processing/src/features/allocations/allocations.service.js';
import type { FeatureDeps } from '../../services/processing/src/features/deps.js';
import type { RoundMetrics, Scenario, ScenarioContext, VariantResult, VariantRole } from '../src/types.js';
import type { ProcessingDb } from '../../services/processing/src/db/schema.js';

const HOT_BAGS = 100;
const AMOUNT = '0.01';
/** Many shipments, so most allocations insert a row (as dispatch does) rather than top one up. */
const REQUESTS = 5000;

interface Variant {
  name: string;
  role: VariantRole;
  /** One operation of one client; throws on anything but success. */
  op(): Promise<void>;
}

/**
 * `clients` concurrent loops, each running `op` back to back for `seconds`; latency per
 * operation measured in this process. Any failure aborts the run: it would measure the wrong thing.
 */
async function closedLoop(op: () => Promise<void>, clients: number, seconds: number): Promise<RoundMetrics> {
  const latencies: number[] = [];
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await op();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), requests: latencies.length };
}

/** Interleaved rounds with the starting variant rotated, like the HTTP harness does. */
async function measure(variants: Variant[], ctx: ScenarioContext): Promise<VariantResult[]> {
  const rounds = new Map<string, RoundMetrics[]>(variants.map((v) => [v.name, []]));
  if (ctx.warmup > 0) {
    for (const v of variants) {
      ctx.log(`warm-up ${v.name} (${ctx.warmup}s)`);
      await closedLoop(v.op, ctx.connections, ctx.warmup);
    }
  }
  for (let round = 0; round < ctx.rounds; round++) {
    for (let step = 0; step < variants.length; step++) {
      const v = variants[(round + step) % variants.length]!;
      const metrics = await closedLoop(v.op, ctx.connections, ctx.duration);
      ctx.log(`round ${round + 1}/${ctx.rounds} ${v.name}: ${Math.round(metrics.rps)} ops/s, p99 ${metrics.p99.toFixed(2)} ms`);
      rounds.get(v.name)!.push(metrics);
    }
  }
  return variants.map((v) => ({ name: v.name, role: v.role, rounds: rounds.get(v.name)! }));
}

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;

async function prepare(database: Database): Promise<string[]> {
  await migrateToLatest(database, migrations);
  const db = database.db;
  await sql`insert into store_location (location_name, herbline_section) values ('BENCH', false)`.execute(db);
  await sql`insert into item values ('T-BENCH', 1)`.execute(db);
  await sql`insert into tealine (item_code, created_ts, no_of_bags, weight_per_bag) values ('T-BENCH', 1, ${HOT_BAGS}, 999)`.execute(db);
  for (let i = 0; i < HOT_BAGS; i++) {
    // 999.00 kg net each: room for ~100,000 allocations of 10 g per bag, far more than a run makes.
    await sql`insert into tealine_record (item_code, created_ts, bag_no, store_location, bag_weight, gross_weight, status, remaining)
              values ('T-BENCH', 1, 1, 'BENCH', 0.99, 999.99, 'ACCEPTED', 0)`.execute(db);
  }
  await sql`create table pgbench_accounts (aid integer primary key, abalance numeric(12,2) not null default 0)`.execute(db);
  await sql`insert into pgbench_accounts (aid) select generate_series(1, ${HOT_BAGS})`.execute(db);
  const { rows } = await sql<{ barcode: string }>`select barcode::text from tealine_record`.execute(db);
  return rows.map((r) => r.barcode);
}

const scenario: Scenario = {
  name: 'allocation',
  description:
    'bag → shipment allocations (row lock, Σ check, insert, outbox) on 100 hot bags on PostgreSQL vs pgbench-style single-row UPDATEs',
  async run(ctx) {
    const handle = await benchTestDatabases().create();
    // One pooled connection per client, as pgbench gives each client its own connection.
    const database = await createDatabase(handle.url, { poolSize: ctx.connections });
    const keyring = testKeyring();
    const app = await buildApp(testServiceContext('processing', asSchema<ProcessingDb>(database), { keyring }));
    try {
      ctx.log('preparing 100 hot bags');
      const bags = await prepare(database);
      const url = await app.listen({ host: '127.0.0.1', port: 0 });
      const http = new Pool(url, { connections: ctx.connections });
      const credentials = testCredentials('test', keyring);
      const deps: FeatureDeps = {
        db: asTables<ProcessingDb>(database.db),
        clock: systemClock,
        logger: silentLogger(),
        eventsCommitted: () => {},
      };
      const body = () => ({
        barcode: pick(bags),
        request_code: 1 + Math.floor(Math.random() * REQUESTS),
        shipment_code: 1 + Math.floor(Math.random() * 3),
        amount: AMOUNT,
      });

      const variants: Variant[] = [
        {
          name: 'single-row UPDATE (pgbench-style)',
          role: 'baseline',
          op: async () => {
            await sql`update pgbench_accounts set abalance = abalance + ${AMOUNT} where aid = ${1 + Math.floor(Math.random() * HOT_BAGS)}`.execute(
              database.db,
            );
          },
        },
        {
          name: 'allocation (service transaction)',
          role: 'subject',
          op: async () => {
            await allocateToShipment({ ...deps, orders: undefined }, systemCommandContext('bench', systemClock), 'tealine', body());
          },
        },
        {
          name: 'allocation over HTTP (SigV4 per request)',
          role: 'subject',
          op: async () => {
            const payload = JSON.stringify(body());
            const target = `${url}/app/tealine/record/shipment`;
            const headers = await signRequest(
              {
                method: 'POST',
                url: target,
                headers: { 'content-type': 'application/json', ...identityHeaders({ user: 'bench', roles: ['SEEDUWA-OFFICER'] }) },
                body: payload,
              },
              credentials,
              TEST_SCOPE,
            );
            const response = await http.request({ method: 'POST', path: '/app/tealine/record/shipment', headers, body: payload });
            const text = await response.body.text();
            if (response.statusCode !== 200) throw new Error(`allocation answered ${response.statusCode}: ${text}`);
          },
        },
      ];
      const results = await measure(variants, ctx);
      const { rows } = await sql<{ n: number; over: number }>`
        select count(*)::int as n, (select count(*)::int from tealine_record r where tealine_consumed(r.barcode) > r.gross_weight - r.bag_weight) as over
          from tealine_allocate_shipment`.execute(database.db);
      await http.close();
      return {
        variants: results,
        parameters: {
          database: 'PostgreSQL (created for the run, dropped after)',
          hotBags: HOT_BAGS,
          clients: ctx.connections,
          amountKg: AMOUNT,
          shipments: `${REQUESTS} request codes × 3 shipment codes, chosen at random per allocation`,
          allocation:
            'one autocommitted call of allocate_tealine_shipment: SELECT … FOR UPDATE on the bag, Σ non-parcel allocations, upsert into tealine_allocate_shipment (consume-guard trigger re-checks), 2 outbox events',
          baseline: 'UPDATE pgbench_accounts SET abalance = abalance + 0.01 WHERE aid = random(1..100), autocommit',
          http: 'processing app on 127.0.0.1, undici pool of <clients> connections in the same process, SigV4 signed per request',
          allocationRowsAfterRun: rows[0]!.n,
          bagsOverAllocatedAfterRun: rows[0]!.over,
          measuredBy: 'closed loop of <clients> concurrent async clients in the benchmark process (latency per operation)',
        },
      };
    } finally {
      await app.close();
      await database.close();
      await handle.destroy();
    }
  },
};

export default scenario;
