import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@tributary/platform/db';
import type { HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import type { ServiceContext, ServiceDefinition } from '@tributary/platform/service';
import {
  freePort,
  TEST_SCOPE,
  testCredentials,
  type TestDatabase,
  testDatabases,
  testKeyring,
  testServiceContext,
} from '@tributary/platform/testing';
import { loadService, SERVICE_NAMES } from '../services.js';
import { planRow } from './reconcile-mtp.support.js';

/**
 * Every service as a real listening server on its own database, signing each other with
 * their own keys; the test talks to the gateway over HTTP as a logged-in administrator.
 */
const keyring = testKeyring();
const GATEWAY_ENV = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', HEALTH_CHECKS: 'false' };
const PASSWORD = 'tributary-demo';
const OFFICER = { userId: 'usr_grandpass_officer', username: 'grandpass-officer', email: 'grandpass-officer@demo.tributary.local' };
const SUB = '7d0c2a55-3f4e-4a8b-9d51-2b1f0c9e8a11';

interface Node {
  definition: ServiceDefinition;
  handle: TestDatabase;
  app: HttpApp;
  context: ServiceContext;
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: a person's data exported and erased across every service`, () => {
    const nodes = new Map<string, Node>();
    let gatewayUrl = '';
    const clients: ServiceClient[] = [];
    const signedAs = (principal: string, service: string) => {
      const client = createServiceClient({
        name: service,
        baseUrl: nodes.get(service)!.context.peers[service]!,
        credentials: testCredentials(principal, keyring),
        scope: TEST_SCOPE,
        retry: { maxAttempts: 1, baseMs: 1, capMs: 1 },
      });
      clients.push(client);
      return client;
    };
    const http = async (method: string, path: string, token?: string, body?: unknown) => {
      const response = await fetch(`${gatewayUrl}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    const login = async (username: string) =>
      (await http('POST', '/api/v1/auth/login', undefined, { username, password: PASSWORD })).body.accessToken as string;
    const rows = async (service: string, query: string) =>
      (await sql.raw<Record<string, unknown>>(query).execute(nodes.get(service)!.handle.database.db)).rows;

    beforeAll(async () => {
      const ports = Object.fromEntries(await Promise.all(SERVICE_NAMES.map(async (name) => [name, await freePort()] as const)));
      const peers = Object.fromEntries(SERVICE_NAMES.map((name) => [name, `http://127.0.0.1:${ports[name]}`]));
      for (const name of SERVICE_NAMES) {
        const definition = (await loadService(name))!;
        const handle = await target.create();
        await migrateToLatest(handle.database, definition.migrations);
        const context = testServiceContext(name, handle.database, { peers, env: name === 'gateway' ? GATEWAY_ENV : {}, keyring });
        if (name === 'gateway' || name === 'erp') await definition.seed?.(context);
        const app = (await definition.buildApp(context)) as HttpApp;
        await app.listen({ host: '127.0.0.1', port: ports[name]! });
        nodes.set(name, { definition, handle, app, context });
      }
      gatewayUrl = peers.gateway!;
      // The officer's footprint: mapped to a group in orders, creating a request there, editing a customer in erp.
      const orders = signedAs('gateway', 'orders');
      await orders.json({
        method: 'POST',
        path: '/admin/user',
        body: { sub: SUB, username: OFFICER.username, group: 'GRANDPASS-OFFICER' },
        identity: { user: 'usr_master_admin', roles: ['MASTER-ADMIN'] },
      });
      await orders.json({
        method: 'POST',
        path: '/order/plan',
        body: [planRow('ORD-PRIV')],
        identity: { user: 'usr_grandpass_admin', roles: ['GRANDPASS-ADMIN'] },
      });
      await orders.json({
        method: 'POST',
        path: '/order',
        body: [{ order_code: 'ORD-PRIV', product_name: 'Breakfast blend', requirement: '10', status: 'ORDER_REQUESTED', comments: 'rush' }],
        identity: { user: OFFICER.userId, roles: ['GRANDPASS-OFFICER'] },
      });
      await signedAs('gateway', 'erp').json({
        method: 'POST',
        path: '/customers',
        body: { name: 'C-PRIV', customer_name: 'Kamal Private Buyer', customer_group: 'Retail' },
        identity: { user: OFFICER.userId, roles: ['administrator'] },
      });
    }, 120_000);

    afterAll(async () => {
      await Promise.all(clients.map((client) => client.close()));
      for (const node of [...nodes.values()].reverse()) {
        await node.app.close();
        await node.handle.destroy();
      }
    });

    it('refuses the routes to anyone but the administrator, and the internal ones to anyone but the gateway', async () => {
      const master = await login('master-admin');
      expect((await http('GET', `/api/v1/admin/privacy/subjects/${OFFICER.username}/export`, master)).status).toBe(403);
      expect((await http('POST', `/api/v1/admin/privacy/subjects/${OFFICER.username}/erase`, master, { reason: 'asked' })).status).toBe(
        403,
      );
      expect((await http('GET', `/api/v1/admin/privacy/subjects/${OFFICER.username}/export`)).status).toBe(401);
      for (const principal of ['processing', 'sync', 'cli']) {
        const refused = await signedAs(principal, 'orders').request({
          method: 'GET',
          path: '/internal/privacy/export',
          query: { subject: OFFICER.userId },
        });
        expect({ status: refused.status, code: (refused.body as any).code }).toEqual({ status: 403, code: 'PRIVACY_CALLER_FORBIDDEN' });
      }
      const erase = await signedAs('processing', 'erp').request({
        method: 'POST',
        path: '/internal/privacy/erase',
        body: { subjects: ['C-PRIV'], pseudonym: 'erased-aaaaaaaaaa' },
      });
      expect(erase.status).toBe(403);
      expect((await rows('erp', `select customer_name from "tabCustomer" where name = 'C-PRIV'`))[0]!.customer_name).toBe(
        'Kamal Private Buyer',
      );
      // Relayed by the gateway's proxy (which signs as the gateway too), for any user: refused.
      for (const user of ['admin', 'grandpass-officer', 'master-admin']) {
        const token = await login(user);
        for (const service of ['orders', 'processing', 'erp', 'sync']) {
          const relayed = await http('GET', `/api/v1/${service}/internal/privacy/export?subject=${OFFICER.userId}`, token);
          expect({ user, service, ok: relayed.status >= 200 && relayed.status < 300 }).toEqual({ user, service, ok: false });
          const erase = await http('POST', `/api/v1/${service}/internal/privacy/erase`, token, {
            subjects: [OFFICER.userId],
            pseudonym: 'erased-bbbbbbbbbb',
          });
          expect({ user, service, ok: erase.status >= 200 && erase.status < 300 }).toEqual({ user, service, ok: false });
        }
      }
      expect(await rows('orders', `select count(*)::int as n from order_request where created_by = '${OFFICER.userId}'`)).toEqual([
        { n: 1 },
      ]);
      const unsigned = await fetch(`${nodes.get('orders')!.context.peers.orders}/internal/privacy/export?subject=${OFFICER.userId}`);
      expect(unsigned.status).toBe(401);
    });

    it('exports one document with what every service holds about the person', async () => {
      const admin = await login('admin');
      const exported = await http('GET', `/api/v1/admin/privacy/subjects/${OFFICER.username}/export`, admin);
      expect(exported.status).toBe(200);
      expect(exported.body.failures).toEqual([]);
      expect(exported.body.identifiers).toEqual(expect.arrayContaining([OFFICER.userId, OFFICER.username, OFFICER.email]));
      const tables = (service: string) => exported.body.services[service].tables.map((t: any) => `${t.table}:${t.relation}`);
      expect(tables('gateway')).toContain('api_users:owner');
      expect(tables('orders')).toEqual(
        expect.arrayContaining(['order_request:actor', 'order_shipment_event:actor', 'admin.user:owner', 'outbox:mention']),
      );
      expect(tables('erp')).toEqual(expect.arrayContaining(['tabCustomer:actor']));
      expect(Object.keys(exported.body.services).sort()).toEqual(['erp', 'gateway', 'orders', 'processing', 'sync']);
      const customer = await http('GET', '/api/v1/admin/privacy/subjects/C-PRIV/export', admin);
      expect(customer.body.services.erp.tables.find((t: any) => t.relation === 'owner').rows[0]).toMatchObject({
        name: 'C-PRIV',
        customer_name: 'Kamal Private Buyer',
      });
    });

    it('erases: business records stay, the person is gone everywhere, the erasure is audited without the values', async () => {
      const admin = await login('admin');
      const officerToken = await login(OFFICER.username);
      expect((await http('GET', '/api/v1/auth/profile', officerToken)).status).toBe(200);
      const erased = await http('POST', `/api/v1/admin/privacy/subjects/${OFFICER.username}/erase`, admin, {
        reason: 'GDPR art. 17 request #42',
      });
      expect(erased.status).toBe(200);
      expect(erased.body.complete).toBe(true);
      const pseudonym = erased.body.pseudonym as string;
      expect(pseudonym).toMatch(/^erased-[0-9a-f]{20}$/);
      expect(erased.body.counts.orders).toMatchObject({ order_request: 1, 'admin.user': 1 });
      expect(erased.body.counts.orders.order_shipment_event).toBeGreaterThanOrEqual(1);
      expect(erased.body.counts.gateway.api_users).toBe(1);

      // The request and its quantities stay, now by the pseudonym.
      expect(await rows('orders', `select order_code, requirement::text as requirement, created_by from order_request`)).toEqual([
        { order_code: 'ORD-PRIV', requirement: '10000', created_by: pseudonym },
      ]);
      expect(await rows('orders', `select count(*)::int as n from "admin"."user"`)).toEqual([{ n: 0 }]);
      expect(await rows('erp', `select owner from "tabCustomer" where name = 'C-PRIV'`)).toEqual([{ owner: pseudonym }]);
      // E-mail and name are encrypted at rest: the row holds ciphertext, the admin API reads the pseudonym.
      const user = (
        await rows('gateway', `select username, email, full_name, is_active from api_users where user_id = '${pseudonym}'`)
      )[0]!;
      expect(user).toMatchObject({
        username: pseudonym,
        email: expect.stringMatching(/^enc:v1:/),
        full_name: expect.stringMatching(/^enc:v1:/),
        is_active: false,
      });
      const shown = await http('GET', `/api/v1/admin/users?search=${pseudonym}`, admin);
      expect(shown.status).toBe(200);
      expect(shown.body.items).toEqual([
        expect.objectContaining({ username: pseudonym, email: `${pseudonym}@erased.invalid`, fullName: pseudonym, isActive: false }),
      ]);
      expect((await http('POST', '/api/v1/auth/login', undefined, { username: OFFICER.username, password: PASSWORD })).status).toBe(401);
      for (const service of SERVICE_NAMES) {
        const dump = JSON.stringify(await rows(service, service === 'gateway' ? `select * from api_users` : `select * from outbox`));
        expect(dump).not.toContain(OFFICER.userId);
        expect(dump).not.toContain(OFFICER.email);
      }

      const audit = await rows(
        'gateway',
        `select user_id, decision, status_code, query_params from api_audit_logs where decision = 'privacy_erasure'`,
      );
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ user_id: 'usr_admin', status_code: 200 });
      const record = audit[0]!.query_params as any;
      expect(record).toMatchObject({
        privacy: 'erasure',
        subject: OFFICER.username,
        pseudonym,
        reason: 'GDPR art. 17 request #42',
        complete: true,
      });
      expect(record.counts.orders.order_request).toBe(1);
      expect(JSON.stringify(record)).not.toContain(OFFICER.email);
      expect(JSON.stringify(record)).not.toContain(OFFICER.userId);

      // A second export finds nothing; a second erasure changes nothing.
      const again = await http('GET', `/api/v1/admin/privacy/subjects/${OFFICER.username}/export`, admin);
      for (const service of SERVICE_NAMES) expect(again.body.services[service].tables).toEqual([]);
      const byId = await http('GET', `/api/v1/admin/privacy/subjects/${OFFICER.userId}/export`, admin);
      for (const service of SERVICE_NAMES) expect(byId.body.services[service].tables).toEqual([]);
      const repeated = await http('POST', `/api/v1/admin/privacy/subjects/${OFFICER.username}/erase`, admin, { reason: 'retry' });
      expect(repeated.status).toBe(200);
      for (const counts of Object.values(repeated.body.counts as Record<string, Record<string, number>>))
        for (const n of Object.values(counts)) expect(n).toBe(0);
      // A token issued before the erasure no longer works (checked last: the refused attempt is itself audited).
      expect((await http('GET', '/api/v1/auth/profile', officerToken)).status).toBe(401);
    });

    it('erases a customer in erp: the record stays for pricing and segments, its personal fields go', async () => {
      const admin = await login('admin');
      const erased = await http('POST', '/api/v1/admin/privacy/subjects/C-PRIV/erase', admin, { reason: 'customer asked' });
      expect(erased.status).toBe(200);
      expect(erased.body.counts.erp.tabCustomer).toBe(1);
      expect(await rows('erp', `select name, customer_name, customer_group from "tabCustomer" where name = 'C-PRIV'`)).toEqual([
        { name: 'C-PRIV', customer_name: erased.body.pseudonym, customer_group: 'Retail' },
      ]);
    });

    it('a service that cannot be reached leaves the erasure incomplete and audited; the retry completes it', async () => {
      const admin = await login('admin');
      const sync = nodes.get('sync')!;
      await sync.app.close();
      const partial = await http('POST', '/api/v1/admin/privacy/subjects/seeduwa-officer/erase', admin, { reason: 'request #43' });
      expect(partial.status).toBe(503);
      expect(partial.body.code).toBe('PRIVACY_ERASURE_INCOMPLETE');
      expect(partial.body.details.failures).toEqual([expect.objectContaining({ service: 'sync' })]);
      // The gateway kept the user, so the retry still finds every identifier.
      expect(await rows('gateway', `select count(*)::int as n from api_users where username = 'seeduwa-officer'`)).toEqual([{ n: 1 }]);
      const audit = await rows(
        'gateway',
        `select status_code, error_code, query_params from api_audit_logs where decision = 'privacy_erasure' order by request_timestamp`,
      );
      expect(audit.at(-1)).toMatchObject({
        status_code: 503,
        error_code: 'PRIVACY_ERASURE_INCOMPLETE',
        query_params: { subject: 'seeduwa-officer', complete: false },
      });

      sync.app = (await sync.definition.buildApp(sync.context)) as HttpApp;
      await sync.app.listen({ host: '127.0.0.1', port: Number(new URL(sync.context.peers.sync!).port) });
      const retried = await http('POST', '/api/v1/admin/privacy/subjects/seeduwa-officer/erase', admin, { reason: 'request #43, retry' });
      expect(retried.status).toBe(200);
      expect(retried.body.complete).toBe(true);
      expect(await rows('gateway', `select count(*)::int as n from api_users where username = 'seeduwa-officer'`)).toEqual([{ n: 0 }]);
    });

    it('refuses bad input with a 4xx and changes nothing', async () => {
      const admin = await login('admin');
      const before = await rows('gateway', `select count(*)::int as n from api_audit_logs where decision = 'privacy_erasure'`);
      expect((await http('POST', '/api/v1/admin/privacy/subjects/someone/erase', admin, {})).status).toBe(400);
      expect((await http('POST', '/api/v1/admin/privacy/subjects/someone/erase', admin, { reason: ' ' })).status).toBe(400);
      expect((await http('GET', '/api/v1/admin/privacy/subjects/%20%20/export', admin)).status).toBe(400);
      expect((await http('POST', '/api/v1/admin/privacy/subjects/someone/erase', admin, { reason: 'bad\u0000reason' })).status).toBe(400);
      expect((await http('GET', '/api/v1/admin/privacy/subjects/a%00b/export', admin)).status).toBe(400);
      const orders = signedAs('gateway', 'orders');
      for (const body of [
        { subjects: [], pseudonym: 'erased-aaaaaaaaaa' },
        { subjects: ['x'], pseudonym: 'Robert' },
        { subjects: ['a\u0000b'], pseudonym: 'erased-aaaaaaaaaa' },
        { subjects: ['x'], pseudonym: 'erased-aaaaaaaaaa', extra: 1 },
      ]) {
        expect((await orders.request({ method: 'POST', path: '/internal/privacy/erase', body })).status).toBe(400);
      }
      for (const query of [{ subject: 'a\u0000b' }, { subject: '' }, {}]) {
        expect((await orders.request({ method: 'GET', path: '/internal/privacy/export', query })).status).toBe(400);
      }
      expect(await rows('gateway', `select count(*)::int as n from api_audit_logs where decision = 'privacy_erasure'`)).toEqual(before);
    });
  });
}
