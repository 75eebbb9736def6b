import { describe, expect, it, vi } from 'vitest';
import { publicAccess } from '../http/access.js';
import { buildApp, listen } from '../http/test-support.js';
import { drainHttpApp } from '../http/lifecycle.js';
import type { HttpServerInstance } from '../http/types.js';
import { migrateToLatest } from '../migrate/migrate.js';
import { testDatabases, type TestDatabaseTarget } from '../testing/databases.js';
import { outboxMigrations } from './index.js';
import { registerOutboxRoute } from './routes.js';

/**
 * An app serving the outbox of an empty database, with one poll waiting on it. The clock stands
 * still meanwhile, so the poll never reaches its deadline: only the shutdown can end it.
 */
async function withPollInFlight(target: TestDatabaseTarget, body: (app: HttpServerInstance, answer: Promise<Response>) => Promise<void>) {
  const handle = await target.create();
  try {
    await migrateToLatest(handle.database, outboxMigrations);
    let waiting!: () => void;
    const polling = new Promise<void>((resolve) => (waiting = resolve));
    const app = await buildApp({}, (instance) =>
      registerOutboxRoute(instance, {
        db: handle.database.db,
        access: publicAccess('test'),
        // Called each time the poll found nothing and waits: the poll is then in progress.
        wake: (ms) => {
          waiting();
          return new Promise((resolve) => setTimeout(resolve, ms));
        },
      }),
    );
    const origin = await listen(app);
    vi.useFakeTimers({ toFake: ['Date'] });
    const answer = fetch(`${origin}/internal/outbox?after=0&wait=30000`);
    await polling;
    await body(app, answer);
  } finally {
    vi.useRealTimers();
    await handle.destroy();
  }
}

async function expectEmptyPage(answer: Promise<Response>): Promise<void> {
  const response = await answer;
  expect(response.status).toBe(200);
  expect(response.headers.get('connection')).toBe('close');
  expect(await response.json()).toEqual({ events: [], next: '0', hasMore: false });
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the outbox long-poll on shutdown`, () => {
    it('answers at once when the service starts draining, so the shutdown does not wait out the poll', async () => {
      await withPollInFlight(target, async (app, answer) => {
        await drainHttpApp(app);
        await expectEmptyPage(answer);
      });
    });

    it("answers at once when the app is simply closed (Fastify's close, no drain), and close returns", async () => {
      await withPollInFlight(target, async (app, answer) => {
        await expect(app.close()).resolves.toBeUndefined();
        await expectEmptyPage(answer);
      });
    });
  });
}
