import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requiresRouteAccess, RouteAccessUndeclaredError, routeAccessList, type HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import type { ServiceDefinition } from '@tributary/platform/service';
import { testDatabases, testKeyring, type TestDatabase, testServiceContext } from '@tributary/platform/testing';
import { service as erp } from '@tributary/erp/service';
import { service as gateway } from '@tributary/gateway/service';
import { service as orders } from '@tributary/orders/service';
import { service as processing } from '@tributary/processing/service';
import { service as sync } from '@tributary/sync/service';

const SERVICES: Record<string, ServiceDefinition> = { orders, processing, erp, gateway, sync };
const [pglite] = testDatabases({ dialects: ['pglite'] });

/**
 * Builds a service's app the way its process does (its definition, a real database with its
 * migrations), leaving it unready so a test may still add a route.
 */
async function build(definition: ServiceDefinition, handle: TestDatabase, dataDir: string): Promise<HttpApp> {
  const keyring = testKeyring();
  // The gateway's background checks stay off; erp keeps its master keys in the data directory.
  const context = testServiceContext(definition.name, handle.database, {
    env: { HEALTH_CHECKS: 'false', TRIBUTARY_DATA_DIR: dataDir },
    keyring,
  });
  return (await definition.buildApp(context)) as HttpApp;
}

describe('every route of every service declares who may call it', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tributary-route-access-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('covers every service folder', async () => {
    const folders = (await readdir(new URL('../../services/', import.meta.url), { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.sort()).toEqual(Object.keys(SERVICES).sort());
  });

  for (const [name, definition] of Object.entries(SERVICES)) {
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await pglite!.create();
      await migrateToLatest(handle.database, definition.migrations);
    });
    afterAll(async () => handle?.destroy());

    it(`${name}: requires declarations, starts, and every registered route carries a rule`, async () => {
      const app = await build(definition, handle, dataDir);
      try {
        expect(requiresRouteAccess(app)).toBe(true);
        await app.ready();
        const routes = routeAccessList(app);
        const keys = routes.map((route) => `${route.method} ${route.url}`);
        // The capture sees the kernel's routes and the service's own.
        expect(keys).toContain('GET /health/live');
        expect(keys).toContain('GET /openapi.json');
        expect(routes.length).toBeGreaterThan(8);
        expect(routes.filter((route) => route.access === undefined).map((route) => `${route.method} ${route.url}`)).toEqual([]);
        // A rule that admits callers by role names at least one role or says why it stands open.
        for (const route of routes) {
          if (route.access?.kind === 'public' || route.access?.kind === 'own-credential')
            expect(route.access.reason.length, `${route.method} ${route.url}`).toBeGreaterThan(3);
        }
      } finally {
        await app.close().catch(() => undefined);
      }
    });

    it(`${name}: refuses to start with a route that declares no access`, async () => {
      const app = await build(definition, handle, dataDir);
      try {
        let ran = false;
        app.get('/structure-test/undeclared', async () => {
          ran = true;
          return { ok: true };
        });
        const refusal = await app.ready().then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(refusal).toBeInstanceOf(RouteAccessUndeclaredError);
        expect((refusal as RouteAccessUndeclaredError).routes).toContain('GET /structure-test/undeclared');
        expect(ran).toBe(false);
      } finally {
        await app.close().catch(() => undefined);
      }
    });
  }
});
