import { Writable } from 'node:stream';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import aws4 from 'aws4';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { pino } from 'pino';
import { identityHeaders } from '@tributary/platform/auth';
import { REDACTED_PATHS, systemClock } from '@tributary/platform/core';
import { asSchema, createDatabase, sql, type Database } from '@tributary/platform/db';
import { createBenchDatabase, dropBenchDatabase } from '../src/postgres.js';
import { migrateToLatest } from '@tributary/platform/migrate';
import { credentialsFor, type Keyring } from '@tributary/platform/service';
import { service } from '@tributary/orders/service';
import type { OrdersDatabase } from '../../services/orders/src/db/schema.js';
import { runAutocannon } from '../src/autocannon.js';
import { LatencyRecorder } from '../src/latencies.js';
import type { RoundMetrics, ScenarioContext, VariantResult } from '../src/types.js';
import type { Scenario } from '../src/types.js';

/*
 * POST /order/shipment/event on PostgreSQL, 16 clients by default: every request records a new
 * ORDER_READY event on a shipment of its own (one statement: lock the shipment if it may move,
 * insert the event, update the shipment, write the outbox row; autocommitted), signed with
 * SigV4 and carrying the user's group as the gateway forwards it. The baseline is the floor
 * for "one HTTP request that commits one row": bare Fastify running a single-row
 * INSERT … RETURNING through a pg pool of the same size, on the same database, in the same run.
 *
 * A fixed body would turn every request after the first into a replay of an event already
 * recorded, so the subject's load generator (a worker thread, like the harness's) gives each
 * request its own shipment and signs it on the spot (aws4, synchronous).
 */

const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const KEYRING: Keyring = {
  keys: { TRBBENCHGATEWAY0001: { secretAccessKey: 'bench-gateway-secret-not-a-real-one', principal: 'gateway' } },
};
const EVENT_PATH = '/order/shipment/event';
const POOL_SIZE = 10;
/** Shipments made ready per second of load, generously above what two cores manage. */
const HEADROOM_PER_SECOND = 4000;

interface EventLoadJob {
  kind: 'orders-event-load';
  url: string;
  connections: number;
  duration: number;
  firstRequestCode: number;
  lastRequestCode: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
}
type EventLoadReply = { ok: true; metrics: RoundMetrics; used: number } | { ok: false; error: string };

function discardingLogger() {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return pino({ level: 'info', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
}

/** One plan and `count` requests, each with shipment 1 in ORDER_REQUESTED, written in bulk. */
async function prepareShipments(database: Database, count: number): Promise<void> {
  const db = database.db;
  await sql`insert into order_plan (order_code, product_name, item_code, requirement, plan_start, plan_end, updated_at)
            values ('BENCH', 'Bench blend', 'BLT00001', ${String(count * 1000)}, '2026-01-01', '2026-12-31', 0)`.execute(db);
  await sql`insert into order_request (request_code, order_code, product_name, requirement, created_at)
            select g, 'BENCH', 'Bench blend', 1000, 0 from generate_series(1, ${count}::int) g`.execute(db);
  await sql`insert into order_shipment (request_code, shipment_code, quantity, status, updated_at)
            select g, 1, 1000, 'ORDER_REQUESTED', 0 from generate_series(1, ${count}::int) g`.execute(db);
  await sql`insert into order_shipment_event (request_code, shipment_code, status, event_ts, actor)
            select g, 1, 'ORDER_REQUESTED', 0, 'bench' from generate_series(1, ${count}::int) g`.execute(db);
  await sql`select setval(pg_get_serial_sequence('order_request', 'request_code'), ${count}::int)`.execute(db);
  await sql`analyze`.execute(db);
}

async function bareInsertServer(url: string): Promise<{ app: FastifyInstance; pool: pg.Pool }> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  await pool.query(
    'create table bench_insert (id bigint generated always as identity primary key, payload text not null, created_at bigint not null)',
  );
  const app = Fastify();
  app.post('/bench/insert', async (request) => {
    const result = await pool.query('insert into bench_insert (payload, created_at) values ($1, $2) returning id, created_at', [
      JSON.stringify(request.body),
      Date.now(),
    ]);
    return result.rows[0];
  });
  return { app, pool };
}

function runEventLoad(job: EventLoadJob): Promise<{ metrics: RoundMetrics; used: number }> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(import.meta.url)}, ${JSON.stringify(import.meta.url)}))`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(bootstrap, { eval: true, workerData: job });
    worker.once('message', (reply: EventLoadReply) => {
      if (reply.ok) resolve({ metrics: reply.metrics, used: reply.used });
      else reject(new Error(reply.error));
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

/** Runs inside the worker thread: one new shipment per request, each signed as the gateway would. */
async function eventLoadWorker(job: EventLoadJob): Promise<void> {
  const target = new URL(job.url);
  let next = job.firstRequestCode;
  const latencies = new LatencyRecorder();
  const identity = identityHeaders({ user: 'bench-officer', roles: ['SEEDUWA-OFFICER'] });
  try {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: job.url,
          connections: job.connections,
          duration: job.duration,
          requests: [
            {
              method: 'POST',
              path: EVENT_PATH,
              setupRequest: (request) => {
                // Past the prepared shipments: a 404 stops the run rather than measuring replays.
                const code = next <= job.lastRequestCode ? next++ : job.lastRequestCode + 1_000_000;
                const body = JSON.stringify([{ request_code: code, shipment_code: 1, status: 'ORDER_READY' }]);
                const signed = aws4.sign(
                  {
                    ...SCOPE,
                    host: target.host,
                    method: 'POST',
                    path: EVENT_PATH,
                    body,
                    headers: { 'content-type': 'application/json', ...identity },
                  },
                  job.credentials,
                );
                return { ...request, method: 'POST', path: EVENT_PATH, body, headers: signed.headers as Record<string, string> };
              },
            },
          ],
        },
        (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)),
      );
      instance.on('response', (_client, statusCode, _bytes, responseTime) => latencies.record(statusCode, responseTime));
    });
    const metrics = latencies.metrics(result, job.url);
    parentPort?.postMessage({
      ok: true,
      metrics,
      used: next - job.firstRequestCode,
    } satisfies EventLoadReply);
  } catch (error) {
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies EventLoadReply);
  }
}

if (!isMainThread && (workerData as { kind?: string } | null)?.kind === 'orders-event-load') {
  void eventLoadWorker(workerData as EventLoadJob);
}

interface Variant {
  name: string;
  role: 'baseline' | 'subject';
  run(duration: number): Promise<RoundMetrics>;
}

/** The harness's interleaving (warm-up, then rounds with the starting variant rotated), over our own runners. */
async function measure(variants: Variant[], ctx: ScenarioContext): Promise<VariantResult[]> {
  const rounds = new Map<string, RoundMetrics[]>(variants.map((variant) => [variant.name, []]));
  if (ctx.warmup > 0) {
    for (const variant of variants) {
      ctx.log(`warm-up ${variant.name} (${ctx.warmup}s)`);
      await variant.run(ctx.warmup);
    }
  }
  for (let round = 0; round < ctx.rounds; round++) {
    for (let step = 0; step < variants.length; step++) {
      const variant = variants[(round + step) % variants.length]!;
      const metrics = await variant.run(ctx.duration);
      ctx.log(`round ${round + 1}/${ctx.rounds} ${variant.name}: ${Math.round(metrics.rps)} req/s, p99 ${metrics.p99.toFixed(2)} ms`);
      rounds.get(variant.name)!.push(metrics);
    }
  }
  return variants.map((variant) => ({ name: variant.name, role: variant.role, rounds: rounds.get(variant.name)! }));
}

const scenario: Scenario = {
  name: 'orders',
  description:
    'POST /order/shipment/event on PostgreSQL (SigV4, role guard, workflow check, event + outbox in one transaction) vs a bare single-row INSERT … RETURNING',
  async run(ctx) {
    const name = `bench_orders_${Date.now().toString(36)}`;
    const shipments = Math.max(20_000, Math.ceil((ctx.warmup + ctx.duration * ctx.rounds) * HEADROOM_PER_SECOND));
    const url = await createBenchDatabase(name);
    const database = await createDatabase(url, { poolSize: POOL_SIZE });
    let baseline: { app: FastifyInstance; pool: pg.Pool } | undefined;
    let orders: FastifyInstance | undefined;
    try {
      ctx.log(`preparing ${shipments} shipments in ${name}`);
      await migrateToLatest(database, service.migrations);
      await prepareShipments(database, shipments);
      orders = (await service.buildApp({
        name: 'orders',
        database: asSchema<OrdersDatabase>(database),
        logger: discardingLogger(),
        clock: systemClock,
        keyring: KEYRING,
        credentials: credentialsFor(KEYRING, 'gateway'),
        scope: SCOPE,
        peers: {},
        env: {},
      })) as unknown as FastifyInstance;
      baseline = await bareInsertServer(url);
      const baselineUrl = await baseline.app.listen({ host: '127.0.0.1', port: 0 });
      const ordersUrl = await orders.listen({ host: '127.0.0.1', port: 0 });
      const credentials = credentialsFor(KEYRING, 'gateway');
      let nextCode = 1;
      const variants: Variant[] = [
        {
          name: 'bare INSERT … RETURNING',
          role: 'baseline',
          run: (duration) =>
            runAutocannon({
              url: `${baselineUrl}/bench/insert`,
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ request_code: 1, shipment_code: 1, status: 'ORDER_READY' }),
              connections: ctx.connections,
              duration,
            }),
        },
        {
          name: 'POST /order/shipment/event',
          role: 'subject',
          run: async (duration) => {
            const { metrics, used } = await runEventLoad({
              kind: 'orders-event-load',
              url: ordersUrl,
              connections: ctx.connections,
              duration,
              firstRequestCode: nextCode,
              lastRequestCode: shipments,
              credentials,
            });
            nextCode += used;
            return metrics;
          },
        },
      ];
      const results = await measure(variants, ctx);
      const written = await database.db
        .selectFrom('order_shipment_event')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'ORDER_READY')
        .executeTakeFirstOrThrow();
      ctx.log(`${written.n} ORDER_READY events recorded`);
      return {
        variants: results,
        parameters: {
          database: 'PostgreSQL (server), a fresh database per run',
          poolSize: POOL_SIZE,
          subject:
            'POST /order/shipment/event, one element, ORDER_READY on a shipment of its own; SigV4 verified per request; event, status and outbox row in one autocommitted statement',
          baseline: 'bare Fastify POST, one INSERT … RETURNING into a table with an identity key, same pool size and database',
          preparedShipments: shipments,
          eventsRecorded: Number(written.n),
          signing: 'subject: aws4 per request in the load worker; baseline: unsigned',
          loadGenerator: 'autocannon in a worker thread of the same process',
        },
      };
    } finally {
      await orders?.close();
      await baseline?.app.close();
      await baseline?.pool.end();
      await database.close();
      await dropBenchDatabase(name);
    }
  },
};

export default scenario;
