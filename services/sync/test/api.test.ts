import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { captureEvents } from '../src/features/capture/capture.service.js';
import { toIncoming } from '../src/features/capture/collector.js';
import { signWebhookBody } from '../src/features/capture/webhook-signature.js';
import { allPartitionTables, attachedPartitions, maintainPartitions, partitionName } from '../src/features/maintenance/partitions.js';
import { TargetService, WebhookReceiver } from './support/peers.js';
import { eventually, routeConfig, startSync, testEnv, WEBHOOK_SECRET, type SyncUnderTest } from './support/sync.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: webhooks, configurations, batch syncs, partitions`, () => {
    const handles: TestDatabase[] = [];
    let consumer: TargetService;
    let sync: SyncUnderTest;
    let webhookUrl = '';
    let receiver: WebhookReceiver;

    beforeAll(async () => {
      const [b, c] = await Promise.all([target.create(), target.create()]);
      handles.push(b!, c!);
      consumer = await TargetService.start(b!.database);
      receiver = await new WebhookReceiver('crm-shared-secret-0123456789').start();
      webhookUrl = `${receiver.url}/hooks/tributary?tenant=t1`;
      sync = await startSync(c!.database, { tgt: consumer.url }, testEnv({ SYNC_SOURCES: '' }));
    });
    afterAll(async () => {
      await sync?.stop();
      await consumer?.close();
      await receiver?.close();
      await Promise.all(handles.map((handle) => handle.destroy()));
    });

    const webhook = (path: string, body: unknown, signature?: string, headers: Record<string, string> = {}) => {
      const payload = JSON.stringify(body);
      return sync.app.inject({
        method: 'POST',
        url: path,
        payload,
        headers: {
          'content-type': 'application/json',
          ...(signature === undefined ? {} : { 'x-frappe-webhook-signature': signature }),
          ...headers,
        },
      });
    };

    it('ships with the Tributary flows configured; ERP webhooks stay off until a URL is set', async () => {
      const list = (await sync.call('GET', '/api/sync/configurations')).json().items;
      const byName = Object.fromEntries(list.map((config: any) => [config.config_name, config]));
      expect(byName.Processing_Allocations_To_Orders).toMatchObject({
        source_system: 'processing',
        target_system: 'orders',
        is_active: true,
      });
      expect(byName.Processing_Trader_Status_To_Orders).toMatchObject({
        source_system: 'processing',
        target_system: 'orders',
        is_active: true,
      });
      expect(byName.Orders_Shipments_To_Processing).toMatchObject({
        source_system: 'orders',
        target_system: 'processing',
        is_active: true,
      });
      for (const name of ['ERPNext_Customer_Sync', 'Item_Master_Sync', 'ERP_Batch_Sync', 'ERP_Pricing_Sync']) {
        expect(byName[name]).toMatchObject({ source_system: 'erp', is_active: false });
      }
      const refused = await sync.call('PATCH', `/api/sync/configurations/${byName.ERPNext_Customer_Sync.config_id}`, { is_active: true });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().code).toBe('SYNC_CONFIG_INVALID');
    });

    it('accepts signed ERPNext webhooks, deduplicates repeats and delivers to the configured webhook URL', async () => {
      const configs = (await sync.call('GET', '/api/sync/configurations')).json().items;
      const customer = configs.find((config: any) => config.config_name === 'ERPNext_Customer_Sync');
      const enabled = await sync.call('PATCH', `/api/sync/configurations/${customer.config_id}`, {
        source_system: 'erpnext',
        configuration: { ...customer.configuration, target: { kind: 'webhook', url: webhookUrl, secret: 'crm-shared-secret-0123456789' } },
        is_active: true,
      });
      expect(enabled.statusCode).toBe(200);
      expect(enabled.json().version).toBe(2);
      const body = {
        doctype: 'Customer',
        name: 'CUST-0001',
        customer_name: 'Sweet Shop',
        customer_code: 'C1',
        territory: 'South',
        modified: '1',
      };
      const raw = JSON.stringify(body);
      const first = await webhook('/webhooks/erpnext/customer-updated', body, signWebhookBody(raw, WEBHOOK_SECRET));
      expect(first.statusCode).toBe(202);
      expect(first.json()).toMatchObject({ duplicate: false, deliveries: 1 });
      const again = await webhook('/webhooks/erpnext/customer-updated', body, signWebhookBody(raw, WEBHOOK_SECRET));
      expect(again.json()).toMatchObject({ eventId: first.json().eventId, duplicate: true, deliveries: 0 });
      const got = await eventually(async () => {
        const hits = receiver.received.filter((hit) => hit.body.aggregateId === 'CUST-0001');
        expect(hits).toHaveLength(1);
        return hits[0]!;
      });
      // Field mappings applied (customer_name → name), signed with the configuration's (plain, pre-scheme) secret
      // by the Standard Webhooks scheme, event id as the key and as the webhook id.
      expect(got.body.payload).toEqual({ doctype: 'Customer', name: 'Sweet Shop', customer_code: 'C1', territory: 'South', modified: '1' });
      expect(got.body).toMatchObject({ id: first.json().eventId, source: 'erpnext', type: 'customer-updated', sourceVersion: '1' });
      expect(got.signatureValid).toBe(true);
      expect(got.headers['idempotency-key']).toBe(first.json().eventId);
      expect(got.headers['webhook-id']).toBe(first.json().eventId);
      expect(got.headers['x-tributary-signature']).toBeUndefined();
    });

    it('refuses bad webhooks with a clear code and stores nothing', async () => {
      const before = await sql<{ n: string }>`select count(*) as n from sync_event_ids`.execute(sync.db);
      const body = { doctype: 'Customer', name: 'X' };
      const raw = JSON.stringify(body);
      expect((await webhook('/webhooks/erpnext/customer-updated', body)).json().code).toBe('SYNC_WEBHOOK_SIGNATURE_INVALID');
      expect(
        (await webhook('/webhooks/erpnext/customer-updated', body, signWebhookBody(raw, 'a-different-secret-entirely'))).statusCode,
      ).toBe(401);
      expect((await webhook('/webhooks/erpnext/customer-updated', body, 'sha256=zz')).statusCode).toBe(401);
      expect((await webhook('/webhooks/espocrm/Account.afterSave', body, signWebhookBody(raw, WEBHOOK_SECRET))).json().code).toBe(
        'SYNC_WEBHOOK_SOURCE_NOT_CONFIGURED',
      );
      const unknown = await webhook('/webhooks/erpnext/customer-exploded', body, signWebhookBody(raw, WEBHOOK_SECRET));
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().code).toBe('SYNC_WEBHOOK_EVENT_UNKNOWN');
      const list = JSON.stringify([1, 2]);
      expect((await webhook('/webhooks/erpnext/customer-updated', [1, 2], signWebhookBody(list, WEBHOOK_SECRET))).json().code).toBe(
        'SYNC_WEBHOOK_BODY_INVALID',
      );
      const after = await sql<{ n: string }>`select count(*) as n from sync_event_ids`.execute(sync.db);
      expect(after.rows[0]!.n).toBe(before.rows[0]!.n);
      // Medusa names its events in the body and accepts wildcards (product.*).
      const medusa = { event: 'product.updated', data: { id: 'prod_1' } };
      const signed = await sync.app.inject({
        method: 'POST',
        url: '/webhooks/medusa',
        payload: JSON.stringify(medusa),
        headers: {
          'content-type': 'application/json',
          'x-medusa-signature': signWebhookBody(JSON.stringify(medusa), `${WEBHOOK_SECRET}-medusa`),
        },
      });
      expect(signed.statusCode).toBe(202);
      const stored = await sync.db
        .selectFrom('sync_events')
        .selectAll()
        .where('event_id', '=', signed.json().eventId)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({
        event_source: 'medusa',
        event_name: 'product.updated',
        doctype: 'product',
        doc_name: 'prod_1',
        event_type: 'update',
        processing_status: 'skipped',
      });
    });

    it('lists the data changes one user made, from every service’s metadata shape', async () => {
      const event = (n: number, metadata: Record<string, unknown>) => ({
        id: `00000000-0000-4000-8000-00000000a0${n}0`,
        sequence: String(n),
        aggregateType: 'shipment',
        aggregateId: `trail-${n}`,
        type: 'shipment.changed',
        payload: { n },
        metadata,
        createdAt: Date.now(),
      });
      const events = [
        event(1, { actor: 'trail-officer' }),
        event(2, { user: 'trail-officer', principal: 'gateway' }),
        event(3, { actor: 'someone-else' }),
      ];
      await captureEvents(
        sync.deps.capture,
        'trail',
        events.map((one) => toIncoming('trail', one)),
      );
      const trail = await sync.call('GET', '/api/sync/events?user=trail-officer');
      expect(trail.statusCode).toBe(200);
      expect(
        trail
          .json()
          .items.map((row: { doc_name: string; source_user: string }) => [row.doc_name, row.source_user])
          .sort(),
      ).toEqual([
        ['trail-1', 'trail-officer'],
        ['trail-2', 'trail-officer'],
      ]);
    });

    it('validates configurations and refuses bad input without changing anything', async () => {
      const count = async () => (await sync.call('GET', '/api/sync/configurations')).json().items.length;
      const before = await count();
      const bad = [
        routeConfig('no_target_service', { target_system: 'nowhere' }, { target: { kind: 'service', service: 'nowhere' } }),
        routeConfig('bad_rule', {}, { conflict: { strategy: 'business_rule', rule: 'does_not_exist' } }),
        routeConfig('bad_cron', { sync_frequency: 'hourly' }, { schedule: 'every tuesday' }),
        routeConfig('bad_pattern', {}, { eventTypes: ["x'; drop table sync_events; --"] }),
        { ...routeConfig('wrong_type'), max_retries: 'lots' },
        routeConfig('same_ends', { target_system: 'src' }, { target: { kind: 'service', service: 'src' } }),
        routeConfig('', {}),
      ];
      for (const body of bad) {
        const response = await sync.call('POST', '/api/sync/configurations', body);
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
      }
      expect(await count()).toBe(before);
      const created = await sync.call('POST', '/api/sync/configurations', routeConfig('good_one'));
      expect(created.statusCode).toBe(201);
      expect((await sync.call('POST', '/api/sync/configurations', routeConfig('good_one'))).json().code).toBe('SYNC_CONFIG_NAME_TAKEN');
      const id = created.json().config_id;
      const stale = await sync.call('PUT', `/api/sync/configurations/${id}?version=7`, routeConfig('good_one'));
      expect(stale.json().code).toBe('SYNC_CONFIG_VERSION_MISMATCH');
      expect((await sync.call('DELETE', `/api/sync/configurations/${id}`)).statusCode).toBe(204);
      expect((await sync.call('GET', `/api/sync/configurations/${id}`)).statusCode).toBe(404);
      expect((await sync.call('GET', '/api/sync/events?limit=0')).statusCode).toBe(400);
      expect((await sync.app.inject({ method: 'GET', url: '/api/sync/events' })).statusCode).toBe(401);
    });

    it('holds deliveries of a batch (hourly) configuration until its run releases them', async () => {
      const created = await sync.call(
        'POST',
        '/api/sync/configurations',
        routeConfig(
          'hourly_items',
          { source_system: 'erpnext', sync_frequency: 'hourly', validation_rules: { required_fields: ['item_code'] } },
          { eventTypes: ['item-updated'], target: { kind: 'webhook', url: webhookUrl }, fieldMappings: { item_group: 'category' } },
        ),
      );
      expect(created.statusCode, JSON.stringify(created.json())).toBe(201);
      const body = { doctype: 'Item', name: 'ITEM-1', item_code: 'ITEM-1', item_group: 'Toffee' };
      const accepted = await webhook('/webhooks/erpnext/item-updated', body, signWebhookBody(JSON.stringify(body), WEBHOOK_SECRET));
      expect(accepted.json().deliveries).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const held = await sync.db
        .selectFrom('sync_status')
        .selectAll()
        .where('event_id', '=', accepted.json().eventId)
        .executeTakeFirstOrThrow();
      expect(held).toMatchObject({ held: true, sync_status: 'pending', operation_type: 'bulk_sync' });
      const run = await sync.call('POST', `/api/sync/configurations/${created.json().config_id}/run`);
      expect(run.json()).toEqual({ released: 1 });
      await eventually(async () =>
        expect(receiver.received.find((hit) => hit.body.aggregateId === 'ITEM-1')?.body.payload).toEqual({
          doctype: 'Item',
          name: 'ITEM-1',
          item_code: 'ITEM-1',
          category: 'Toffee',
        }),
      );
      // Missing a required field: parked as failed at once, with the reason.
      const bad = { doctype: 'Item', name: 'ITEM-2' };
      const refused = await webhook('/webhooks/erpnext/item-updated', bad, signWebhookBody(JSON.stringify(bad), WEBHOOK_SECRET));
      await sync.call('POST', `/api/sync/configurations/${created.json().config_id}/run`);
      await eventually(async () => {
        const row = await sync.db
          .selectFrom('sync_status')
          .selectAll()
          .where('event_id', '=', refused.json().eventId)
          .executeTakeFirstOrThrow();
        expect(row.sync_status).toBe('failed');
        expect(row.last_error_message).toContain('item_code');
      });
    });

    it('runs a batch configuration on its cron schedule', async () => {
      const created = await sync.call(
        'POST',
        '/api/sync/configurations',
        routeConfig(
          'every_second_prices',
          { source_system: 'erpnext', sync_frequency: 'daily' },
          { eventTypes: ['item-price-updated'], target: { kind: 'webhook', url: webhookUrl }, schedule: '* * * * * *' },
        ),
      );
      expect(created.statusCode, JSON.stringify(created.json())).toBe(201);
      await sync.background!.scheduler!.refresh();
      const body = { doctype: 'Item Price', name: 'PRICE-1', price_list_rate: '12.50' };
      const accepted = await webhook('/webhooks/erpnext/item-price-updated', body, signWebhookBody(JSON.stringify(body), WEBHOOK_SECRET));
      expect(accepted.json().deliveries).toBe(1);
      await eventually(
        async () => expect(receiver.received.find((hit) => hit.body.aggregateId === 'PRICE-1')?.body.payload).toEqual(body),
        20_000,
      );
      const row = await sync.db
        .selectFrom('sync_status')
        .selectAll()
        .where('event_id', '=', accepted.json().eventId)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({ held: false, operation_type: 'bulk_sync' });
      expect(
        (
          await sync.call('PATCH', `/api/sync/configurations/${created.json().config_id}`, {
            configuration: { ...created.json().configuration, schedule: 'not a cron' },
          })
        ).json().code,
      ).toBe('SYNC_CONFIG_INVALID');
    });

    it('answers malformed requests with 400 and a stable code', async () => {
      const cases: [string, string, unknown?][] = [
        ['GET', '/api/sync/conflicts/not-a-uuid'],
        ['GET', '/api/sync/status?status=exploded'],
        ['GET', '/api/sync/events?before=1;drop'],
        ['POST', '/api/sync/conflicts/00000000-0000-4000-8000-000000000000/assign', { assignee: '' }],
        ['POST', '/api/sync/replay', { syncIds: ['x'] }],
        ['POST', '/api/sync/status/00000000-0000-4000-8000-000000000000/skip', {}],
        ['GET', '/api/sync/metrics?from=yesterday'],
      ];
      for (const [method, url, body] of cases) {
        const response = await sync.call(method as 'GET' | 'POST', url, body);
        expect(response.statusCode, `${method} ${url}`).toBe(400);
        expect(typeof response.json().code).toBe('string');
      }
      expect((await sync.call('POST', '/api/sync/status/00000000-0000-4000-8000-000000000000/replay')).json().code).toBe(
        'SYNC_STATUS_NOT_FOUND',
      );
    });

    it('creates monthly partitions ahead, archives past the active window and drops past the archive window', async () => {
      const now = new Date(Date.UTC(2031, 5, 15));
      const policy = { activeMonths: 6, archiveMonths: 18, premakeMonths: 3 };
      const report = await maintainPartitions(sync.db, now, policy);
      expect(report.created).toEqual([partitionName(2031, 5), partitionName(2031, 6), partitionName(2031, 7), partitionName(2031, 8)]);
      // An event captured in that month lands in its partition.
      await sql`insert into sync_events (event_id, event_type, event_source, event_name, doctype, doc_name, event_data, created_at)
                values ('p-1', 'custom', 'test', 'x', 'x', 'x', '{}'::jsonb, ${new Date(Date.UTC(2031, 5, 20))})`.execute(sync.db);
      const later = await maintainPartitions(sync.db, new Date(Date.UTC(2031, 11, 2)), policy);
      expect(later.archived).toContain(partitionName(2031, 5));
      expect(await attachedPartitions(sync.db)).not.toContain(partitionName(2031, 5));
      expect(await allPartitionTables(sync.db)).toContain(partitionName(2031, 5));
      const archivedRows = await sql<{ n: string }>`select count(*) as n from ${sql.table(partitionName(2031, 5))}`.execute(sync.db);
      expect(Number(archivedRows.rows[0]!.n)).toBe(1);
      const muchLater = await maintainPartitions(sync.db, new Date(Date.UTC(2033, 11, 2)), policy);
      expect(muchLater.dropped).toContain(partitionName(2031, 5));
      expect(await allPartitionTables(sync.db)).not.toContain(partitionName(2031, 5));
    });
  });
}
