import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asTables } from '../db/schema.js';
import { migrateToLatest } from '../migrate/migrate.js';
import { outboxMigrations } from '../outbox/index.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { FROM_SOURCE } from '../testing/source.js';
import { JOB_RUN_TABLE, schedulerMigration, type SchedulerTables } from './migration.js';

const PACKAGE_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const FIXTURE = 'src/scheduler/replica.fixture.ts';

interface Effect {
  job: string;
  scheduled_for: string;
  run_id: string;
  holder: string;
  plant_date: string;
}

/**
 * Two replicas as real processes against one PostgreSQL or MariaDB database: every period runs
 * once across both, a replica killed with SIGKILL mid-run is replaced after its lease, and a
 * job at 00:30 in Colombo is due at 19:00 UTC the day before, with the plant's date.
 */
const targets = testDatabases({ dialects: ['postgres', 'mysql'] });
if (targets.length === 0)
  describe.skip('scheduler replicas (need TEST_POSTGRES_URL or TEST_MARIADB_URL)', () => it('skipped', () => undefined));
for (const target of targets) {
  describe(`${target.label}: scheduler replicas as processes`, () => {
    let handle: TestDatabase;
    const children: ChildProcess[] = [];
    const runs = () =>
      asTables<SchedulerTables>(handle.database.db).selectFrom(JOB_RUN_TABLE).selectAll().orderBy('scheduled_for').execute();
    const effects = () => asTables<{ job_effect: Effect }>(handle.database.db).selectFrom('job_effect').selectAll().execute();

    beforeEach(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, [...outboxMigrations, schedulerMigration]);
      await handle.database.db.schema
        .createTable('job_effect')
        .addColumn('job', 'varchar(100)', (c) => c.notNull())
        .addColumn('scheduled_for', 'bigint', (c) => c.notNull())
        .addColumn('run_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('holder', 'varchar(100)', (c) => c.notNull())
        .addColumn('plant_date', 'varchar(10)', (c) => c.notNull())
        .execute();
    });
    afterEach(async () => {
      for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
      await handle.destroy();
    });

    async function startReplica(holder: string, env: Record<string, string>): Promise<ChildProcess> {
      const child = spawn(process.execPath, [...FROM_SOURCE, FIXTURE], {
        cwd: PACKAGE_ROOT,
        env: { PATH: process.env.PATH, DATABASE_URL: handle.url, HOLDER: holder, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      const [line] = (await Promise.race([once(child.stdout!, 'data'), once(child, 'exit').then(() => ['exited'])])) as [Buffer | string];
      expect(String(line)).toContain('ready');
      return child;
    }

    it('runs each period once across two replicas, across a Colombo date boundary, and stops cleanly', { timeout: 60_000 }, async () => {
      const jobs = JSON.stringify([
        { name: 'every-second', schedule: '* * * * * *', timeZone: 'UTC', workMs: 150 },
        { name: 'plant-0030', schedule: '30 0 * * *', timeZone: 'Asia/Colombo', workMs: 50 },
      ]);
      // The replicas' clocks start at 18:59:56 UTC on 4 December: 00:29:56 on the 5th in Colombo.
      const clock = { CLOCK_AT: String(Date.parse('2026-12-04T18:59:56Z')), CLOCK_REAL: String(Date.now()) };
      const [a, b] = await Promise.all([
        startReplica('replica-a', { JOBS: jobs, ...clock }),
        startReplica('replica-b', { JOBS: jobs, ...clock }),
      ]);
      await expect
        .poll(async () => (await runs()).filter((run) => run.job === 'every-second' && run.status === 'succeeded').length, {
          timeout: 30_000,
          interval: 250,
        })
        .toBeGreaterThanOrEqual(5);
      await expect
        .poll(
          async () =>
            (await runs()).some((run) => run.job === 'plant-0030' && Number(run.scheduled_for) === Date.parse('2026-12-04T19:00:00Z')),
          {
            timeout: 30_000,
            interval: 250,
          },
        )
        .toBe(true);
      a.kill('SIGTERM');
      b.kill('SIGTERM');
      const exits = await Promise.all([once(a, 'exit'), once(b, 'exit')]);
      expect(exits.map(([code]) => code)).toEqual([0, 0]);

      const all = await runs();
      const done = await effects();
      expect(all.every((run) => run.status === 'succeeded')).toBe(true);
      const perPeriod = new Map<string, number>();
      for (const effect of done)
        perPeriod.set(`${effect.job}@${effect.scheduled_for}`, (perPeriod.get(`${effect.job}@${effect.scheduled_for}`) ?? 0) + 1);
      // One row per period (the unique key) and one effect per row: nothing ran twice.
      expect(done).toHaveLength(all.length);
      expect([...perPeriod.values()].every((count) => count === 1)).toBe(true);
      for (const run of all) expect(done.find((effect) => effect.run_id === run.id)?.holder).toBe(run.holder);
      // Every period went to one of the two replicas. Which one wins a period is a race (on a
      // busy machine one may win them all), so the test does not expect both to have won some.
      for (const run of all) expect(['replica-a', 'replica-b']).toContain(run.holder);
      const boundary = done.find(
        (effect) => effect.job === 'plant-0030' && Number(effect.scheduled_for) === Date.parse('2026-12-04T19:00:00Z'),
      );
      expect(boundary?.plant_date).toBe('2026-12-05');
    });

    it('replaces a replica killed mid-run after its lease, and the period still runs once', { timeout: 60_000 }, async () => {
      const jobs = JSON.stringify([{ name: 'long-daily', schedule: '0 2 * * *', timeZone: 'Asia/Colombo', workMs: 4000 }]);
      const env = { JOBS: jobs, LEASE_MS: '1500' };
      const [a, b] = await Promise.all([startReplica('replica-a', env), startReplica('replica-b', env)]);
      // At start the day's period (already due) is claimed by one of them.
      await expect.poll(async () => (await runs())[0]?.status, { timeout: 20_000, interval: 100 }).toBe('running');
      const [held] = await runs();
      const [victim, survivor] = held!.holder === 'replica-a' ? [a, 'replica-b'] : [b, 'replica-a'];
      await sleep(500);
      victim.kill('SIGKILL');
      await once(victim, 'exit');
      await expect.poll(async () => (await runs())[0]?.status, { timeout: 30_000, interval: 200 }).toBe('succeeded');
      const [finished] = await runs();
      expect(finished).toMatchObject({ id: held!.id, holder: survivor, scheduled_for: held!.scheduled_for });
      expect(await runs()).toHaveLength(1);
      const done = await effects();
      expect(done.map((effect) => [effect.run_id, effect.holder])).toEqual([[held!.id, survivor]]);
    });
  });
}
