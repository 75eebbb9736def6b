import { beforeAll, describe, expect, it } from 'vitest';
import { signedInject, testDatabases } from '@tributary/platform/testing';
import { captureEvents } from '../src/features/capture/capture.service.js';
import { toIncoming } from '../src/features/capture/collector.js';
import { complete as completeDeliveries, releaseExpiredLeases } from '../src/features/queue/index.js';
import { DeliveryWorker } from '../src/features/delivery/worker.js';
import { Targets } from '../src/features/delivery/targets.js';
import { settleEvents } from '../src/features/maintenance/maintenance.js';
import { writeMetricWindow } from '../src/features/metrics/windows.js';
import type { SourceService, TargetService } from './support/peers.js';
import { usePipeline } from './support/pipeline.js';
import { eventually, routeConfig, type SyncUnderTest } from './support/sync.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: capture and delivery`, () => {
    const pipeline = usePipeline(target, (source, consumer) => ({ src: source.url, tgt: consumer.url, tgt2: consumer.url }));
    let source: SourceService;
    let consumer: TargetService;
    let sync: SyncUnderTest;

    beforeAll(async () => {
      ({ source, consumer, sync } = pipeline.started());
      const created = await sync.call('POST', '/api/sync/configurations', routeConfig('src_items_to_tgt', {}, { eventTypes: ['item.*'] }));
      expect(created.statusCode).toBe(201);
      await sync.startBackground();
    });

    const appliedFor = async (prefix: string) => (await consumer.applied()).filter((row) => row.aggregate_id.startsWith(prefix));

    function expectOrderedOnce(rows: { event_id: string; aggregate_id: string; n: number | null }[], ids: string[]) {
      expect(rows.map((row) => row.event_id).sort()).toEqual([...ids].sort());
      const byAggregate = new Map<string, number[]>();
      for (const row of rows) byAggregate.set(row.aggregate_id, [...(byAggregate.get(row.aggregate_id) ?? []), row.n!]);
      for (const sequence of byAggregate.values()) expect(sequence).toEqual([...sequence].sort((x, y) => x - y));
    }

    it('collects the outbox feed in order and applies every event once, in order per aggregate', async () => {
      const events = Array.from({ length: 200 }, (_, i) => ({
        aggregateType: 'item',
        aggregateId: `ord-${i % 10}`,
        type: 'item.changed',
        payload: { n: i },
      }));
      const ids: string[] = [];
      for (let i = 0; i < events.length; i += 20) ids.push(...(await source.write(events.slice(i, i + 20))));
      // 200 events through capture and delivery: on an embedded database under a loaded CI this takes a while.
      await eventually(async () => expect((await appliedFor('ord-')).length).toBe(200), 150_000);
      expectOrderedOnce(await appliedFor('ord-'), ids);
      const cursor = await sync.db.selectFrom('sync_source_cursors').selectAll().where('source', '=', 'src').executeTakeFirstOrThrow();
      expect(Number(cursor.events_seen)).toBeGreaterThanOrEqual(200);
      // The target commits before the sync records the completion: wait for the bookkeeping too.
      await eventually(async () => {
        const statuses = await sync.db.selectFrom('sync_status').select('sync_status').where('event_id', 'in', ids).execute();
        expect(statuses.every((row) => row.sync_status === 'completed')).toBe(true);
      });
      // Maintenance settles the log: processed, by which targets.
      await settleEvents(sync.db, new Date());
      const logged = await sync.db
        .selectFrom('sync_events')
        .select(['processing_status', 'processed_by_services', 'target_services'])
        .where('event_id', 'in', ids)
        .execute();
      expect(logged).toHaveLength(200);
      expect(logged.every((row) => row.processing_status === 'processed')).toBe(true);
      expect(logged[0]).toMatchObject({ processed_by_services: ['tgt'], target_services: ['tgt'] });
    }, 240_000);

    it('stores the same event once when it arrives twice (re-read feed, duplicate capture)', async () => {
      const ids = await source.write([{ aggregateType: 'item', aggregateId: 'dup-1', type: 'item.changed', payload: { n: 1 } }]);
      await eventually(async () => expect((await appliedFor('dup-')).length).toBe(1));
      // The collector's page again, as after a crash between delivery and cursor: nothing new.
      const page = await fetchAll(source, ids[0]!);
      const again = await captureEvents(
        sync.deps.capture,
        'src',
        page.map((event) => toIncoming('src', event)),
      );
      expect(again).toMatchObject({ captured: 0, duplicates: 1, deliveries: 0 });
      const stored = await sync.db.selectFrom('sync_status').select('id').where('event_id', '=', ids[0]!).execute();
      expect(stored).toHaveLength(1);
      // And the target, sent the same event again by hand, does not apply it twice.
      expect((await appliedFor('dup-')).length).toBe(1);
    });

    it('delivers exactly once in effect when the target is down for a while', async () => {
      consumer.mode = 'down';
      const ids = await source.write(
        Array.from({ length: 30 }, (_, i) => ({
          aggregateType: 'item',
          aggregateId: `down-${i % 3}`,
          type: 'item.changed',
          payload: { n: i },
        })),
      );
      await eventually(async () => {
        const retried = await sync.db
          .selectFrom('sync_status')
          .select('retry_count')
          .where('event_id', 'in', ids)
          .where('retry_count', '>', 0)
          .execute();
        expect(retried.length).toBeGreaterThan(0);
      });
      // Each refused attempt is a failure the hourly alert counts.
      const scrape = await signedInject(sync.app, { method: 'GET', url: '/metrics' });
      expect(scrape.body).toMatch(/^sync_delivery_failures_total\{target="tgt",kind="retryable",service="sync"\} [1-9]/m);
      consumer.mode = 'up';
      await eventually(async () => expect((await appliedFor('down-')).length).toBe(30));
      expectOrderedOnce(await appliedFor('down-'), ids);
      await eventually(async () => {
        const rows = await sync.db.selectFrom('sync_status').select('sync_status').where('event_id', 'in', ids).execute();
        expect(rows.every((row) => row.sync_status === 'completed')).toBe(true);
      });
    });

    it('redelivers a killed worker’s claims after the lease, applying each event once', async () => {
      const deps = sync.deps;
      consumer.delayMs = 400;
      // A second worker with its own id claims alongside the running one, then dies mid-batch.
      const doomed = new DeliveryWorker(
        {
          db: sync.db,
          clock: sync.context.clock,
          routes: deps.routes,
          targets: new Targets({
            peers: sync.context.peers,
            credentials: sync.context.credentials,
            scope: sync.context.scope,
            timeoutMs: 5000,
            breakerOpenMs: 100,
          }),
          conflicts: deps.conflicts,
          logger: sync.context.logger,
        },
        { workerId: 'doomed', concurrency: 16, targetConcurrency: 16, leaseMs: 800, pollIntervalMs: 10, retryCapMs: 1000 },
      );
      doomed.start();
      const ids = await source.write(
        Array.from({ length: 40 }, (_, i) => ({
          aggregateType: 'item',
          aggregateId: `kill-${i % 20}`,
          type: 'item.changed',
          payload: { n: i },
        })),
      );
      await eventually(
        async () => {
          const held = await sync.db.selectFrom('sync_status').select('id').where('lease_owner', '=', 'doomed').execute();
          expect(held.length).toBeGreaterThan(0);
        },
        10_000,
        5,
      );
      await doomed.crash();
      consumer.delayMs = 0;
      await eventually(async () => expect((await appliedFor('kill-')).length).toBe(40));
      expectOrderedOnce(await appliedFor('kill-'), ids);
      await eventually(async () => {
        const rows = await sync.db.selectFrom('sync_status').select('sync_status').where('event_id', 'in', ids).execute();
        expect(rows.every((row) => row.sync_status === 'completed')).toBe(true);
      });
    });

    it('parks exhausted deliveries as failed and replays them on request, keeping the aggregate’s order', async () => {
      const created = await sync.call(
        'POST',
        '/api/sync/configurations',
        routeConfig(
          'src_fragile_to_tgt2',
          { target_system: 'tgt2', max_retries: 2 },
          { eventTypes: ['fragile.*'], target: { kind: 'service', service: 'tgt2' } },
        ),
      );
      expect(created.statusCode).toBe(201);
      consumer.failing.add('fragile-1');
      const ids = await source.write([
        { aggregateType: 'item', aggregateId: 'fragile-1', type: 'fragile.changed', payload: { n: 1 } },
        { aggregateType: 'item', aggregateId: 'fragile-1', type: 'fragile.changed', payload: { n: 2 } },
      ]);
      const dead = await eventually(async () => {
        const response = await sync.call('GET', '/api/sync/dead-letters?target=tgt2');
        expect(response.statusCode).toBe(200);
        expect(response.json().items.map((row: any) => row.event_id)).toEqual([ids[0]]);
        return response.json().items[0];
      });
      expect(dead.retry_count).toBe(3);
      // The second event waits behind the parked first one.
      const second = await sync.db
        .selectFrom('sync_status')
        .select(['sync_status', 'retry_count'])
        .where('event_id', '=', ids[1]!)
        .executeTakeFirstOrThrow();
      expect(second).toEqual({ sync_status: 'pending', retry_count: 0 });
      consumer.failing.delete('fragile-1');
      const replay = await sync.call('POST', `/api/sync/status/${dead.sync_id}/replay`);
      expect(replay.statusCode).toBe(200);
      await eventually(async () => expect((await appliedFor('fragile-')).map((row) => row.n)).toEqual([1, 2]));
      const notReplayable = await sync.call('POST', `/api/sync/status/${dead.sync_id}/replay`);
      expect(notReplayable.statusCode).toBe(409);
      expect(notReplayable.json().code).toBe('SYNC_STATUS_NOT_REPLAYABLE');
    });

    it('counts a lost lease as an attempt: a poison delivery ends up parked, and a late success still completes it', async () => {
      const row = await sync.db
        .selectFrom('sync_status')
        .select(['id', 'max_retries'])
        .where('entity_id', '=', 'ord-3')
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const past = new Date(Date.now() - 60_000);
      await sync.db
        .updateTable('sync_status')
        .set({ sync_status: 'in_progress', lease_owner: 'ghost', lease_expires_at: past, retry_count: row.max_retries })
        .where('id', '=', row.id)
        .execute();
      expect(await releaseExpiredLeases(sync.db, new Date())).toBeGreaterThanOrEqual(1);
      const parked = await sync.db.selectFrom('sync_status').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      expect(parked).toMatchObject({
        sync_status: 'failed',
        lease_owner: null,
        last_error_details: { code: 'SYNC_LEASE_EXPIRED', worker: 'ghost' },
      });
      // The "dead" worker had in fact delivered: its completion still lands.
      expect(
        await completeDeliveries(sync.db, [
          { id: row.id, round: 0, durationMs: 5, completedAt: new Date(), ack: 'applied', transformed: null },
        ]),
      ).toBe(1);
      expect(
        (await sync.db.selectFrom('sync_status').select('sync_status').where('id', '=', row.id).executeTakeFirstOrThrow()).sync_status,
      ).toBe('completed');
    });

    it('runs three workers at once without delivering anything twice', async () => {
      const deps = sync.deps;
      // Three workers of our own with leases longer than the test (the background one's is short,
      // and on a busy machine an expired lease is a legitimate redelivery, not a double claim).
      await sync.background!.worker!.stop();
      const extra = ['w-a', 'w-b', 'w-c'].map(
        (workerId) =>
          new DeliveryWorker(
            {
              db: sync.db,
              clock: sync.context.clock,
              routes: deps.routes,
              targets: new Targets({
                peers: sync.context.peers,
                credentials: sync.context.credentials,
                scope: sync.context.scope,
                timeoutMs: 60_000,
                breakerOpenMs: 100,
              }),
              conflicts: deps.conflicts,
              logger: sync.context.logger,
            },
            // A lease far longer than the test: any second delivery would be a double claim, not a recovery.
            // A worker wakes itself when a delivery ends; the poll only finds new rows, and three
            // idle workers polling every 5 ms kept an embedded database (one connection) too busy
            // to deliver on a loaded machine.
            { workerId, concurrency: 8, targetConcurrency: 8, leaseMs: 600_000, pollIntervalMs: 50, retryCapMs: 1000 },
          ),
      );
      for (const worker of extra) worker.start();
      const receivedBefore = consumer.received;
      const ids = await source.write(
        Array.from({ length: 150 }, (_, i) => ({
          aggregateType: 'item',
          aggregateId: `multi-${i % 50}`,
          type: 'item.changed',
          payload: { n: i },
        })),
      );
      // As long as the 200 events above may take on an embedded database under a loaded CI.
      await eventually(async () => expect((await appliedFor('multi-')).length).toBe(150), 150_000);
      await Promise.all(extra.map((worker) => worker.stop()));
      expectOrderedOnce(await appliedFor('multi-'), ids);
      expect(consumer.received - receivedBefore).toBe(150);
    }, 240_000);

    it('reports lag, throughput and queue figures', async () => {
      const health = await sync.call('GET', '/api/sync/health');
      expect(health.statusCode).toBe(200);
      const body = health.json();
      expect(body.sources.find((s: any) => s.source === 'src')).toMatchObject({
        eventsSeen: expect.any(Number),
        msBehindSource: expect.any(Number),
      });
      expect(body.flows.some((flow: any) => flow.target_system === 'tgt' && Number(flow.completed_syncs) > 0)).toBe(true);
      const metrics = await signedInject(sync.app, { method: 'GET', url: '/metrics' });
      expect(metrics.body).toContain('sync_behind_source_seconds{');
      expect(metrics.body).toMatch(/sync_deliveries_total\{[^}]*outcome="delivered"[^}]*\} \d+/);
      expect(metrics.body).toContain('sync_queue_depth');
      // A metric window over the last minute has this flow's throughput, latency and error rate.
      const now = Date.now();
      await writeMetricWindow(sync.db, new Date(now - 600_000), new Date(now + 1000), new Date(now));
      const windows = await sync.call('GET', '/api/sync/metrics?source=src&target=tgt');
      const types = new Set(windows.json().items.map((row: any) => row.metric_type));
      expect([...types].sort()).toEqual(['data_quality', 'error_rate', 'latency', 'throughput']);
      const quality = windows
        .json()
        .items.find((row: any) => row.metric_type === 'data_quality' && row.window_start === new Date(now - 600_000).toISOString());
      expect(Number(quality.completeness_percentage)).toBe(100);
      const mine = new Date(now - 600_000).toISOString();
      const throughput = windows.json().items.find((row: any) => row.metric_type === 'throughput' && row.window_start === mine);
      expect(Number(throughput.successful_records)).toBeGreaterThan(0);
      expect(throughput.metric_unit).toBe('records/second');
      const lag = await sync.call('GET', '/api/sync/metrics?type=lag&source=src');
      expect(lag.json().items[0]).toMatchObject({ metric_unit: 'milliseconds', target_system: '*' });
    });
  });
}

async function fetchAll(source: SourceService, id: string) {
  const { readOutbox } = await import('@tributary/platform/outbox');
  const page = await readOutbox(source.database.db, '0', 1000);
  return page.events.filter((event) => event.id === id);
}
