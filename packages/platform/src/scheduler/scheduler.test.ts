import { Registry } from 'prom-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { asTables } from '../db/schema.js';
import { migrateToLatest, type Migration } from '../migrate/migrate.js';
import { readOutbox } from '../outbox/feed.js';
import { outboxMigrations } from '../outbox/index.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { jobTimings, withTimings } from './config.js';
import type { Job, JobContext } from './job.js';
import { JOB_RUN_TABLE, schedulerMigration, type SchedulerTables } from './migration.js';
import { Scheduler } from './scheduler.js';

describe('job timings from the environment', () => {
  const defaults = [{ name: 'expiry-scan', schedule: '0 6 * * *' }];

  it('defaults to the job schedule in the plant zone, and takes JOB_<NAME>_* over them', () => {
    expect(jobTimings({}, defaults, 'Asia/Colombo')).toEqual([{ name: 'expiry-scan', schedule: '0 6 * * *', timeZone: 'Asia/Colombo' }]);
    const env = { JOB_EXPIRY_SCAN_SCHEDULE: '15 5 * * 1-5', JOB_EXPIRY_SCAN_TIME_ZONE: 'Europe/London' };
    expect(jobTimings(env, defaults, 'Asia/Colombo')).toEqual([
      { name: 'expiry-scan', schedule: '15 5 * * 1-5', timeZone: 'Europe/London' },
    ]);
    expect(jobTimings({ JOB_EXPIRY_SCAN_SCHEDULE: 'off' }, defaults, 'Asia/Colombo')[0]!.schedule).toBeNull();
  });

  it('refuses a bad cron or zone, naming the variable', () => {
    expect(() => jobTimings({ JOB_EXPIRY_SCAN_SCHEDULE: '61 * * * *' }, defaults, 'Asia/Colombo')).toThrow(/JOB_EXPIRY_SCAN_SCHEDULE/);
    expect(() => jobTimings({ JOB_EXPIRY_SCAN_SCHEDULE: 'daily' }, defaults, 'Asia/Colombo')).toThrow(/JOB_EXPIRY_SCAN_SCHEDULE/);
    expect(() => jobTimings({ JOB_EXPIRY_SCAN_TIME_ZONE: 'Asia/Nowhere' }, defaults, 'Asia/Colombo')).toThrow(/JOB_EXPIRY_SCAN_TIME_ZONE/);
    expect(() => jobTimings({}, defaults, 'Mars/Olympus')).toThrow(/plant time zone/);
  });
});

const DAY = 86_400_000;
/** 2026-12-05 05:59:00 in Colombo (UTC+05:30). */
const BEFORE_SIX = Date.parse('2026-12-05T00:29:00Z');
const SIX_COLOMBO = Date.parse('2026-12-05T00:30:00Z');

interface Recorder {
  contexts: JobContext[];
  release?: () => void;
}

function job(recorder: Recorder, overrides: Partial<Job> = {}): Job {
  return {
    name: 'daily-scan',
    schedule: '0 6 * * *',
    timeZone: 'Asia/Colombo',
    run: async (context) => {
      recorder.contexts.push(context);
      if (recorder.release === undefined) return { seen: recorder.contexts.length };
      await new Promise<void>((resolve) => (recorder.release = resolve));
      return { seen: recorder.contexts.length };
    },
    ...overrides,
  };
}

for (const target of testDatabases()) {
  describe(`${target.label}: scheduler`, () => {
    let handle: TestDatabase;
    let clock: ManualClock;
    const replicas: Scheduler[] = [];
    const rows = () =>
      asTables<SchedulerTables>(handle.database.db).selectFrom(JOB_RUN_TABLE).selectAll().orderBy('scheduled_for').execute();
    const replica = (jobs: Job[], options: { holder?: string; leaseMs?: number; shutdownGraceMs?: number } = {}) => {
      const scheduler = new Scheduler({
        service: 'erp',
        db: handle.database.db,
        clock,
        logger: silentLogger(),
        jobs,
        tickMs: 5,
        ...options,
      });
      replicas.push(scheduler);
      return scheduler;
    };

    beforeAll(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, [...outboxMigrations, schedulerMigration]);
    });
    afterAll(async () => handle.destroy());
    beforeEach(async () => {
      await Promise.all(replicas.splice(0).map((scheduler) => scheduler.stop()));
      await asTables<SchedulerTables>(handle.database.db).deleteFrom(JOB_RUN_TABLE).execute();
      await handle.database.db.deleteFrom('outbox' as never).execute();
      clock = new ManualClock(BEFORE_SIX);
    });

    it('runs a period once across replicas and records its event in the same transaction', async () => {
      const recorder: Recorder = { contexts: [] };
      const [a, b] = [replica([job(recorder)], { holder: 'a' }), replica([job(recorder)], { holder: 'b' })];
      await Promise.all([a.tick(), b.tick()]);
      // 05:59: the latest period is yesterday's 06:00, caught up once at start.
      await Promise.all([a.idle(), b.idle()]);
      expect((await rows()).map((row) => Number(row.scheduled_for))).toEqual([SIX_COLOMBO - DAY]);
      clock.set(SIX_COLOMBO + 1500);
      await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
      await Promise.all([a.idle(), b.idle()]);
      const all = await rows();
      expect(all.map((row) => Number(row.scheduled_for))).toEqual([SIX_COLOMBO - DAY, SIX_COLOMBO]);
      expect(recorder.contexts).toHaveLength(2);
      expect(recorder.contexts[1]).toMatchObject({ plantDate: '2026-12-05', timeZone: 'Asia/Colombo', trigger: 'schedule' });
      expect(recorder.contexts[1]!.scheduledFor.toISOString()).toBe('2026-12-05T00:30:00.000Z');
      const run = all[1]!;
      expect(run).toMatchObject({ status: 'succeeded', trigger: 'schedule', lease_until: null, error: null });
      expect(JSON.parse(run.summary!)).toEqual({ seen: 2 });
      const events = (await readOutbox(handle.database.db, '0', 10)).events;
      expect(events).toHaveLength(2);
      expect(events[1]).toMatchObject({ type: 'job.succeeded', aggregateType: 'job', aggregateId: 'erp:daily-scan' });
      expect(events[1]!.payload).toEqual({
        service: 'erp',
        job: 'daily-scan',
        runId: run.id,
        scheduledFor: '2026-12-05T00:30:00.000Z',
        startedAt: new Date(SIX_COLOMBO + 1500).toISOString(),
        finishedAt: new Date(SIX_COLOMBO + 1500).toISOString(),
        trigger: 'schedule',
        outcome: 'succeeded',
        durationMs: 0,
        summary: { seen: 2 },
        error: null,
      });
    });

    it('after an outage runs only the latest missed period, once', async () => {
      const recorder: Recorder = { contexts: [] };
      clock.set(SIX_COLOMBO + 3 * DAY + 60_000);
      const scheduler = replica([job(recorder)]);
      await scheduler.tick();
      await scheduler.tick();
      await scheduler.idle();
      expect((await rows()).map((row) => Number(row.scheduled_for))).toEqual([SIX_COLOMBO + 3 * DAY]);
      expect(recorder.contexts.map((context) => context.plantDate)).toEqual(['2026-12-08']);
    });

    it('records a failure with its error and a job.failed event, and counts it', async () => {
      const failing = job({ contexts: [] }, { run: () => Promise.reject(new Error('ledger locked')) });
      const scheduler = replica([failing]);
      const registry = new Registry();
      scheduler.metrics.register(registry);
      await scheduler.tick();
      await scheduler.idle();
      const [run] = await rows();
      expect(run).toMatchObject({ status: 'failed', error: 'ledger locked', summary: null });
      const [event] = (await readOutbox(handle.database.db, '0', 10)).events;
      expect(event).toMatchObject({ type: 'job.failed', payload: { outcome: 'failed', error: 'ledger locked', summary: null } });
      const text = await registry.metrics();
      expect(text).toContain('scheduler_job_runs_total{job="daily-scan",outcome="failed"} 1');
      expect(text).toContain('scheduler_job_running{job="daily-scan"} 0');
    });

    it('takes over a run whose holder stopped renewing, exactly once, and the old holder records nothing', async () => {
      const slow: Recorder = { contexts: [], release: () => undefined };
      const dying = replica([job(slow)], { holder: 'dying', leaseMs: 30_000 });
      await dying.tick();
      await expect.poll(() => slow.contexts.length).toBe(1);
      // The clock passes the holder's lease before its next heartbeat: as if it froze or was killed.
      const [held] = await rows();
      clock.set(Number(held!.lease_until) + 1);
      const quick: Recorder = { contexts: [] };
      const [b, c] = [replica([job(quick)], { holder: 'b', leaseMs: 1000 }), replica([job(quick)], { holder: 'c', leaseMs: 1000 })];
      await Promise.all([b.tick(), c.tick()]);
      await Promise.all([b.idle(), c.idle()]);
      expect(quick.contexts).toHaveLength(1);
      expect(quick.contexts[0]!.runId).toBe(held!.id);
      const [after] = await rows();
      expect(after).toMatchObject({ id: held!.id, status: 'succeeded' });
      expect(['b', 'c']).toContain(after!.holder);
      slow.release!();
      await dying.idle();
      expect(await rows()).toHaveLength(1);
      expect((await rows())[0]!.holder).toBe(after!.holder);
      expect((await readOutbox(handle.database.db, '0', 10)).events).toHaveLength(1);
    });

    it('runs a job by hand, refuses a second while it runs, and lists runs newest first', async () => {
      const recorder: Recorder = { contexts: [], release: () => undefined };
      const scheduler = replica([job(recorder, { schedule: null })]);
      const run = await scheduler.runNow('daily-scan');
      expect(run).toMatchObject({ trigger: 'manual', status: 'running' });
      await expect(scheduler.runNow('daily-scan')).rejects.toMatchObject({ code: 'JOB_ALREADY_RUNNING' });
      await expect(replica([job(recorder, { schedule: null })]).runNow('daily-scan')).rejects.toMatchObject({
        code: 'JOB_ALREADY_RUNNING',
      });
      await expect(scheduler.runNow('nope')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' });
      await expect.poll(() => recorder.contexts.length).toBe(1);
      recorder.release!();
      await scheduler.idle();
      delete recorder.release;
      clock.advance(1000);
      await scheduler.runNow('daily-scan');
      await scheduler.idle();
      const page = await scheduler.runs('daily-scan', 1);
      expect(page[0]!.scheduledFor).toBe(clock.now());
      expect((await scheduler.runs('daily-scan', 10, page[0]!.scheduledFor)).map((r) => r.id)).toEqual([run.id]);
      const [status] = await scheduler.status();
      expect(status).toMatchObject({ name: 'daily-scan', schedule: null, nextRunAt: null, lastRun: { status: 'succeeded' } });
    });

    it('on stop waits for a running job within the grace, then hands its lease back', async () => {
      const recorder: Recorder = { contexts: [], release: () => undefined };
      const scheduler = replica([job(recorder)], { shutdownGraceMs: 50 });
      await scheduler.tick();
      await expect.poll(() => recorder.contexts.length).toBe(1);
      await scheduler.stop();
      const [run] = await rows();
      expect(run!.status).toBe('running');
      expect(Number(run!.lease_until)).toBeLessThanOrEqual(clock.now());
      recorder.release!();
      await scheduler.idle();
    });

    it('adds its table to a database whose service migrations already ran', async () => {
      const fresh = await target.create();
      try {
        const later: Migration = {
          name: '0001_widgets',
          up: async (db) => {
            await db.schema
              .createTable('widget')
              .addColumn('id', 'integer', (c) => c.primaryKey())
              .execute();
          },
        };
        await migrateToLatest(fresh.database, [...outboxMigrations, later]);
        expect(await migrateToLatest(fresh.database, [...outboxMigrations, schedulerMigration, later])).toEqual([
          '0000_platform_5_scheduler',
        ]);
        expect(await asTables<SchedulerTables>(fresh.database.db).selectFrom(JOB_RUN_TABLE).selectAll().execute()).toEqual([]);
      } finally {
        await fresh.destroy();
      }
    });
  });
}

describe('jobs joined with their timings', () => {
  it('refuses a job without a declared timing', () => {
    const work = { name: 'orphan', run: async () => ({}) };
    expect(() => withTimings([work], [])).toThrow(/orphan/);
  });
});
