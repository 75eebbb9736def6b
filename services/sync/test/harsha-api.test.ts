import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInject, testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { signWebhookBody } from '../src/features/capture/webhook-signature.js';
import { WebhookReceiver } from './support/peers.js';
import { eventually, startSync, testEnv, type SyncUnderTest } from './support/sync.js';

const SECRETS = {
  WEBHOOK_SECRET_ERPNEXT: 'erpnext-original-secret-0123456789',
  WEBHOOK_SECRET_MEDUSA: 'medusa-original-secret-0123456789',
};
const SIGNATURE_HEADERS = { erpnext: 'x-frappe-webhook-signature', espocrm: 'x-espocrm-signature', medusa: 'x-medusa-signature' };

/** The original Harsha sync service's HTTP API, called as its clients call it (through the gateway, which signs). */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the original sync API`, () => {
    let handle: TestDatabase;
    let sync: SyncUnderTest;
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      handle = (await target.create())!;
      receiver = await new WebhookReceiver().start();
      sync = await startSync(handle.database, {}, testEnv({ SYNC_SOURCES: 'erp', SYNC_WEBHOOK_SECRETS: '{}', ...SECRETS }));
    });
    afterAll(async () => {
      await sync?.stop();
      await receiver?.close();
      await handle?.destroy();
    });

    const as = (roles: string[]) => (method: 'GET' | 'POST', url: string, body?: unknown) =>
      signedInject(sync.app, { method, url, ...(body !== undefined ? { body } : {}), identity: { user: 'harsha-client', roles } });
    const integration = as(['integration']);
    // Sync's own job outcomes (partition upkeep and retention run at start) are captured in the
    // background whenever they finish; only what a caller's request could have added counts.
    const eventCount = async () =>
      Number(
        (
          await sync.db
            .selectFrom('sync_events')
            .where('event_source', '<>', 'sync')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('GET / lists the endpoints, unauthenticated', async () => {
      const response = await sync.app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        endpoints: { health: '/health', webhooks: '/webhooks', api: '/api', websocket: '/socket.io' },
        timestamp: expect.any(String),
      });
    });

    it('GET /health answers unauthenticated with the original shape and the readiness facts; the probes are unchanged', async () => {
      const response = await sync.app.inject({ method: 'GET', url: '/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: 'healthy',
        uptime: expect.any(Number),
        version: expect.any(String),
        services: { messageBroker: 'running', webSocket: 'running', webhooks: 'running' },
        ready: true,
        checks: { database: 'ok' },
      });
      expect((await sync.app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
      expect((await sync.app.inject({ method: 'GET', url: '/health/ready' })).json()).toMatchObject({ status: 'ok' });
    });

    it('POST /api/sync/customers {source} records a request readable at /api/sync/status/:id', async () => {
      const response = await integration('POST', '/api/sync/customers', { source: 'erpnext' });
      expect(response.statusCode).toBe(202);
      const body = response.json();
      expect(body).toMatchObject({
        success: true,
        message: 'Customer sync initiated from erpnext',
        event: 'customer.sync_requested',
        deliveries: 0,
      });
      const status = await integration('GET', `/api/sync/status/${body.id}`);
      expect(status.statusCode).toBe(200);
      expect(status.json()).toMatchObject({
        event_id: body.id,
        event_source: 'sync',
        event_name: 'customer.sync_requested',
        source_user: 'harsha-client',
        event_data: { source: 'erpnext', requestedBy: 'harsha-client' },
        deliveries: [],
      });
    });

    it('POST /api/sync/inventory {warehouse?} and POST /api/sync/low-stock (no body) are accepted', async () => {
      const one = await integration('POST', '/api/sync/inventory', { warehouse: 'Stores - HD' });
      expect(one.statusCode).toBe(202);
      expect(one.json()).toMatchObject({ success: true, message: 'Inventory sync initiated for warehouse Stores - HD' });
      const all = await integration('POST', '/api/sync/inventory', {});
      expect(all.json()).toMatchObject({ success: true, message: 'Inventory sync initiated' });
      const low = await integration('POST', '/api/sync/low-stock');
      expect(low.statusCode).toBe(202);
      expect(low.json()).toMatchObject({ success: true, message: 'Low stock sync initiated', event: 'inventory.low_stock_sync_requested' });
      const event = await sync.db
        .selectFrom('sync_events')
        .select('priority')
        .where('event_id', '=', low.json().id)
        .executeTakeFirstOrThrow();
      expect(event.priority).toBe(2);
    });

    it('POST /api/sync/trigger records a request of the named entity type', async () => {
      const response = await integration('POST', '/api/sync/trigger', { entityType: 'price', source: 'erpnext', target: 'medusa' });
      expect(response.statusCode).toBe(202);
      expect(response.json()).toMatchObject({ success: true, event: 'pricing.sync_requested' });
    });

    it('GET /api/sync/status answers the four queues, derived from the delivery table, and the socket statistics', async () => {
      const response = await integration('GET', '/api/sync/status');
      expect(response.statusCode).toBe(200);
      const body = response.json();
      for (const queue of ['customer-sync', 'inventory-sync', 'order-sync', 'pricing-sync']) {
        expect(body.queues[queue]).toEqual({ waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0, conflict: 0 });
      }
      expect(body.websocket).toMatchObject({ totalConnections: 0, activeSubscriptions: 0, clientsByRole: {}, subscriptionsByChannel: {} });
      expect(body).toMatchObject({ items: [], nextBefore: null, timestamp: expect.any(String) });
    });

    it('GET /api/sync/metrics answers the metric windows', async () => {
      const response = await integration('GET', '/api/sync/metrics');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ items: expect.any(Array) });
    });

    it('refuses callers without an integration or administrator role, and bad bodies, changing nothing', async () => {
      const before = await eventCount();
      const forbidden = await as(['analyst'])('POST', '/api/sync/customers', { source: 'erpnext' });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json().code).toBe('SYNC_ROLE_FORBIDDEN');
      expect((await as([])('POST', '/api/sync/low-stock')).statusCode).toBe(403);
      expect((await sync.app.inject({ method: 'POST', url: '/api/sync/low-stock' })).statusCode).toBe(401);
      const unknown = await integration('POST', '/api/sync/customers', { source: 'quickbooks' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().code).toBe('SYNC_REQUEST_SOURCE_UNKNOWN');
      expect((await integration('POST', '/api/sync/customers', {})).json().code).toBe('REQUEST_VALIDATION_FAILED');
      expect((await integration('POST', '/api/sync/trigger', { entityType: 'galaxy' })).statusCode).toBe(400);
      expect(await eventCount()).toBe(before);
    });

    it('each source: a bad signature is 401, a good one is captured; a source with no secret is 503', async () => {
      const bodies = {
        erpnext: {
          path: 'stock-entry-submitted',
          body: { doctype: 'Stock Entry', name: 'STE-0001', items: [{ item_code: 'LADOO-250', qty: 12 }] },
        },
        medusa: { path: 'order.placed', body: { data: { id: 'order_01', status: 'pending' } } },
        espocrm: { path: 'Account.afterSave', body: { id: 'acc-1', name: 'Sweet Shop' } },
      } as const;
      const send = (source: keyof typeof bodies, signature: string | undefined) =>
        sync.app.inject({
          method: 'POST',
          url: `/webhooks/${source}/${bodies[source].path}`,
          payload: JSON.stringify(bodies[source].body),
          headers: { 'content-type': 'application/json', ...(signature ? { [SIGNATURE_HEADERS[source]]: signature } : {}) },
        });
      const before = await eventCount();
      for (const source of ['erpnext', 'medusa', 'espocrm'] as const) {
        const raw = JSON.stringify(bodies[source].body);
        const bad = await send(source, signWebhookBody(raw, 'not-the-secret-of-this-source'));
        const missing = await send(source, undefined);
        if (source === 'espocrm') {
          expect(bad.statusCode).toBe(503);
          expect(bad.json().code).toBe('SYNC_WEBHOOK_SOURCE_NOT_CONFIGURED');
          continue;
        }
        expect(bad.statusCode).toBe(401);
        expect(bad.json().code).toBe('SYNC_WEBHOOK_SIGNATURE_INVALID');
        expect(missing.statusCode).toBe(401);
      }
      expect(await eventCount()).toBe(before);
      const good = await send('erpnext', signWebhookBody(JSON.stringify(bodies.erpnext.body), SECRETS.WEBHOOK_SECRET_ERPNEXT));
      expect(good.statusCode).toBe(202);
      expect(good.json()).toMatchObject({ success: true, eventId: expect.any(String), duplicate: false, timestamp: expect.any(String) });
      const medusa = await send('medusa', signWebhookBody(JSON.stringify(bodies.medusa.body), SECRETS.WEBHOOK_SECRET_MEDUSA));
      expect(medusa.statusCode).toBe(202);
    });

    it('GET /webhooks/health answers the original shape and the sources that have a secret', async () => {
      const response = await sync.app.inject({ method: 'GET', url: '/webhooks/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ status: 'healthy', uptime: expect.any(Number), sources: ['erpnext', 'medusa'] });
    });

    it('POST /webhooks/register stores the callback and delivers matching events to it, signed', async () => {
      const callbackUrl = `${receiver.url}/harsha/callback`;
      const unsigned = await sync.app.inject({
        method: 'POST',
        url: '/webhooks/register',
        payload: { source: 'erpnext', eventTypes: ['customer-updated'], callbackUrl },
      });
      expect(unsigned.statusCode).toBe(401);
      const plainHttp = await integration('POST', '/webhooks/register', {
        source: 'erpnext',
        eventTypes: ['customer-updated'],
        callbackUrl: 'http://crm.example.com/hook',
      });
      expect(plainHttp.statusCode).toBe(400);
      expect(plainHttp.json().code).toBe('SYNC_CALLBACK_URL_INVALID');

      const response = await integration('POST', '/webhooks/register', {
        source: 'erpnext',
        eventTypes: ['customer-updated'],
        callbackUrl,
      });
      expect(response.statusCode).toBe(200);
      const { registration } = response.json();
      expect(registration).toMatchObject({
        source: 'erpnext',
        eventTypes: ['customer-updated'],
        callbackUrl,
        signatureHeader: 'webhook-signature',
      });
      expect(registration.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      const stored = await integration('GET', `/api/sync/configurations/${registration.id}`);
      expect(stored.json()).toMatchObject({
        source_system: 'erpnext',
        is_active: true,
        configuration: { target: { kind: 'webhook', url: callbackUrl, secret: '[set]' } },
      });

      const body = { doctype: 'Customer', name: 'CUST-0042', customer_name: 'Sweet Shop', modified: '2026-01-01 10:00:00' };
      const raw = JSON.stringify(body);
      const pushed = await sync.app.inject({
        method: 'POST',
        url: '/webhooks/erpnext/customer-updated',
        payload: raw,
        headers: { 'content-type': 'application/json', 'x-frappe-webhook-signature': signWebhookBody(raw, SECRETS.WEBHOOK_SECRET_ERPNEXT) },
      });
      expect(pushed.json()).toMatchObject({ deliveries: 1 });
      await eventually(async () => expect(receiver.received.length).toBe(1));
      const delivered = receiver.received[0]!;
      expect(delivered.body).toMatchObject({
        id: pushed.json().eventId,
        aggregateId: 'CUST-0042',
        payload: { customer_name: 'Sweet Shop' },
      });
      // Standard Webhooks: the delivery's stable id, the attempt time, and the signature the receiver checks.
      const { Webhook } = await import('standardwebhooks');
      expect(delivered.headers['webhook-id']).toBe(pushed.json().eventId);
      expect(
        new Webhook(registration.secret).verify(JSON.stringify(delivered.body), {
          'webhook-id': String(delivered.headers['webhook-id']),
          'webhook-timestamp': String(delivered.headers['webhook-timestamp']),
          'webhook-signature': String(delivered.headers['webhook-signature']),
        }),
      ).toEqual(delivered.body);
    });
  });
}
