import { asTables } from '@tributary/platform/db';
import type { OutboxTables } from '@tributary/platform/outbox';
import { localIso } from '@tributary/platform/scheduler';
import { signedInject, testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSyncSettings } from '../src/config.js';
import { eventually, routeConfig, startSync, testEnv, type SyncUnderTest } from './support/sync.js';

describe('sync time zone and job settings', () => {
  it('reads batch schedules in SYNC_TIME_ZONE, else PLANT_TIME_ZONE, else Asia/Colombo, and refuses a bad zone by name', () => {
    expect(loadSyncSettings({}).timeZone).toBe('Asia/Colombo');
    expect(loadSyncSettings({ PLANT_TIME_ZONE: 'Asia/Dhaka' }).timeZone).toBe('Asia/Dhaka');
    expect(loadSyncSettings({ PLANT_TIME_ZONE: 'Asia/Dhaka', SYNC_TIME_ZONE: 'UTC' }).timeZone).toBe('UTC');
    expect(() => loadSyncSettings({ SYNC_TIME_ZONE: 'Moon/Base' })).toThrow(/SYNC_TIME_ZONE/);
    expect(() => loadSyncSettings({ JOB_RETENTION_SCHEDULE: 'hourly' })).toThrow(/JOB_RETENTION_SCHEDULE/);
    expect(loadSyncSettings({ JOB_RETENTION_SCHEDULE: 'off' }).jobs.find((job) => job.name === 'retention')?.schedule).toBeNull();
  });
});

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: sync scheduled jobs`, () => {
    let handle: TestDatabase;
    let sync: SyncUnderTest;
    const as = (roles: string[], method: 'GET' | 'POST', url: string) =>
      signedInject(sync.app, { method, url, identity: { user: 'u', roles } });

    beforeAll(async () => {
      handle = await target.create();
      // A target the batch configuration may name; nothing is delivered to it here.
      sync = await startSync(handle.database, { tgt: 'http://127.0.0.1:9' }, testEnv());
    });
    afterAll(async () => {
      await sync?.stop();
      await handle?.destroy();
    });

    it('runs partition upkeep and retention as jobs at start (the latest hour), with their events', async () => {
      const jobs = await eventually(async () => {
        const { items } = (await sync.call('GET', '/jobs')).json();
        expect(items.map((job: any) => [job.name, job.lastRun?.status])).toEqual([
          ['partition-maintenance', 'succeeded'],
          ['retention', 'succeeded'],
        ]);
        return items;
      });
      expect(jobs[0]).toMatchObject({ schedule: '5 * * * *', timeZone: 'Asia/Colombo', lastRun: { trigger: 'schedule' } });
      expect(jobs[1].lastRun.summary).toEqual({ statuses: 0, metrics: 0, eventIds: 0 });
      const events = await asTables<OutboxTables>(sync.db)
        .selectFrom('outbox')
        .select(['type', 'aggregate_id'])
        .orderBy('position')
        .execute();
      expect(events).toEqual(
        expect.arrayContaining([
          { type: 'job.succeeded', aggregate_id: 'sync:partition-maintenance' },
          { type: 'job.succeeded', aggregate_id: 'sync:retention' },
        ]),
      );
    });

    it('lets administrators only see and run jobs', async () => {
      expect((await sync.app.inject({ method: 'GET', url: '/jobs' })).statusCode).toBe(401);
      const refused = await as(['integration'], 'POST', '/jobs/retention/run');
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('SYNC_ROLE_FORBIDDEN');
      expect((await as(['integration'], 'GET', '/jobs/retention/runs')).statusCode).toBe(403);
      const before = (await as(['administrator'], 'GET', '/jobs/retention/runs')).json().items.length;
      const accepted = await as(['administrator'], 'POST', '/jobs/retention/run');
      expect(accepted.statusCode).toBe(202);
      await eventually(async () => {
        const { items } = (await as(['administrator'], 'GET', '/jobs/retention/runs?limit=10')).json();
        expect(items).toHaveLength(before + 1);
        expect(items[0]).toMatchObject({ id: accepted.json().runId, trigger: 'manual', status: 'succeeded' });
      });
    });

    it('releases a daily batch configuration at 02:00 plant time, not 02:00 UTC', async () => {
      const created = await sync.call('POST', '/api/sync/configurations', routeConfig('nightly_prices', { sync_frequency: 'daily' }));
      expect(created.statusCode, JSON.stringify(created.json())).toBe(201);
      await sync.background!.scheduler!.refresh();
      const next = sync.background!.scheduler!.nextRuns().get(created.json().config_id);
      expect(next).toBeInstanceOf(Date);
      expect(localIso(next!, 'Asia/Colombo')).toMatch(/T02:00:00\+05:30$/);
      expect(next!.toISOString()).toMatch(/T20:30:00\.000Z$/);
    });
  });
}
