import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@tributary/platform/db';
import { signedInject, testCredentials, testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { signWebhookBody } from '../capture/webhook-signature.js';
import { startSync, testEnv, WEBHOOK_SECRET, type SyncUnderTest } from '../../../test/support/sync.js';
import { applySyncRetention, REMOVED, SCRUBBED_MARK } from './privacy.retention.js';

const DAY = 86_400_000;

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: sync's stored events — export, erasure, retention`, () => {
    let handle: TestDatabase;
    let sync: SyncUnderTest;
    const asGateway = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      signedInject(sync.app, { method, url, ...(body === undefined ? {} : { body }) }, testCredentials('gateway'));
    const events = async () =>
      (
        await sql<{
          event_data: any;
          metadata: any;
          source_user: string | null;
          source_ip: string | null;
        }>`select event_data, metadata, source_user, source_ip from sync_events order by id`.execute(sync.db)
      ).rows;

    beforeAll(async () => {
      handle = await target.create();
      sync = await startSync(handle.database, {}, testEnv(), { background: false });
      for (const [name, owner] of [
        ['CUST-1', 'usr_alice'],
        ['CUST-2', 'usr_bob'],
      ] as const) {
        const body = {
          doctype: 'Customer',
          name,
          customer_name: `${name} Perera`,
          email_id: `${name.toLowerCase()}@shop.lk`,
          owner,
          modified_by: owner,
          modified: '1',
        };
        const response = await sync.app.inject({
          method: 'POST',
          url: '/webhooks/erpnext/customer-updated',
          payload: JSON.stringify(body),
          headers: {
            'content-type': 'application/json',
            'x-frappe-webhook-signature': signWebhookBody(JSON.stringify(body), WEBHOOK_SECRET),
          },
        });
        expect(response.statusCode).toBe(202);
      }
    });
    afterAll(async () => {
      await sync.stop();
      await handle.destroy();
    });

    it('only the gateway may export or erase', async () => {
      const refused = await signedInject(
        sync.app,
        { method: 'GET', url: '/internal/privacy/export?subject=usr_alice', identity: { user: 'x', roles: ['administrator'] } },
        testCredentials('orders'),
      );
      expect({ status: refused.statusCode, code: refused.json().code }).toEqual({ status: 403, code: 'PRIVACY_CALLER_FORBIDDEN' });
    });

    it('exports and erases a user named inside stored documents, leaving the others', async () => {
      const exported = (await asGateway('GET', '/internal/privacy/export?subject=usr_alice')).json();
      expect(exported.tables.map((t: any) => `${t.table}:${t.relation}`)).toContain('sync_events:mention');
      const erased = await asGateway('POST', '/internal/privacy/erase', { subjects: ['usr_alice'], pseudonym: 'erased-0000aaaa11' });
      expect(erased.statusCode).toBe(200);
      expect(erased.json().counts.sync_events).toBe(1);
      const [alice, bob] = await events();
      expect(alice!.event_data).toMatchObject({ name: 'CUST-1', owner: 'erased-0000aaaa11', modified_by: 'erased-0000aaaa11' });
      expect(bob!.event_data).toMatchObject({ owner: 'usr_bob' });
      expect((await asGateway('GET', '/internal/privacy/export?subject=usr_alice')).json().tables).toEqual([]);
    });

    it('after the retention period, stored events lose their personal data but not the rows', async () => {
      const settings = { personalDays: 30, intervalMs: 60_000, batchSize: 1 };
      expect(await applySyncRetention(sync.db, Date.now(), settings)).toBe(0);
      expect(await applySyncRetention(sync.db, Date.now() + 31 * DAY, settings)).toBe(2);
      const rows = await events();
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.event_data).toMatchObject({ customer_name: REMOVED, email_id: REMOVED, doctype: 'Customer' });
        // An erased person's pseudonym is not personal and stays; anyone else is removed.
        expect([REMOVED, 'erased-0000aaaa11']).toContain(row.event_data.owner);
        expect(row.metadata[SCRUBBED_MARK]).toBe(true);
        expect([row.source_user, row.source_ip]).toEqual([null, null]);
      }
      expect(await applySyncRetention(sync.db, Date.now() + 31 * DAY, settings)).toBe(0);
    });
  });
}
