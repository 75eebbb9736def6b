import { signedInject } from '@tributary/platform/testing';
import { JOB_RUN_TABLE, type SchedulerTables } from '@tributary/platform/scheduler';
import { asTables } from '@tributary/platform/db';
import { testDatabases } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, ok, outboxTypes, startWithMasters } from './harness.js';

const as = (h: Harness, roles: string[], method: 'GET' | 'POST', url: string) =>
  signedInject(h.app, { method, url, identity: { user: 'someone', roles } });

for (const target of testDatabases()) {
  describe(`${target.label}: erp scheduled jobs`, () => {
    let h: Harness;
    const runRows = () => asTables<SchedulerTables>(h.handle.database.db).selectFrom(JOB_RUN_TABLE).selectAll().execute();
    const settled = async (runId: string) => {
      let run: any;
      await expect
        .poll(async () => {
          const page = await ok(as(h, ['administrator'], 'GET', '/jobs/expiry-scan/runs?limit=100'));
          run = page.items.find((item: any) => item.id === runId);
          return run?.status;
        })
        .not.toBe('running');
      return run;
    };

    beforeAll(async () => {
      h = await startWithMasters(target, { PLANT_TIME_ZONE: 'Asia/Colombo', JOB_STOCK_OPTIMISATION_SCHEDULE: 'off' });
    });
    afterAll(async () => h.close());

    it('refuses callers without a signature (401) or an allowed role (403), and changes nothing', async () => {
      expect((await h.app.inject({ method: 'GET', url: '/jobs' })).statusCode).toBe(401);
      expect((await h.app.inject({ method: 'POST', url: '/jobs/expiry-scan/run' })).statusCode).toBe(401);
      for (const roles of [['analyst'], ['integration']]) {
        const list = await as(h, roles, 'GET', '/jobs');
        expect(list.statusCode).toBe(403);
        expect(list.json().code).toBe('ROLE_FORBIDDEN');
        expect((await as(h, roles, 'POST', '/jobs/expiry-scan/run')).statusCode).toBe(403);
        expect((await as(h, roles, 'GET', '/jobs/expiry-scan/runs')).statusCode).toBe(403);
      }
      expect(await runRows()).toEqual([]);
    });

    it('lists the jobs with their timing and next run in UTC and plant time', async () => {
      const { items } = await ok(as(h, ['manager'], 'GET', '/jobs'));
      expect(items.map((job: any) => job.name)).toEqual(['expiry-scan', 'segment-review', 'stock-optimisation', 'partition-maintenance']);
      // The harness clock is 2026-03-10 12:00 in Colombo: the next 06:00 there is tomorrow, 00:30 UTC.
      expect(items[0]).toEqual({
        name: 'expiry-scan',
        schedule: '0 6 * * *',
        timeZone: 'Asia/Colombo',
        nextRunAt: '2026-03-11T00:30:00.000Z',
        nextRunLocal: '2026-03-11T06:00:00+05:30',
        lastRun: null,
      });
      expect(items[2]).toMatchObject({ schedule: 'off', nextRunAt: null, nextRunLocal: null });
    });

    it('runs the expiry scan now: 202 with the run id, then the run, its summary and its event', async () => {
      await ok(
        h.call('POST', '/batches', {
          batch_id: 'J-CRIT',
          item: 'SWEET-1',
          warehouse: 'WH-A',
          qty: '2',
          manufacturing_date: '2026-03-01',
          expiry_date: '2026-03-14',
        }),
        201,
      );
      const accepted = await as(h, ['administrator'], 'POST', '/jobs/expiry-scan/run');
      expect(accepted.statusCode).toBe(202);
      const { runId } = accepted.json();
      const run = await settled(runId);
      expect(run).toMatchObject({ job: 'expiry-scan', trigger: 'manual', status: 'succeeded', error: null });
      expect(run.summary).toMatchObject({ alerted: 1, marked_expired: 0 });
      const stored = await h.handle.database.db
        .selectFrom('tabHD Batch Master')
        .select('last_alert_level')
        .where('name', '=', 'J-CRIT')
        .executeTakeFirst();
      expect(stored?.last_alert_level).toBe('Critical');
      expect(await outboxTypes(h)).toContain('job.succeeded');
      const { items } = await ok(as(h, ['manager'], 'GET', '/jobs'));
      expect(items[0].lastRun.id).toBe(runId);
    });

    it('answers 409 JOB_ALREADY_RUNNING while another replica holds a run, 404 for an unknown job', async () => {
      const now = h.clock.now();
      await asTables<SchedulerTables>(h.handle.database.db)
        .insertInto(JOB_RUN_TABLE)
        .values({
          id: '00000000-0000-4000-8000-000000000001',
          job: 'segment-review',
          scheduled_for: now - 1000,
          trigger: 'schedule',
          status: 'running',
          holder: 'erp@other-replica',
          lease_until: now + 60_000,
          started_at: now - 1000,
          finished_at: null,
          duration_ms: null,
          summary: null,
          error: null,
        })
        .execute();
      const busy = await as(h, ['manager'], 'POST', '/jobs/segment-review/run');
      expect(busy.statusCode).toBe(409);
      expect(busy.json()).toMatchObject({ code: 'JOB_ALREADY_RUNNING', details: { runId: '00000000-0000-4000-8000-000000000001' } });
      const missing = await as(h, ['manager'], 'POST', '/jobs/no-such-job/run');
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('JOB_NOT_FOUND');
      expect((await as(h, ['manager'], 'GET', '/jobs/no-such-job/runs')).statusCode).toBe(404);
      expect((await as(h, ['manager'], 'POST', '/jobs/Bad_Name/run')).statusCode).toBe(400);
      expect((await runRows()).filter((row) => row.job === 'segment-review')).toHaveLength(1);
    });

    it('pages the history newest first, without skipping or repeating a run', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        h.clock.advance(60_000);
        const { runId } = await ok(as(h, ['administrator'], 'POST', '/jobs/expiry-scan/run'), 202);
        await settled(runId);
        ids.push(runId);
      }
      const seen: string[] = [];
      let next: string | null = null;
      do {
        const page: any = await ok(
          as(h, ['manager'], 'GET', `/jobs/expiry-scan/runs?limit=2${next ? `&before=${encodeURIComponent(next)}` : ''}`),
        );
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item: any) => item.id));
        next = page.next;
      } while (next);
      // Four here plus the run of the test above, newest first.
      expect(seen.slice(0, 4)).toEqual([...ids].reverse());
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(5);
      expect((await as(h, ['manager'], 'GET', '/jobs/expiry-scan/runs?limit=0')).statusCode).toBe(400);
      expect((await as(h, ['manager'], 'GET', '/jobs/expiry-scan/runs?before=yesterday')).statusCode).toBe(400);
    });
  });
}
