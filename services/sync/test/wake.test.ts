import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '@tributary/platform/db';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { SourceService, TargetService } from './support/peers.js';
import { eventually, routeConfig, startSync, testEnv, type SyncUnderTest } from './support/sync.js';

/**
 * The collector and the delivery worker in two separate sync instances, each with its own
 * connection pool to the same PostgreSQL database, as two processes would run them. Both poll
 * only once a minute: an event can only reach the target well within that minute if the
 * capture's NOTIFY woke the other instance's worker.
 */
const POLL_MS = 60_000;
const targets = testDatabases({ dialects: ['postgres'] });
if (targets.length === 0)
  describe.skip('cross-process wake-ups (needs TEST_POSTGRES_URL)', () => it('runs on PostgreSQL only', () => undefined));
for (const target of targets) {
  describe(`${target.label}: workers of another instance are woken by the capture's NOTIFY`, () => {
    const handles: TestDatabase[] = [];
    let source: SourceService;
    let consumer: TargetService;
    let workerDatabase: Database;
    let collecting: SyncUnderTest;
    let delivering: SyncUnderTest;

    beforeAll(async () => {
      const [a, b, c] = await Promise.all([target.create(), target.create(), target.create()]);
      handles.push(a!, b!, c!);
      source = await SourceService.start(a!.database);
      consumer = await TargetService.start(b!.database);
      const peers = { src: source.url, tgt: consumer.url };
      collecting = await startSync(c!.database, peers, testEnv({ SYNC_ROLES: 'collector', SYNC_POLL_INTERVAL_MS: String(POLL_MS) }));
      workerDatabase = await createDatabase(c!.url, { poolSize: 4 });
      delivering = await startSync(workerDatabase, peers, testEnv({ SYNC_ROLES: 'worker', SYNC_POLL_INTERVAL_MS: String(POLL_MS) }));
    });
    afterAll(async () => {
      await delivering?.stop();
      await collecting?.stop();
      await workerDatabase?.close();
      await source?.close();
      await consumer?.close();
      await Promise.all(handles.map((handle) => handle.destroy()));
    });

    it('delivers events captured by the other instance long before its worker would poll', { timeout: 3 * POLL_MS }, async () => {
      expect(delivering.background?.collectors).toEqual([]);
      expect(collecting.background?.worker).toBeUndefined();
      // Created after the worker started: its configuration cache does not know the target yet.
      expect((await collecting.call('POST', '/api/sync/configurations', routeConfig('wake_src_to_tgt'))).statusCode).toBe(201);
      const started = Date.now();
      for (let round = 0; round < 3; round++) {
        await source.write([{ aggregateType: 'bag', aggregateId: 'bag-1', type: 'bag.weighed', payload: { n: round } }]);
        await eventually(async () => expect(await consumer.applied()).toHaveLength(round + 1), POLL_MS / 2);
      }
      expect((await consumer.applied()).map((row) => row.n)).toEqual([0, 1, 2]);
      // Three deliveries, each waiting on a capture in the other instance: polling alone would take three minutes.
      expect(Date.now() - started).toBeLessThan(POLL_MS);
    });
  });
}
