import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import { Logger as GraphileLogger, run as runGraphileWorker, type Runner } from 'graphile-worker';
import { pino } from 'pino';
import { EventEnvelope } from '@tributary/contracts';
import { signRequest } from '@tributary/platform/auth';
import { systemClock } from '@tributary/platform/core';
import { createDatabase, inTransaction, sql, type Database } from '@tributary/platform/db';
import { cpuBetween, sampleCpu } from '../src/cpu.js';
import { benchDatabaseUrl, createBenchDatabase, dropBenchDatabase } from '../src/postgres.js';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import { applyOnceStatement, OutboxNotifier, outboxMigrations, registerOutboxRoute, writeEvents } from '@tributary/platform/outbox';
import { createServiceClient } from '@tributary/platform/resilience';
import { credentialsFor, keyringLookup, type BackgroundTask, type Keyring, type ServiceContext } from '@tributary/platform/service';
import { service as syncService } from '@tributary/sync/service';
import type { RoundMetrics, Scenario, ScenarioContext, VariantResult } from '../src/types.js';

/*
 * End-to-end lag of the sync service: commit in a source service's outbox → applied by the
 * target's POST /internal/events (applyOnce in the target's transaction), on PostgreSQL.
 *
 * Subject: the sync service (outbox long-poll collector → sync_events/sync_status in its own
 * database → SKIP LOCKED worker → signed delivery, ordered per aggregate).
 * Baseline: a graphile-worker pipeline doing the same delivery on the same PostgreSQL: the
 * source transaction writes its outbox row and calls graphile_worker.add_job (named queue per
 * aggregate, so it is ordered per aggregate too); a graphile-worker runner POSTs the same signed
 * envelope with the same Idempotency-Key to the same target.
 *
 * Loads: paced writers at 200 and 1,000 events/s for --duration seconds (lag p50/p99 per round;
 * "req/s" is the achieved apply rate), and a backlog of --duration × 2,000 events written as
 * fast as possible (max sustained events/s = events ÷ time from first commit to last apply;
 * p50/p99 are that run's lags, mostly queueing).
 */

const SCOPE = { region: 'us-east-1', service: 'execute-api' };
const KEYRING: Keyring = {
  keys: {
    TRBBENCHSYNC0000001: { secretAccessKey: 'bench-sync-secret-not-a-real-one', principal: 'sync' },
    TRBBENCHSRC00000001: { secretAccessKey: 'bench-source-secret-not-a-real-one', principal: 'source' },
  },
};
const AGGREGATES = 200;
const TICK_MS = 20;

function silent() {
  return pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));
}

/** Lags of applied events, by pipeline; the target fills it. */
class LagRecorder {
  private lags: number[] = [];
  private applied = 0;
  lastAppliedAt = 0;
  record(createdAt: number): void {
    const now = Date.now();
    this.lags.push(now - createdAt);
    this.applied += 1;
    this.lastAppliedAt = now;
  }
  get count(): number {
    return this.applied;
  }
  reset(): void {
    this.lags = [];
    this.applied = 0;
    this.lastAppliedAt = 0;
  }
  percentile(p: number): number {
    const sorted = [...this.lags].sort((a, b) => a - b);
    if (sorted.length === 0) return 0;
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  }
}

async function targetApp(database: Database, recorder: LagRecorder): Promise<HttpApp> {
  await migrateToLatest(database, outboxMigrations);
  await sql`create table applied (event_id varchar(64) primary key, aggregate_id varchar(200) not null, created_at bigint not null, applied_at bigint not null)`.execute(
    database.db,
  );
  const app = await createHttpApp({ name: 'bench-target', logger: silent(), auth: { ...SCOPE, lookup: keyringLookup(KEYRING) } });
  app.post(
    '/internal/events',
    { schema: { body: EventEnvelope, response: { 200: Type.Object({ status: Type.String() }) } } },
    async (request) => {
      const envelope = request.body as EventEnvelope;
      // The inbox row and the applied row in one statement: one round trip where begin, the two
      // inserts and commit took four, with the same exactly-once guarantee (applyOnceStatement).
      const result = await applyOnceStatement(
        database.db,
        envelope.id,
        sql`insert into applied (event_id, aggregate_id, created_at, applied_at)
            select event_id, ${envelope.aggregateId}, ${envelope.createdAt}, ${Date.now()} from claimed`,
        { source: envelope.source },
      );
      if (result.applied) recorder.record(envelope.createdAt);
      return { status: result.applied ? 'applied' : 'duplicate' };
    },
  );
  return app;
}

interface Pipeline {
  name: string;
  role: 'baseline' | 'subject';
  /** One source transaction with these events. */
  write(events: { aggregateId: string; n: number }[]): Promise<void>;
}

async function paced(pipeline: Pipeline, rate: number, seconds: number, start: number): Promise<number> {
  const perTick = (rate * TICK_MS) / 1000;
  const ticks = Math.round((seconds * 1000) / TICK_MS);
  let written = 0;
  let owed = 0;
  const began = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let tick = 0; tick < ticks; tick++) {
    owed += perTick;
    const count = Math.floor(owed);
    owed -= count;
    if (count > 0) {
      const events = Array.from({ length: count }, (_, k) => ({
        aggregateId: `agg-${(start + written + k) % AGGREGATES}`,
        n: start + written + k,
      }));
      written += count;
      inFlight.push(pipeline.write(events));
    }
    const wait = began + (tick + 1) * TICK_MS - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await Promise.all(inFlight);
  return written;
}

async function flood(pipeline: Pipeline, total: number, start: number): Promise<void> {
  let next = 0;
  const writer = async () => {
    while (next < total) {
      const from = next;
      next += 100;
      const events = Array.from({ length: Math.min(100, total - from) }, (_, k) => ({
        aggregateId: `agg-${(start + from + k) % AGGREGATES}`,
        n: start + from + k,
      }));
      await pipeline.write(events);
    }
  };
  await Promise.all([writer(), writer(), writer(), writer()]);
}

async function drained(recorder: LagRecorder, expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (recorder.count < expected) {
    if (Date.now() > deadline) throw new Error(`only ${recorder.count} of ${expected} events were applied in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const scenario: Scenario = {
  name: 'sync',
  description:
    'Outbox commit → applied in the target: the sync service vs a graphile-worker pipeline, lag at 200 and 1,000 events/s and max events/s (PostgreSQL)',
  async run(ctx: ScenarioContext) {
    const stamp = Date.now().toString(36);
    const names = { source: `bench_sync_src_${stamp}`, target: `bench_sync_tgt_${stamp}`, sync: `bench_sync_db_${stamp}` };
    for (const name of Object.values(names)) await createBenchDatabase(name);
    const opened: Database[] = [];
    const open = async (name: string) => {
      const database = await createDatabase(benchDatabaseUrl(name), { poolSize: 20 });
      opened.push(database);
      return database;
    };
    const recorder = new LagRecorder();
    let background: BackgroundTask | undefined;
    let graphile: Runner | undefined;
    const apps: HttpApp[] = [];
    try {
      const sourceDb = await open(names.source);
      await migrateToLatest(sourceDb, outboxMigrations);
      await sql`create table gw_outbox (position bigserial primary key, id varchar(36) not null unique, aggregate_type varchar(100) not null,
                aggregate_id varchar(200) not null, type varchar(200) not null, payload text not null, created_at bigint not null)`.execute(
        sourceDb.db,
      );
      const notifier = new OutboxNotifier();
      const sourceApp = await createHttpApp({ name: 'bench-source', logger: silent(), auth: { ...SCOPE, lookup: keyringLookup(KEYRING) } });
      registerOutboxRoute(sourceApp, { db: sourceDb.db, wake: notifier.wait });
      apps.push(sourceApp);
      const sourceUrl = await sourceApp.listen({ host: '127.0.0.1', port: 0 });
      const target = await targetApp(await open(names.target), recorder);
      apps.push(target);
      const targetUrl = await target.listen({ host: '127.0.0.1', port: 0 });

      // The sync service, as `tributary up` runs it: migrations, app, background.
      const syncDb = await open(names.sync);
      const context: ServiceContext = {
        name: 'sync',
        database: syncDb,
        logger: silent(),
        clock: systemClock,
        keyring: KEYRING,
        credentials: credentialsFor(KEYRING, 'sync'),
        scope: SCOPE,
        peers: { src: sourceUrl, tgt: targetUrl },
        env: {
          SYNC_SOURCES: 'src',
          SYNC_WORKER_CONCURRENCY: '64',
          SYNC_TARGET_CONCURRENCY: '64',
          SYNC_POLL_INTERVAL_MS: '50',
          SYNC_FEED_WAIT_MS: '10000',
        },
      };
      await migrateToLatest(syncDb, syncService.migrations);
      // One instance: the app and the workers share the route cache and the wake-up.
      const shared = syncService.deps?.(context);
      const syncApp = (await syncService.buildApp(context, shared)) as HttpApp;
      apps.push(syncApp);
      const body = JSON.stringify({
        config_name: 'bench_src_to_tgt',
        source_system: 'src',
        target_system: 'tgt',
        configuration: { eventTypes: ['*'], target: { kind: 'service', service: 'tgt' } },
        max_retries: 20,
        retry_delay_seconds: 0.1,
      });
      const headers = await signRequest(
        { method: 'POST', url: 'http://localhost/api/sync/configurations', headers: { 'content-type': 'application/json' }, body },
        credentialsFor(KEYRING, 'source'),
        SCOPE,
      );
      const created = await syncApp.inject({ method: 'POST', url: '/api/sync/configurations', headers, payload: body });
      if (created.statusCode !== 201) throw new Error(`creating the configuration failed: ${created.body}`);
      background = await syncService.startBackground!(context, shared);

      // The graphile-worker pipeline on the source database.
      const client = createServiceClient({
        name: 'bench-target',
        baseUrl: targetUrl,
        credentials: credentialsFor(KEYRING, 'sync'),
        scope: SCOPE,
        timeoutMs: 10_000,
        connections: 64,
      });
      graphile = await runGraphileWorker({
        connectionString: benchDatabaseUrl(names.source),
        concurrency: 64,
        // The same pool size as the sync service's database handle.
        maxPoolSize: 20,
        noHandleSignals: true,
        pollInterval: 1000,
        logger: new GraphileLogger(() => () => undefined),
        taskList: {
          deliver: async (payload) => {
            const envelope = payload as EventEnvelope;
            const response = await client.request({
              method: 'POST',
              path: '/internal/events',
              body: envelope,
              idempotencyKey: envelope.id,
            });
            if (response.status !== 200) throw new Error(`target answered ${response.status}`);
          },
        },
      });

      const syncPipeline: Pipeline = {
        name: 'sync service',
        role: 'subject',
        async write(events) {
          await inTransaction(sourceDb.db, (trx) =>
            writeEvents(
              trx,
              events.map((event) => ({
                aggregateType: 'bag',
                aggregateId: event.aggregateId,
                type: 'bag.weighed',
                payload: { n: event.n },
              })),
            ),
          );
          notifier.notify();
        },
      };
      const graphileWriter = (ordered: boolean) => async (events: { aggregateId: string; n: number }[]) => {
        await inTransaction(sourceDb.db, async (trx) => {
          const createdAt = Date.now();
          for (const event of events) {
            const id = randomUUID();
            // The same outbox row as the sync pipeline writes, in a twin table the sync collector does not read.
            await sql`insert into gw_outbox (id, aggregate_type, aggregate_id, type, payload, created_at)
                      values (${id}, 'bag', ${event.aggregateId}, 'bag.weighed', ${JSON.stringify({ n: event.n })}, ${createdAt})`.execute(
              trx,
            );
            const envelope: EventEnvelope = {
              id,
              source: 'src',
              aggregateType: 'bag',
              aggregateId: event.aggregateId,
              type: 'bag.weighed',
              payload: { n: event.n },
              createdAt,
            };
            if (ordered)
              await sql`select graphile_worker.add_job('deliver', ${JSON.stringify(envelope)}::json, queue_name => ${event.aggregateId})`.execute(
                trx,
              );
            else await sql`select graphile_worker.add_job('deliver', ${JSON.stringify(envelope)}::json)`.execute(trx);
          }
        });
      };
      const graphilePipeline: Pipeline = { name: 'graphile-worker', role: 'baseline', write: graphileWriter(true) };
      // For reference only: without a queue per aggregate graphile-worker gives no order at all.
      const unorderedPipeline: Pipeline = { name: 'graphile-worker, unordered', role: 'subject', write: graphileWriter(false) };
      // BENCH_SYNC_PIPELINES=sync (or graphile, unordered, comma-separated) runs only those, e.g. under a profiler.
      const only = process.env.BENCH_SYNC_PIPELINES?.split(',').map((name) => name.trim());
      const named = { graphile: graphilePipeline, sync: syncPipeline, unordered: unorderedPipeline };
      const pipelines = only ? only.map((name) => named[name as keyof typeof named]).filter((p) => p !== undefined) : Object.values(named);
      const loads: { label: string; rate?: number }[] = [
        { label: '200 ev/s', rate: 200 },
        { label: '1,000 ev/s', rate: 1000 },
        { label: 'max' },
      ];
      const results = new Map<string, VariantResult>();
      // CPU ms per event, this process and each database's backends: stable where wall time is not.
      const cpuPerEvent = new Map<string, Record<string, number>[]>();
      let counter = 0;
      const measure = async (pipeline: Pipeline, load: (typeof loads)[number]) => {
        recorder.reset();
        const start = counter;
        const cpuBefore = await sampleCpu(Object.values(names));
        const began = Date.now();
        let expected: number;
        if (load.rate !== undefined) {
          expected = await paced(pipeline, load.rate, ctx.duration, start);
        } else {
          expected = ctx.duration * 2000;
          await flood(pipeline, expected, start);
        }
        counter += expected;
        await drained(recorder, expected, 300_000);
        const seconds = (recorder.lastAppliedAt - began) / 1000;
        const cpu = cpuBetween(cpuBefore, await sampleCpu(Object.values(names)));
        const round: RoundMetrics = {
          rps: expected / seconds,
          p50: recorder.percentile(50),
          p99: recorder.percentile(99),
          requests: expected,
        };
        const key = `${pipeline.name} @ ${load.label}`;
        const variant = results.get(key) ?? {
          name: key,
          role: pipeline.role === 'baseline' && load.label === 'max' ? 'baseline' : 'subject',
          rounds: [],
        };
        variant.rounds.push(round);
        results.set(key, variant);
        const perEvent = (ms: number) => Number((ms / expected).toFixed(3));
        const cost = {
          node: perEvent(cpu.nodeMs),
          ...(cpu.databases
            ? Object.fromEntries(Object.entries(names).map(([role, name]) => [role, perEvent(cpu.databases![name]!)]))
            : {}),
        };
        cpuPerEvent.set(key, [...(cpuPerEvent.get(key) ?? []), cost]);
        ctx.log(
          `${key}: ${round.rps.toFixed(0)} ev/s applied, lag p50 ${round.p50} ms, p99 ${round.p99} ms (${expected} events); ` +
            `CPU ms/event ${Object.entries(cost)
              .map(([part, ms]) => `${part} ${ms}`)
              .join(', ')}`,
        );
      };

      const warm = async () => {
        for (const pipeline of pipelines) await measure(pipeline, { label: 'warmup', rate: 200 });
        results.clear();
        cpuPerEvent.clear();
      };
      if (ctx.warmup > 0) await warm();
      for (let round = 0; round < ctx.rounds; round++) {
        for (const load of loads) {
          const order = round % 2 === 0 ? pipelines : [...pipelines].reverse();
          // Rounds are interleaved and the starting pipeline alternates, so machine drift lands on all.
          for (const pipeline of order) await measure(pipeline, load);
        }
      }
      const variants = [...results.values()];
      // Without the graphile baseline (a partial run), the first pipeline's max load stands in.
      if (!variants.some((variant) => variant.role === 'baseline')) {
        const standIn = variants.find((variant) => variant.name.endsWith('@ max')) ?? variants[0];
        if (standIn) standIn.role = 'baseline';
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const comparisons = Object.fromEntries(
        loads.map((load) => {
          const gw = results.get(`graphile-worker @ ${load.label}`);
          const sy = results.get(`sync service @ ${load.label}`);
          if (!gw || !sy) return [load.label, null];
          return [
            load.label,
            {
              syncP50: median(sy.rounds.map((r) => r.p50)),
              syncP99: median(sy.rounds.map((r) => r.p99)),
              graphileP50: median(gw.rounds.map((r) => r.p50)),
              graphileP99: median(gw.rounds.map((r) => r.p99)),
              p99Ratio: median(sy.rounds.map((r) => r.p99)) / Math.max(1, median(gw.rounds.map((r) => r.p99))),
              throughputRatio: median(sy.rounds.map((r) => r.rps)) / median(gw.rounds.map((r) => r.rps)),
            },
          ];
        }),
      );
      return {
        variants,
        parameters: {
          database: 'PostgreSQL (BENCH_POSTGRES_URL or TEST_POSTGRES_URL), one database each for source, target and sync',
          aggregates: AGGREGATES,
          orderedPerAggregate:
            'sync (head-of-line per aggregate) and the graphile-worker baseline (named queue per aggregate); the "unordered" graphile variant is for reference',
          lag: 'ms from the source transaction (outbox created_at) to the target having committed the apply',
          reqPerSecond: 'events applied per second over the run (paced loads: the offered rate if it keeps up)',
          maxLoad: `${ctx.duration * 2000} events written by 4 writers in transactions of 100, as fast as possible`,
          syncSettings: context.env,
          graphileSettings: {
            concurrency: 64,
            maxPoolSize: 20,
            pollInterval: 1000,
            queue: 'per aggregate',
            addJob: 'graphile_worker.add_job in the source transaction',
          },
          baseline: 'graphile-worker @ max',
          comparisons,
          cpuMsPerEvent: Object.fromEntries(cpuPerEvent),
          cpuNote:
            'CPU ms per event over a load from first write to last apply: node = this whole process (source, sync, target, load), source/sync/target = the PostgreSQL backends of each database (null when the server is not local)',
        },
      };
    } finally {
      await graphile?.stop().catch(() => undefined);
      await background?.stop().catch(() => undefined);
      for (const app of apps) await app.close().catch(() => undefined);
      for (const database of opened) await database.close().catch(() => undefined);
      for (const name of Object.values(names)) await dropBenchDatabase(name).catch(() => undefined);
    }
  },
};
export default scenario;
