import { describe, expect, it } from 'vitest';
import { publicAccess } from '../http/access.js';
import { buildApp, listen } from '../http/test-support.js';
import { drainHttpApp } from '../http/lifecycle.js';
import { migrateToLatest } from '../migrate/migrate.js';
import { testDatabases } from '../testing/databases.js';
import { outboxMigrations } from './index.js';
import { registerOutboxRoute } from './routes.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the outbox long-poll on shutdown`, () => {
    it('answers at once when the service starts draining, so the shutdown does not wait out the poll', async () => {
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
        // A poll that would otherwise wait 30 s, longer than the 10 s shutdown budget.
        const answer = fetch(`${origin}/internal/outbox?after=0&wait=30000`);
        await polling;
        await drainHttpApp(app);
        const response = await answer;
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual({ events: [], next: '0', hasMore: false });
      } finally {
        await handle.destroy();
      }
    });
  });
}
