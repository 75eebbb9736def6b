import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { freePort } from '../testing/ports.js';
import { createDatabase, type Database } from './create.js';
import { registerDatabaseMetrics } from './metrics.js';
import { sql } from './index.js';

async function scrape(database: Database): Promise<string> {
  const registry = new Registry();
  registerDatabaseMetrics(registry, database);
  return registry.metrics();
}

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/** Lets the driver reach its pool: a query is queued only after a few promise turns. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !condition(); turn += 1) await new Promise((resolve) => setImmediate(resolve));
  expect(condition()).toBe(true);
}

for (const target of testDatabases()) {
  describe(`${target.label}: pool metrics`, () => {
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await target.create();
    });
    afterAll(async () => {
      await handle.destroy();
    });

    it.runIf(target.dialect === 'pglite')('PGlite has no pool: the gauges are declared but carry no samples', async () => {
      expect(handle.database.pool()).toBeUndefined();
      const text = await scrape(handle.database);
      expect(text).toContain('# TYPE db_pool_connections gauge');
      expect(sample(text, 'db_pool_connections')).toBeUndefined();
      expect(sample(text, 'db_connection_failures_total')).toBe(0);
    });

    it.runIf(target.dialect !== 'pglite')('reports open, idle and waiting connections of the pool', async () => {
      // A pool of one: a second query must wait while a transaction holds the connection.
      const small = await createDatabase(handle.url, { poolSize: 1 });
      try {
        await small.ping();
        expect(small.pool()).toEqual({ total: 1, idle: 1, waiting: 0, max: 1 });
        let waiting: Promise<void> | undefined;
        await small.db.transaction().execute(async (trx) => {
          await sql`select 1`.execute(trx);
          waiting = small.ping();
          await until(() => small.pool()?.waiting === 1);
          const text = await scrape(small);
          expect(sample(text, 'db_pool_connections')).toBe(1);
          expect(sample(text, 'db_pool_idle_connections')).toBe(0);
          expect(sample(text, 'db_pool_waiting_requests')).toBe(1);
          expect(sample(text, 'db_pool_max_connections')).toBe(1);
          expect(text).toContain(`db_pool_connections{dialect="${target.dialect}"} 1`);
        });
        // It runs once the transaction gives the connection back.
        await waiting;
        expect(small.pool()).toMatchObject({ idle: 1, waiting: 0 });
      } finally {
        await small.close();
      }
    });

    it.runIf(target.dialect !== 'pglite')('counts connections that cannot be opened', async () => {
      const url = new URL(handle.url);
      url.port = String(await freePort());
      const unreachable = await createDatabase(url.toString());
      try {
        await expect(unreachable.ping()).rejects.toThrow();
        expect(unreachable.connectionFailures()).toBe(1);
        expect(sample(await scrape(unreachable), 'db_connection_failures_total')).toBe(1);
      } finally {
        await unreachable.close().catch(() => {});
      }
    });
  });
}
