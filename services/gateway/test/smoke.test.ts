import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { bearer, createUser, migrated, startGateway, startUpstream, tokenFor, type TestGateway, type Upstream } from './support.js';
import { RoutesRepository } from '../src/features/routing/routes.repository.js';
import { seedRoutes } from '../src/seed.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: smoke`, () => {
    let handle: TestDatabase;
    let gw: TestGateway;
    let processing: Upstream;
    beforeAll(async () => {
      handle = await target.create();
      await migrated(handle);
      processing = await startUpstream('processing');
      await seedRoutes(new RoutesRepository(handle.database.db));
      gw = await startGateway(handle, { peers: { processing: processing.url } });
      await createUser(gw, 'seeduwa', 'SEEDUWA-OFFICER');
    });
    afterAll(async () => {
      await gw?.app.close();
      await processing?.app.close();
      await handle?.destroy();
    });
    it('forwards /central/* to processing /app/* signed', async () => {
      const token = await tokenFor(gw, 'seeduwa');
      const response = await gw.app.inject({ method: 'GET', url: '/central/tealine?item_code=X', headers: bearer(token) });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().path).toBe('/app/tealine');
    });
  });
}
