import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { DEMO_PASSWORD, demoUsers, seed } from '../src/seed.js';
import { bearer, createUser, gatewayBed, tokenFor, type TestGateway, type Upstream } from './support.js';

/**
 * The route × role matrix: every role, every method, every path form the gateway serves, against
 * real upstreams that verify the gateway's signature and record what reached them. The expected
 * answers are written here from the reference (mtp-domain.md §7.6, with the §6 flows that name
 * the caller), independently of the gateway's own tables, so a drift in either shows.
 */
type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
const METHODS: Method[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];

const MTP_ROLES = [
  'MASTER-ADMIN',
  'GRANDPASS-ADMIN',
  'SEEDUWA-ADMIN',
  'GRANDPASS-OFFICER',
  'GRANDPASS-SUPERVISOR',
  'SEEDUWA-OFFICER',
  'GRANDPASS-GATEPASS',
  'GRANDPASS-DEV-MACHINE',
  'TRADER-OFFICER',
  'TRADER-SUPERVISOR',
];
const ERP_ROLES = ['manager', 'analyst', 'integration'];

/** §7.6 as data: resource → method → roles. Anything not listed is refused. */
const ORDERS_76: Record<string, Partial<Record<Method, string[]>>> = {
  '/admin/user': { GET: ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN'], POST: ['MASTER-ADMIN'], DELETE: ['MASTER-ADMIN'] },
  '/admin/group': { GET: ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN'] },
  '/order/plan': { GET: ['GRANDPASS-ADMIN', 'GRANDPASS-OFFICER'], POST: ['GRANDPASS-ADMIN'], DELETE: ['GRANDPASS-ADMIN'] },
  '/order': {
    GET: ['SEEDUWA-ADMIN', 'GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS'],
    POST: ['GRANDPASS-OFFICER'],
  },
  '/order/schedule': { GET: ['GRANDPASS-OFFICER', 'GRANDPASS-DEV-MACHINE'], POST: ['GRANDPASS-OFFICER'], PUT: ['GRANDPASS-DEV-MACHINE'] },
  '/order/shipment': { PUT: ['SEEDUWA-OFFICER'] },
  '/order/shipment/event': { POST: ['GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS'] },
  '/order/record/shipment': { GET: ['SEEDUWA-ADMIN', 'GRANDPASS-GATEPASS', 'GRANDPASS-DEV-MACHINE'], PUT: ['SEEDUWA-OFFICER'] },
  '/order/record/parcel': { GET: ['GRANDPASS-DEV-MACHINE'], POST: ['GRANDPASS-DEV-MACHINE'] },
  '/trader': {
    GET: ['SEEDUWA-OFFICER', 'TRADER-OFFICER', 'TRADER-SUPERVISOR'],
    PUT: ['TRADER-OFFICER', 'TRADER-SUPERVISOR'],
    POST: ['SEEDUWA-OFFICER'],
  },
};
/** Processing's /app/X, which AWS-Manager serves as /central/X: SEEDUWA-ADMIN reads only, the officer never deletes, traders own trader review. */
const PROCESSING_76: Record<string, Partial<Record<Method, string[]>>> = {
  '/tealine': { GET: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'], POST: ['SEEDUWA-OFFICER'], PUT: ['SEEDUWA-OFFICER'] },
  '/admin/location': { GET: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'], POST: ['SEEDUWA-OFFICER'], PUT: ['SEEDUWA-OFFICER'] },
  '/tealine/record/shipment': { GET: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'], POST: ['SEEDUWA-OFFICER'], PUT: ['SEEDUWA-OFFICER'] },
  '/shipment/event': { GET: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER'], POST: ['SEEDUWA-OFFICER'], PUT: ['SEEDUWA-OFFICER'] },
  '/trader/blendsheet/batch': {
    GET: ['SEEDUWA-ADMIN', 'SEEDUWA-OFFICER', 'TRADER-OFFICER', 'TRADER-SUPERVISOR'],
    PUT: ['TRADER-OFFICER', 'TRADER-SUPERVISOR'],
  },
};
/**
 * Processing's own additions, with no original path (stored reconciliation reports, ADR 0601;
 * scheduled jobs, ADR 0031): reached under /api/v1/processing only, by the roles processing
 * itself declares at those routes.
 */
const MTP_ADMINS = ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN'];
const REPORT_READERS = [...MTP_ADMINS, 'SEEDUWA-OFFICER', 'GRANDPASS-OFFICER'];
const PROCESSING_OWN: Record<string, Partial<Record<Method, string[]>>> = {
  '/reconcile/reports': { GET: REPORT_READERS, POST: MTP_ADMINS },
  '/reconcile/reports/r1/differences.csv': { GET: REPORT_READERS },
  '/jobs': { GET: MTP_ADMINS },
  '/jobs/mtp-reconciliation/run': { GET: MTP_ADMINS, POST: MTP_ADMINS },
};

interface Case {
  form: string;
  url: string;
  upstream: 'orders' | 'processing';
  allowed: (role: string, method: Method) => boolean;
}

const QUERY = '?barcode=b1&request_code=1&shipment_code=1';

function cases(): Case[] {
  const out: Case[] = [];
  for (const [path, rules] of Object.entries(ORDERS_76)) {
    const allowed = (role: string, method: Method) => (rules[method] ?? []).includes(role);
    out.push({ form: 'legacy', url: `${path}${QUERY}`, upstream: 'orders', allowed });
    out.push({ form: 'versioned', url: `/api/v1/orders${path}${QUERY}`, upstream: 'orders', allowed });
  }
  for (const [path, rules] of Object.entries(PROCESSING_76)) {
    const allowed = (role: string, method: Method) => (rules[method] ?? []).includes(role);
    out.push({ form: '/app', url: `/app${path}${QUERY}`, upstream: 'processing', allowed });
    out.push({ form: '/central', url: `/central${path}${QUERY}`, upstream: 'processing', allowed });
    out.push({ form: '/api/v1/processing/app', url: `/api/v1/processing/app${path}${QUERY}`, upstream: 'processing', allowed });
    // Orders serves /central/X by calling processing: the same rules, reached through orders.
    out.push({ form: '/api/v1/orders/central', url: `/api/v1/orders/central${path}${QUERY}`, upstream: 'orders', allowed });
  }
  for (const [path, rules] of Object.entries(PROCESSING_OWN)) {
    const allowed = (role: string, method: Method) => (rules[method] ?? []).includes(role);
    out.push({ form: '/api/v1/processing', url: `/api/v1/processing${path}`, upstream: 'processing', allowed });
  }
  return out;
}

/** Paths for services and scrapers only, in the spellings an attacker would try. */
const INTERNAL: Array<{ method: Method; url: string; upstream: string }> = [
  { method: 'GET', url: '/api/v1/orders/internal/outbox?after=0', upstream: 'orders' },
  { method: 'GET', url: '/api/v1/processing/internal/outbox', upstream: 'processing' },
  { method: 'GET', url: '/api/v1/processing/internal/reconcile/mtp/allocations', upstream: 'processing' },
  { method: 'POST', url: '/api/v1/processing/internal/reconcile/mtp', upstream: 'processing' },
  { method: 'POST', url: '/api/v1/orders/internal/events', upstream: 'orders' },
  { method: 'GET', url: '/api/v1/erp/internal/outbox', upstream: 'erp' },
  { method: 'GET', url: '/api/v1/sync/internal/outbox', upstream: 'sync' },
  { method: 'GET', url: '/api/v1/orders/metrics', upstream: 'orders' },
  { method: 'GET', url: '/api/v1/processing/metrics', upstream: 'processing' },
  { method: 'GET', url: '/api/v1/erp/metrics', upstream: 'erp' },
  { method: 'GET', url: '/api/v1/sync/metrics', upstream: 'sync' },
  { method: 'GET', url: '/api/v1/orders/health/ready', upstream: 'orders' },
  { method: 'GET', url: '/api/v1/orders/%69nternal/outbox', upstream: 'orders' },
  { method: 'GET', url: '/api/v1/orders/%2569nternal/outbox', upstream: 'orders' },
  { method: 'GET', url: '/api/v1/orders/INTERNAL/outbox', upstream: 'orders' },
  { method: 'GET', url: '/api/v1/processing/metrics/', upstream: 'processing' },
  { method: 'GET', url: '/api/v1/processing/internal;x/outbox', upstream: 'processing' },
];

for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: route × role matrix`, () => {
    const bed = gatewayBed(target);
    let gw: TestGateway;
    const up: Record<string, Upstream> = {};
    const tokens = new Map<string, string>();

    beforeAll(async () => {
      for (const name of ['orders', 'processing', 'erp', 'sync']) up[name] = await bed.upstream(name);
      const peers = Object.fromEntries(Object.entries(up).map(([name, u]) => [name, u.url]));
      gw = await bed.gateway({ peers });
      await seed(gw.context);
      await gw.deps.routeLoader.reload();
      for (const role of ERP_ROLES) await createUser(gw, `erp-${role}`, role, 'unlimited', DEMO_PASSWORD);
      const admin = await tokenFor(gw, 'admin', DEMO_PASSWORD);
      tokens.set('administrator', admin);
      for (const user of demoUsers()) {
        if (user.role === 'administrator') continue;
        // The sweep is thousands of calls; limits are tested elsewhere.
        const patched = await gw.app.inject({
          method: 'PATCH',
          url: `/api/v1/admin/users/usr_${user.username.replace(/-/g, '_')}`,
          headers: bearer(admin),
          payload: { rateLimitTier: 'unlimited' },
        });
        expect(patched.statusCode, patched.body).toBe(200);
        tokens.set(user.role, await tokenFor(gw, user.username, DEMO_PASSWORD));
      }
      for (const role of ERP_ROLES) tokens.set(role, await tokenFor(gw, `erp-${role}`, DEMO_PASSWORD));
    });

    const hits = () => Object.values(up).reduce((sum, u) => sum + u.hits, 0);

    it('has a token for every MTP role, every erp role and administrator', () => {
      expect([...tokens.keys()].sort()).toEqual([...MTP_ROLES, ...ERP_ROLES, 'administrator'].sort());
    });

    it('lets through exactly what §7.6 allows, on every path form, for every role and method', async () => {
      const unauthorized: string[] = [];
      const blocked: string[] = [];
      let requests = 0;
      for (const [role, token] of tokens) {
        for (const testCase of cases()) {
          for (const method of METHODS) {
            const before = hits();
            const response = await gw.app.inject({
              method,
              url: testCase.url,
              headers: { ...bearer(token), 'content-type': 'application/json' },
              ...(method === 'GET' ? {} : { payload: '[]' }),
            });
            requests++;
            const passed = hits() > before;
            // Any answer from the upstream (2xx, 400, 404) means the gateway let it through.
            const expected = role === 'administrator' || testCase.allowed(role, method);
            const label = `${role} ${method} ${testCase.url.split('?')[0]} (${testCase.form}) → ${response.statusCode}`;
            if (passed && !expected) unauthorized.push(label);
            if (!passed && response.statusCode < 300) unauthorized.push(`${label} answered 2xx by the gateway itself`);
            // Legacy paths route only the methods the original served; administrator uses /api/v1.
            const legacyOnly =
              role === 'administrator' &&
              !testCase.url.startsWith('/api/v1/') &&
              !testCase.allowed('MASTER-ADMIN', method) &&
              !MTP_ROLES.some((r) => testCase.allowed(r, method));
            if (!passed && expected && !legacyOnly) blocked.push(label);
            if (passed) expect(up[testCase.upstream]!.last?.method).toBe(method);
          }
        }
      }
      expect(requests).toBe(tokens.size * cases().length * METHODS.length);
      expect(unauthorized).toEqual([]);
      expect(blocked).toEqual([]);
    });

    it('the issue #1 calls are refused: trader-officer cannot create a location or delete an allocation', async () => {
      const trader = tokens.get('TRADER-OFFICER')!;
      const before = hits();
      const create = await gw.app.inject({
        method: 'POST',
        url: '/api/v1/orders/central/admin/location',
        headers: { ...bearer(trader), 'content-type': 'application/json' },
        payload: '{"location_name":"x","herbline_section":0}',
      });
      const remove = await gw.app.inject({
        method: 'DELETE',
        url: '/api/v1/orders/central/tealine/record/shipment?barcode=b&request_code=1&shipment_code=1',
        headers: bearer(trader),
      });
      expect([create.statusCode, remove.statusCode]).toEqual([403, 403]);
      expect(create.json().code).toBe('ROLE_ACCESS_DENIED');
      expect(hits()).toBe(before);
    });

    it('judges encoded spellings by what the upstream will read, and refuses what stays encoded', async () => {
      const officer = tokens.get('SEEDUWA-OFFICER')!;
      const trader = tokens.get('TRADER-OFFICER')!;
      const before = hits();
      const calls: Array<[string, 'GET' | 'POST' | 'PUT', string]> = [
        [trader, 'POST', '/api/v1/orders/central/%61dmin/location'],
        [trader, 'POST', '/api/v1/processing/app/%61dmin/location'],
        [officer, 'GET', '/api/v1/processing/app/%2574ealine'],
        [officer, 'PUT', '/api/v1/processing/app/%74rader/blendsheet/batch'],
      ];
      for (const [token, method, url] of calls) {
        const response = await gw.app.inject({
          method,
          url,
          headers: { ...bearer(token), 'content-type': 'application/json' },
          ...(method === 'GET' ? {} : { payload: '[]' }),
        });
        expect(response.statusCode, `${method} ${url}`).toBe(403);
      }
      expect(hits()).toBe(before);
      // The same resource spelled with an encoded letter is still the officer's to read.
      expect((await gw.app.inject({ method: 'GET', url: '/api/v1/processing/app/%74ealine', headers: bearer(officer) })).statusCode).toBe(
        200,
      );
    });

    it('never forwards an internal path, for any role, administrator included', async () => {
      const leaked: string[] = [];
      for (const [role, token] of tokens) {
        for (const call of INTERNAL) {
          const before = hits();
          const response = await gw.app.inject({ method: call.method, url: call.url, headers: bearer(token) });
          if (hits() > before || response.statusCode < 400) leaked.push(`${role} ${call.method} ${call.url} → ${response.statusCode}`);
        }
      }
      expect(leaked).toEqual([]);
    });

    it('refuses routes that point at internal paths, and guards operator routes to a Tributary service', async () => {
      const admin = tokens.get('administrator')!;
      const create = (payload: Record<string, unknown>) =>
        gw.app.inject({
          method: 'POST',
          url: '/api/v1/admin/routes',
          headers: bearer(admin),
          payload: { httpMethod: 'ANY', serviceName: 'orders', routeName: 'r', upstreamUrl: 'peer:orders', ...payload },
        });
      for (const payload of [
        { pathPattern: '/feed/*', upstreamPath: '/internal/*' },
        { pathPattern: '/metrics' },
        { pathPattern: '/m', upstreamPath: '/Metrics' },
        { pathPattern: '/h/*', upstreamPath: '/health/*' },
      ]) {
        const refused = await create(payload);
        expect(refused.statusCode, JSON.stringify(payload)).toBe(400);
        expect(refused.json().code).toBe('ROUTE_INTERNAL');
      }
      // A route whose template reaches internal paths only through its wildcard: refused per request.
      const open = await create({ pathPattern: '/mirror/*', upstreamPath: '/*', serviceName: 'mirror', authorizationRoles: ['*'] });
      expect(open.statusCode, open.body).toBe(201);
      await gw.deps.routeLoader.reload();
      const before = hits();
      expect((await gw.app.inject({ method: 'GET', url: '/mirror/internal/outbox', headers: bearer(admin) })).statusCode).toBe(403);
      // The orders rules follow the upstream, not the route's name: GRANDPASS-ADMIN still may not GET /order.
      expect(
        (await gw.app.inject({ method: 'GET', url: '/mirror/order', headers: bearer(tokens.get('GRANDPASS-ADMIN')!) })).statusCode,
      ).toBe(403);
      expect(hits()).toBe(before);
      expect(
        (await gw.app.inject({ method: 'GET', url: '/mirror/order', headers: bearer(tokens.get('GRANDPASS-OFFICER')!) })).statusCode,
      ).toBe(200);
    });
  });
}
