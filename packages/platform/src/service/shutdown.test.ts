import { request as httpRequest } from 'undici';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { sql, type Database } from '../db/index.js';
import { createHttpApp } from '../http/app.js';
import { installShutdown } from '../http/lifecycle.js';
import { testCredentials, testKeyring, testDatabases, TEST_SCOPE } from '../testing/index.js';
import type { ServiceContext, ServiceDefinition } from './definition.js';
import { startService } from './start.js';

function gate(): { wait: Promise<void>; release: () => void } {
  let release!: () => void;
  const wait = new Promise<void>((resolve) => (release = resolve));
  return { wait, release };
}

/**
 * A service whose one route is held until the test lets it go, then reads the database: the
 * erp failure on SIGINT ("driver has already been destroyed") in miniature.
 */
function slowService(events: string[]) {
  const entered = gate();
  const finish = gate();
  const definition: ServiceDefinition = {
    name: 'slow',
    defaultPort: 0,
    migrations: [],
    buildApp: async (context) => {
      const app = await createHttpApp({ name: 'slow', logger: silentLogger() });
      app.get('/slow', async () => {
        entered.release();
        await finish.wait;
        // Some work still to do after shutdown began; the database must still be there for it.
        await new Promise((resolve) => setTimeout(resolve, 50));
        try {
          const { rows } = await sql<{ one: number }>`select 1 as one`.execute(context.database.db);
          events.push(`handler read ${rows[0]?.one}`);
        } catch (error) {
          events.push(`handler failed: ${(error as Error).message}`);
        }
        return { ok: true };
      });
      // Released while the app is closing, after it stopped taking new requests.
      app.addHook('preClose', async () => finish.release());
      return app;
    },
    startBackground: async () => ({ stop: async () => void events.push('background stopped') }),
  };
  return { definition, entered };
}

function contextFor(database: Database, events: string[]): ServiceContext {
  const keyring = testKeyring();
  return {
    name: 'slow',
    database: {
      ...database,
      close: async () => {
        events.push('database closed');
        await database.close();
      },
    },
    logger: silentLogger(),
    clock: systemClock,
    keyring,
    credentials: testCredentials('test', keyring),
    scope: TEST_SCOPE,
    peers: {},
    env: {},
  };
}

const [pglite] = testDatabases({ dialects: ['pglite'] });

describe('shutdown order', () => {
  it('on SIGTERM a request still in flight (its client gone) finishes before background work stops and the database closes', async () => {
    const test = await pglite!.create();
    const events: string[] = [];
    const { definition, entered } = slowService(events);
    const running = await startService(definition, contextFor(test.database, events), { host: '127.0.0.1', port: 0, migrate: false });
    const client = new AbortController();
    const inFlight = httpRequest(`${running.url}/slow`, { signal: client.signal }).catch(() => 'aborted');
    await entered.wait;
    // The caller gives up: no open connection is left for close() to wait on.
    client.abort();
    expect(await inFlight).toBe('aborted');

    let exitCode: number | undefined;
    const shutdown = installShutdown(running.app, {
      logger: silentLogger(),
      onShutdown: running.release,
      exit: (code) => (exitCode = code),
    });
    try {
      await shutdown.shutdown('SIGTERM');
    } finally {
      shutdown.uninstall();
    }
    expect(events).toEqual(['handler read 1', 'background stopped', 'database closed']);
    expect(exitCode).toBe(0);
  });
});
