import { asTables } from '@tributary/platform/db';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '@tributary/platform/migrate';
import { FROM_SOURCE, testDatabases, testKeyring, type TestDatabase } from '@tributary/platform/testing';
import { migrations } from '../src/db/migrations/index.js';
import type { SyncDatabase } from '../src/db/schema.js';
import { ConfigurationsRepository } from '../src/features/configurations/configurations.repository.js';
import { SourceService, TargetService } from './support/peers.js';
import { eventually } from './support/sync.js';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const TOTAL = 10_000;
const AGGREGATES = 200;

/**
 * The sync service as its own process (main.ts, as deployed) against PostgreSQL, killed with
 * SIGKILL in the middle of 10,000 events and started again: every event must reach the target,
 * and none may be applied twice.
 */
const targets = testDatabases({ dialects: ['postgres'] });
if (targets.length === 0)
  describe.skip('kill -9 during load (needs TEST_POSTGRES_URL)', () => it('runs on PostgreSQL only', () => undefined));
for (const target of targets) {
  describe(`${target.label}: kill -9 during load`, () => {
    const handles: TestDatabase[] = [];
    let source: SourceService;
    let consumer: TargetService;
    let syncDatabase: TestDatabase;
    let dir: string;
    let child: ChildProcess | undefined;

    beforeAll(async () => {
      const [a, b, c] = await Promise.all([target.create(), target.create(), target.create()]);
      handles.push(a!, b!, c!);
      syncDatabase = c!;
      source = await SourceService.start(a!.database);
      consumer = await TargetService.start(b!.database);
      await migrateToLatest(c!.database, migrations);
      await new ConfigurationsRepository(asTables<SyncDatabase>(c!.database.db)).create(
        {
          config_name: 'crash_src_to_tgt',
          source_system: 'src',
          target_system: 'tgt',
          configuration: { eventTypes: ['*'], target: { kind: 'service', service: 'tgt' } },
          max_retries: 100,
          retry_delay_seconds: 0.05,
        },
        'test',
        new Date(),
      );
      dir = await mkdtemp(join(tmpdir(), 'sync-crash-'));
      await writeFile(join(dir, 'keyring.json'), JSON.stringify(testKeyring()));
    });
    afterAll(async () => {
      child?.kill('SIGKILL');
      await source?.close();
      await consumer?.close();
      await Promise.all(handles.map((handle) => handle.destroy()));
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    function startSyncProcess(): ChildProcess {
      const env = {
        PATH: process.env.PATH,
        DATABASE_URL: syncDatabase.url,
        TRIBUTARY_KEYRING_FILE: join(dir, 'keyring.json'),
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'error',
        SRC_URL: source.url,
        TGT_URL: consumer.url,
        SYNC_SOURCES: 'src',
        SYNC_FEED_WAIT_MS: '1000',
        SYNC_LEASE_MS: '2000',
        SYNC_POLL_INTERVAL_MS: '20',
        SYNC_MAINTENANCE_INTERVAL_MS: '250',
        SYNC_WORKER_CONCURRENCY: '64',
        SYNC_TARGET_CONCURRENCY: '64',
      };
      const spawned = spawn(process.execPath, [...FROM_SOURCE, 'services/sync/src/main.ts'], {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      spawned.stderr?.on('data', () => undefined);
      return spawned;
    }

    const appliedCount = async () =>
      Number((await sql<{ n: string }>`select count(*) as n from applied`.execute(consumer.database.db)).rows[0]!.n);

    it('loses nothing and applies nothing twice', { timeout: 240_000 }, async () => {
      child = startSyncProcess();
      let written = 0;
      const writer = (async () => {
        while (written < TOTAL) {
          const batch = Array.from({ length: 50 }, (_, k) => {
            const i = written + k;
            return { aggregateType: 'bag', aggregateId: `bag-${i % AGGREGATES}`, type: 'bag.weighed', payload: { n: i } };
          });
          await source.write(batch);
          written += batch.length;
          // About 2,500 events/s: a steady load rather than one burst.
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      await eventually(async () => expect(await appliedCount()).toBeGreaterThanOrEqual(2500), 120_000, 10);
      const killed = child;
      killed.kill('SIGKILL');
      await new Promise((resolve) => killed.once('exit', resolve));
      const atKill = await appliedCount();
      expect(atKill).toBeLessThan(TOTAL);
      child = startSyncProcess();
      await writer;
      await eventually(async () => expect(await appliedCount()).toBe(TOTAL), 180_000, 100);

      const applied = await consumer.applied();
      expect(new Set(applied.map((row) => row.event_id)).size).toBe(TOTAL);
      expect(applied).toHaveLength(TOTAL);
      const byAggregate = new Map<string, number[]>();
      for (const row of applied) byAggregate.set(row.aggregate_id, [...(byAggregate.get(row.aggregate_id) ?? []), row.n!]);
      for (const sequence of byAggregate.values()) expect(sequence).toEqual([...sequence].sort((x, y) => x - y));
      const statuses = await sql<{
        sync_status: string;
        n: string;
      }>`select sync_status, count(*) as n from sync_status group by sync_status`.execute(syncDatabase.database.db);
      await eventually(
        async () => {
          const rows = await sql<{
            sync_status: string;
            n: string;
          }>`select sync_status, count(*) as n from sync_status group by sync_status`.execute(syncDatabase.database.db);
          expect(rows.rows.map((row) => [row.sync_status, Number(row.n)])).toEqual([['completed', TOTAL]]);
        },
        30_000,
        100,
      );
      expect(statuses.rows.length).toBeGreaterThan(0);
      const cursor = await sql<{ cursor: string }>`select cursor from sync_source_cursors where source = 'src'`.execute(
        syncDatabase.database.db,
      );
      expect(Number(cursor.rows[0]!.cursor)).toBe(TOTAL);
      // The target may have seen redeliveries (the killed process's unfinished claims); it applied each once.
      expect(consumer.received).toBeGreaterThanOrEqual(TOTAL);
      child.kill('SIGTERM');
      await new Promise((resolve) => child!.once('exit', resolve));
    });
  });
}
