import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { startSync, testEnv, type SyncUnderTest } from './support/sync.js';

const HOUR = 3_600_000;

for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: delivery series per flow`, () => {
    let handle: TestDatabase;
    let sync: SyncUnderTest;
    // Two whole hours before the current one: buckets fixed, whatever the time of the run.
    const start = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;

    beforeAll(async () => {
      handle = await target.create();
      sync = await startSync(handle.database, {}, testEnv({ SYNC_SOURCES: '' }), { background: false });
      const at = (ms: number) => new Date(start + ms);
      const delivery = (n: number, status: 'completed' | 'failed', createdMs: number, doneMs: number | null, errorMs: number | null) => ({
        event_id: `series-${n}`,
        entity_type: 'customer',
        entity_id: `c-${n}`,
        event_name: 'customer.updated',
        source_system: 'erp',
        target_system: n % 2 ? 'crm' : 'orders',
        operation_type: 'update' as const,
        sync_status: status,
        next_retry_at: at(createdMs),
        event_created_at: at(createdMs),
        created_at: at(createdMs),
        updated_at: at(createdMs),
        completed_at: doneMs === null ? null : at(doneMs),
        last_error_at: errorMs === null ? null : at(errorMs),
      });
      // erp→crm: two delivered in the first hour (lag 1 s and 3 s), one failed in the second.
      await sync.db
        .insertInto('sync_status')
        .values([
          delivery(1, 'completed', 60_000, 61_000, null),
          delivery(3, 'completed', 120_000, 123_000, null),
          delivery(5, 'failed', HOUR + 60_000, null, HOUR + 70_000),
          delivery(2, 'completed', HOUR + 10_000, HOUR + 10_500, null),
        ])
        .execute();
    });
    afterAll(async () => {
      await sync?.stop();
      await handle?.destroy();
    });

    it('answers each flow with one figure per bucket: delivered, failed and lag', async () => {
      const from = new Date(start).toISOString();
      const to = new Date(start + 2 * HOUR).toISOString();
      const response = await sync.call('GET', `/api/sync/series?from=${from}&to=${to}&bucketMinutes=60`);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.buckets).toEqual([from, new Date(start + HOUR).toISOString()]);
      expect(body.flows).toEqual([
        { source: 'erp', target: 'crm', delivered: [2, 0], failed: [0, 1], avgLagMs: [2000, null], maxLagMs: [3000, null] },
        { source: 'erp', target: 'orders', delivered: [0, 1], failed: [0, 0], avgLagMs: [null, 500], maxLagMs: [null, 500] },
      ]);
    });

    it('refuses a backwards window and one of too many buckets', async () => {
      const backwards = await sync.call('GET', `/api/sync/series?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`);
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json().code).toBe('TIME_RANGE_INVALID');
      const wide = await sync.call('GET', `/api/sync/series?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&bucketMinutes=1`);
      expect(wide.statusCode).toBe(400);
    });
  });
}
