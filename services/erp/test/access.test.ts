import { sql } from '@tributary/platform/db';
import { identityHeaders, signRequest } from '@tributary/platform/auth';
import { signedInject, testAuth, testCredentials, testDatabases, TEST_SCOPE } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@tributary/platform/core';
import { createHttpApp, RouteAccessUndeclaredError } from '@tributary/platform/http';
import { ROUTE_ACCESS, routeAccessOf } from '../src/access.js';
import { type Harness, startWithMasters } from './harness.js';

/**
 * Every route's rule, by `METHOD path` exactly as registered, written down here independently
 * of the routes' own declarations: the sweep below proves the two agree.
 */
const ROUTES: Record<string, keyof typeof ROUTE_ACCESS> = {
  'GET /customers': 'read',
  'GET /customers/:name': 'read',
  'POST /customers': 'writeMasters',
  'PATCH /customers/:name': 'writeMasters',
  'GET /items': 'read',
  'GET /items/:name': 'read',
  'POST /items': 'writeMasters',
  'PATCH /items/:name': 'writeMasters',
  'GET /items/:name/uoms': 'read',
  'PUT /items/:name/uoms': 'writeMasters',
  'GET /warehouses': 'read',
  'GET /warehouses/:name': 'read',
  'POST /warehouses': 'writeMasters',
  'PATCH /warehouses/:name': 'writeMasters',

  'GET /segments': 'read',
  'GET /segments/:name': 'read',
  'POST /segments': 'writeBusiness',
  'PATCH /segments/:name': 'writeBusiness',
  'POST /segments/:name/auto-assign': 'writeBusiness',
  'POST /segments/review': 'machineFlows',
  'GET /segments/review-queue': 'read',
  'GET /customers/:name/segments': 'read',
  'GET /customers/:name/segments/primary': 'read',
  'POST /customers/:name/segments': 'writeBusiness',
  'POST /customers/:name/segments/:child/end': 'writeBusiness',
  'PUT /customers/:name/metrics': 'machineFlows',
  'GET /customers/:name/territories': 'read',
  'POST /customers/:name/territories': 'writeBusiness',
  'POST /customers/:name/territories/:child/end': 'writeBusiness',

  'GET /batches': 'read',
  'GET /batches/expiring': 'read',
  'GET /batches/:name': 'read',
  'GET /batches/:name/movements': 'read',
  'GET /batches/:name/ledger-check': 'read',
  'POST /batches': 'writeBusiness',
  'PATCH /batches/:name': 'writeBusiness',
  'POST /batches/:name/status': 'writeBusiness',
  'POST /batches/:name/receipts': 'writeBusiness',
  'POST /batches/:name/adjustments': 'writeBusiness',
  'POST /batches/:name/transfer': 'writeBusiness',
  'POST /movements/:name/reverse': 'writeBusiness',
  'POST /batches/expiry-scan': 'machineFlows',
  // Picking writes nothing, but it reveals stock by batch to whoever plans a dispatch.
  'POST /stock/pick': 'machineFlows',
  'POST /stock/consume': 'machineFlows',
  'POST /stock/transfer': 'writeBusiness',
  'GET /stock/optimisation': 'read',
  'POST /stock/optimisation': 'machineFlows',

  'GET /jobs': 'jobs',
  'GET /jobs/:name/runs': 'jobs',
  'POST /jobs/:name/run': 'jobs',

  'GET /pricing/rules': 'read',
  'GET /pricing/rules/:name': 'read',
  'GET /pricing/rules/:name/analytics': 'read',
  'POST /pricing/rules': 'writeBusiness',
  'PATCH /pricing/rules/:name': 'writeBusiness',
  'POST /pricing/rules/:name/deactivate': 'writeBusiness',
  'POST /pricing/calculate': 'machineFlows',
  // Explaining a quote writes nothing (no log, no coupon used), so every reader may ask.
  'POST /pricing/explain': 'read',
  'GET /pricing/applications': 'reports',

  'POST /orders/process': 'writeOrders',
  'POST /orders/:orderId/cancel': 'writeOrders',
  'GET /orders': 'read',
  'GET /orders/:orderId': 'read',
  'GET /inventory/low-stock': 'read',
  'GET /reports/segment-revenue': 'reports',
  'GET /reports/pricing-effectiveness': 'reports',
  'POST /maintenance/partitions': 'maintenance',

  'GET /internal/outbox': 'internalEvents',
  'GET /internal/privacy/export': 'privacy',
  'POST /internal/privacy/erase': 'privacy',
};

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Who {
  label: string;
  principal: string;
  user?: string;
  roles?: string[];
}

const USERS: Who[] = ['manager', 'analyst', 'integration', 'administrator', 'readonly', 'MASTER-ADMIN'].map((role) => ({
  label: role,
  principal: 'gateway',
  user: `u-${role}`,
  roles: [role],
}));
const PEERS: Who[] = [
  { label: 'peer orders (trusted service)', principal: 'orders' },
  { label: 'peer sync (event reader)', principal: 'sync' },
  { label: 'peer processing (not trusted)', principal: 'processing' },
  // A user's call relayed by a trusted peer keeps the user's (lack of) roles.
  { label: 'user without roles via a trusted peer', principal: 'orders', user: 'someone', roles: [] },
];

function grantsOf(who: Who): Set<string> {
  const grants = new Set<string>(who.roles ?? []);
  if (who.principal === 'orders' && who.user === undefined) grants.add('SERVICE');
  if (who.principal === 'sync') grants.add('EVENT_READER');
  return grants;
}

function send(h: Harness, who: Who, method: Method, url: string) {
  const identity = who.user === undefined ? undefined : { user: who.user, roles: who.roles ?? [] };
  return signedInject(
    h.app,
    { method, url, ...(method === 'GET' ? {} : { body: {} }), ...(identity ? { identity } : {}) },
    testCredentials(who.principal),
  );
}

const concrete = (path: string) => path.replace(/:name/g, 'C-RETAIL').replace(/:child/g, 'X-1');

/** Every row of every table, as text: a refusal must leave it identical. */
async function snapshot(h: Harness): Promise<string> {
  const db = h.handle.database.db;
  const tables = (
    await sql<{
      table_name: string;
    }>`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(
      db,
    )
  ).rows.map((r) => r.table_name);
  const parts: string[] = [];
  for (const table of tables) {
    const rows = (await sql`select * from ${sql.table(table)}`.execute(db)).rows.map((row) => JSON.stringify(row)).sort();
    parts.push(`${table}:${rows.join('\n')}`);
  }
  return parts.join('\n\n');
}

describe('erp access: deny by default', () => {
  it('a route added without a rule stops an app built as erp builds its own from starting, and shows as undeclared', async () => {
    const app = await createHttpApp({ name: 'erp-deny-test', logger: silentLogger(), auth: testAuth(), requireRouteAccess: true });
    let ran = false;
    app.get('/customers/:name/secret', async () => {
      ran = true;
      return { ok: true };
    });
    await expect(app.ready()).rejects.toBeInstanceOf(RouteAccessUndeclaredError);
    expect(ran).toBe(false);
    expect(routeAccessOf(app).get('GET /customers/:name/secret')).toBeUndefined();
    expect(routeAccessOf(app).has('GET /customers/:name/secret')).toBe(true);
    await app.close().catch(() => undefined);
  });
});

for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: erp least privilege`, () => {
    let h: Harness;
    beforeAll(async () => (h = await startWithMasters(target, { ERP_TRUSTED_SERVICES: 'orders', ERP_EVENT_READERS: 'sync' })));
    afterAll(async () => h.close());

    it('every registered route has a declared rule, and every rule names a registered route', async () => {
      const declared = routeAccessOf(h.app);
      const undeclared = [...declared].filter(([, rule]) => rule === undefined).map(([key]) => key);
      expect(undeclared).toEqual([]);
      expect(Object.keys(ROUTES).filter((key) => !declared.has(key))).toEqual([]);
      // The OpenAPI document lists what clients see; each of its operations is guarded.
      const spec = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
        paths: Record<string, Record<string, unknown>>;
      };
      const documented = Object.entries(spec.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      );
      const unguarded = documented.filter((key) => !key.includes('/health') && !key.startsWith('GET /metrics') && !declared.has(key));
      expect(unguarded).toEqual([]);
      expect(declared.size).toBeGreaterThanOrEqual(50);
    });

    it('role × route: every refusal is 403 ROLE_FORBIDDEN and changes no row; every grant gets past the guard', async () => {
      const before = await snapshot(h);
      const refusals: string[] = [];
      const wrong: string[] = [];
      const granted = (who: Who, rule: keyof typeof ROUTE_ACCESS) =>
        (ROUTE_ACCESS[rule] as readonly string[]).some((grant) => grantsOf(who).has(grant));
      for (const [key, rule] of Object.entries(ROUTES)) {
        const [method, path] = key.split(' ') as [Method, string];
        for (const who of [...USERS, ...PEERS]) {
          if (granted(who, rule)) continue;
          refusals.push(`${who.label} ${key}`);
          const response = await send(h, who, method, concrete(path));
          if (response.statusCode !== 403 || response.json().code !== 'ROLE_FORBIDDEN')
            wrong.push(`${who.label} on ${key}: ${response.statusCode} ${response.body}`);
        }
      }
      expect(wrong).toEqual([]);
      expect(refusals.length).toBeGreaterThan(150);
      expect(await snapshot(h)).toBe(before);
      // Grants are probed on reads (a granted write would change rows by design; the intent test covers some).
      for (const [key, rule] of Object.entries(ROUTES)) {
        const [method, path] = key.split(' ') as [Method, string];
        if (method !== 'GET') continue;
        for (const who of [...USERS, ...PEERS]) {
          if (!granted(who, rule)) continue;
          const response = await send(h, who, method, concrete(path));
          if (response.statusCode === 403 || response.statusCode === 401) wrong.push(`${who.label} refused on ${key}: ${response.body}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('the business intent, spelled out', async () => {
      const status = async (who: Who, method: Method, path: string) => (await send(h, who, method, path)).statusCode;
      const as = (role: string) => USERS.find((u) => u.label === role)!;
      // Analysts read everything and change nothing.
      expect(await status(as('analyst'), 'GET', '/customers/C-RETAIL')).toBe(200);
      expect(await status(as('analyst'), 'GET', '/batches')).toBe(200);
      for (const [method, path] of [
        ['POST', '/customers'],
        ['PATCH', '/customers/C-RETAIL'],
        ['POST', '/pricing/rules'],
        ['POST', '/stock/consume'],
        ['POST', '/pricing/calculate'],
      ] as const) {
        expect(await status(as('analyst'), method, path)).toBe(403);
      }
      // Integration runs the machine flows, not the business decisions.
      expect(await status(as('integration'), 'PUT', '/customers/C-RETAIL/metrics')).toBe(400);
      expect(await status(as('integration'), 'POST', '/stock/consume')).toBe(400);
      for (const [method, path] of [
        ['POST', '/segments'],
        ['POST', '/pricing/rules'],
        ['POST', '/batches'],
        ['POST', '/movements/M-1/reverse'],
        ['POST', '/customers/C-RETAIL/segments'],
      ] as const) {
        expect(await status(as('integration'), method, path)).toBe(403);
      }
      // Managers run the business; the outbox is for the event readers only.
      expect(await status(as('manager'), 'POST', '/segments')).toBe(400);
      expect(await status(as('manager'), 'GET', '/internal/outbox')).toBe(403);
      expect(await status(as('administrator'), 'GET', '/internal/outbox')).toBe(403);
      expect(await status(PEERS[1]!, 'GET', '/internal/outbox')).toBe(200);
      // An MTP group or an unknown role gets nothing; neither does an unsigned call.
      expect(await status(as('MASTER-ADMIN'), 'GET', '/customers')).toBe(403);
      expect(await status(as('readonly'), 'GET', '/customers')).toBe(403);
      expect((await h.app.inject({ method: 'GET', url: '/customers' })).statusCode).toBe(401);
      // Fastify's automatic HEAD routes run the GET handler: they must carry the same guard.
      for (const [role, expected] of [
        ['readonly', 403],
        ['MASTER-ADMIN', 403],
        ['analyst', 200],
      ] as const) {
        const headers = await signRequest(
          { method: 'HEAD', url: 'http://localhost/customers/C-RETAIL', headers: identityHeaders({ user: 'u', roles: [role] }) },
          testCredentials('gateway'),
          TEST_SCOPE,
        );
        expect((await h.app.inject({ method: 'HEAD', url: '/customers/C-RETAIL', headers })).statusCode).toBe(expected);
      }
    });
  });
}
