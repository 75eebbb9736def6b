import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@tributary/platform/db';
import { signedInject, testCredentials, testDatabases } from '@tributary/platform/testing';
import { ok, startHarness, type Harness } from '../../../test/harness.js';

/** erp's declaration on every dialect it runs on (MariaDB in production). */
for (const target of testDatabases()) {
  describe(`${target.label}: erp personal data — export and erasure`, () => {
    let h: Harness;
    const asGateway = (method: 'GET' | 'POST', url: string, body?: unknown) =>
      signedInject(h.app, { method, url, ...(body === undefined ? {} : { body }) }, testCredentials('gateway'));
    const customer = async (name: string) =>
      (
        await sql<
          Record<string, unknown>
        >`select name, customer_name, customer_group, owner, modified_by from ${sql.table('tabCustomer')} where name = ${name}`.execute(
          h.handle.database.db,
        )
      ).rows[0];

    beforeAll(async () => {
      h = await startHarness(target);
      await ok(h.call('POST', '/customers', { name: 'C-ONE', customer_name: 'Nimal Perera', customer_group: 'Retail' }), 201);
      await ok(h.call('POST', '/customers', { name: 'C-TWO', customer_name: 'Other Buyer', customer_group: 'Retail' }), 201);
    });
    afterAll(async () => h.close());

    it('exports a customer record and what a user created, to the gateway only', async () => {
      const refused = await h.call('GET', '/internal/privacy/export?subject=C-ONE');
      // erp's own route guard refuses first (the privacy rule admits only PRIVACY_CALLERS acting as themselves).
      expect({ status: refused.statusCode, code: refused.json().code }).toEqual({ status: 403, code: 'ROLE_FORBIDDEN' });
      const exported = (await asGateway('GET', '/internal/privacy/export?subject=C-ONE')).json();
      expect(exported.tables.find((t: any) => t.relation === 'owner')).toMatchObject({
        table: 'tabCustomer',
        rows: [{ name: 'C-ONE', customer_name: 'Nimal Perera' }],
      });
      const byUser = (await asGateway('GET', '/internal/privacy/export?subject=tester')).json();
      expect(byUser.tables.find((t: any) => t.table === 'tabCustomer' && t.relation === 'actor').rows).toHaveLength(2);
    });

    it('erases the customer (record kept for pricing and segments) and a user (documents kept, pseudonymised)', async () => {
      const erased = (await asGateway('POST', '/internal/privacy/erase', { subjects: ['C-ONE'], pseudonym: 'erased-1111111111' })).json();
      expect(erased.counts.tabCustomer).toBe(1);
      expect(await customer('C-ONE')).toMatchObject({
        name: 'C-ONE',
        customer_name: 'erased-1111111111',
        customer_group: 'Retail',
        owner: 'tester',
      });
      expect(await customer('C-TWO')).toMatchObject({ customer_name: 'Other Buyer' });
      const user = (await asGateway('POST', '/internal/privacy/erase', { subjects: ['tester'], pseudonym: 'erased-2222222222' })).json();
      expect(user.counts.tabCustomer).toBe(2);
      expect(await customer('C-TWO')).toMatchObject({
        customer_name: 'Other Buyer',
        owner: 'erased-2222222222',
        modified_by: 'erased-2222222222',
      });
      const outbox = (
        await sql<{ payload: string; metadata: string | null }>`select payload, metadata from outbox`.execute(h.handle.database.db)
      ).rows;
      expect(JSON.stringify(outbox)).not.toContain('"tester"');
      expect(JSON.stringify(outbox)).not.toContain('Nimal Perera');
      const again = (
        await asGateway('POST', '/internal/privacy/erase', { subjects: ['tester', 'C-ONE'], pseudonym: 'erased-3333333333' })
      ).json();
      expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
      expect((await asGateway('GET', '/internal/privacy/export?subject=C-ONE&subject=tester')).json().tables).toEqual([]);
    });
  });
}
