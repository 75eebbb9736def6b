import { sql } from '@tributary/platform/db';
import { countUnder, FieldCipher, parseCiphertext, reencryptAll, rotateAndReencrypt } from '@tributary/platform/crypto';
import { testDatabases } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERP_ENCRYPTED_TABLES, PII_FIELDS } from '../src/features/masters/customer-pii.js';
import { type Harness, ok, startHarness } from './harness.js';

const PERSON = {
  name: 'C-PRIYA',
  customer_name: 'Priya Raman',
  customer_type: 'Individual',
  email_id: 'Priya.Raman@example.in',
  mobile_no: '+91 98450 12345',
  primary_address: '14 Lalbagh Road, Bengaluru 560027',
  tax_id: 'GSTIN29ABCDE1234F1Z5',
};
/** Substrings of the plaintext that must never appear in the raw table. */
const NEEDLES = ['priya', 'example', '98450', '12345', 'lalbagh', 'bengaluru', 'gstin', 'abcde1234'];

for (const target of testDatabases()) {
  describe(`${target.label}: erp customer personal data at rest`, () => {
    let h: Harness;
    const raw = async (name: string) =>
      (
        await sql<
          Record<string, string | null>
        >`select email_id, email_id_bidx, mobile_no, primary_address, tax_id from ${sql.table('tabCustomer')} where name = ${name}`.execute(
          h.handle.database.db,
        )
      ).rows[0]!;

    beforeAll(async () => {
      // A TTL of 0: the app re-reads the active data key on every write, as a replica would after its TTL.
      h = await startHarness(target, {}, { activeKeyTtlMs: 0 });
    });
    afterAll(async () => h.close());

    it('the raw table holds ciphertext only; the API reads and writes plaintext', async () => {
      const created = await ok(h.call('POST', '/customers', PERSON), 201);
      expect(created).toMatchObject(PERSON);
      const row = await raw('C-PRIYA');
      for (const field of PII_FIELDS) {
        expect(row[field]).toMatch(/^enc:v1:dk-[0-9a-f]+:[A-Za-z0-9_-]+$/);
        for (const needle of NEEDLES) expect(row[field]!.toLowerCase()).not.toContain(needle);
      }
      expect(row.email_id_bidx).toMatch(/^[0-9a-f]{64}$/);
      expect(await ok(h.call('GET', '/customers/C-PRIYA'))).toMatchObject(PERSON);
      const list = await ok(h.call('GET', '/customers?q=PRIYA'));
      expect(list.data[0]).toMatchObject(PERSON);
      expect(list.data[0]).not.toHaveProperty('email_id_bidx');
    });

    it('an Idempotency-Key replay copy is sealed at rest too, and replays in plaintext', async () => {
      const person = { ...PERSON, name: 'C-PRIYA-2', customer_name: 'Priya Raman (2)', email_id: 'Priya.Two@example.in' };
      const first = await ok(h.call('POST', '/customers', person, { 'idempotency-key': 'pii-create-1' }), 201);
      const replay = await h.call('POST', '/customers', person, { 'idempotency-key': 'pii-create-1' });
      expect(replay.statusCode).toBe(201);
      expect(replay.json()).toEqual(first);
      const { rows } = await sql<{
        response_body: string;
      }>`select response_body from idempotency_key where idem_key = ${'pii-create-1'}`.execute(h.handle.database.db);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.response_body).toMatch(/^enc:v1:/);
      for (const needle of NEEDLES) expect(rows[0]!.response_body.toLowerCase()).not.toContain(needle);
    });

    it('filters by email through the blind index (case and spaces do not matter), and follows changes', async () => {
      await ok(h.call('POST', '/customers', { name: 'C-OTHER', customer_name: 'Other', email_id: 'other@example.in' }), 201);
      const found = await ok(h.call('GET', `/customers?email_id=${encodeURIComponent(' PRIYA.raman@EXAMPLE.in')}`));
      expect(found.data.map((c: { name: string }) => c.name)).toEqual(['C-PRIYA']);
      await ok(h.call('PATCH', '/customers/C-PRIYA', { email_id: 'priya@harsha.example' }));
      expect((await ok(h.call('GET', `/customers?email_id=${encodeURIComponent(PERSON.email_id)}`))).data).toEqual([]);
      expect((await ok(h.call('GET', '/customers?email_id=priya%40harsha.example'))).data.map((c: { name: string }) => c.name)).toEqual([
        'C-PRIYA',
      ]);
      const cleared = await ok(h.call('PATCH', '/customers/C-PRIYA', { mobile_no: null }));
      expect(cleared.mobile_no).toBeNull();
      expect((await raw('C-PRIYA')).mobile_no).toBeNull();
      await ok(h.call('PATCH', '/customers/C-PRIYA', { mobile_no: PERSON.mobile_no }));
    });

    it('events carry which personal fields changed, never the values', async () => {
      const rows = await h.handle.database.db
        .selectFrom('outbox')
        .select(['type', 'payload'])
        .where('type', 'like', 'erp.customer.%')
        .execute();
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const row of rows) {
        const text = (typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload)).toLowerCase();
        // The name is in clear by design (it is the document name); the contact fields are not.
        for (const needle of ['example.in', 'harsha.example', '98450', 'lalbagh', 'gstin', 'enc:v1']) expect(text).not.toContain(needle);
      }
      const payloads = rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
      expect(payloads.some((p) => JSON.stringify(p.pii_changed) === JSON.stringify(['email_id']))).toBe(true);
    });

    it('a ciphertext moved to another column does not decrypt (no silent swap)', async () => {
      await ok(h.call('POST', '/customers', { name: 'C-SWAP', customer_name: 'Swap', email_id: 'swap@example.in', tax_id: 'T-1' }), 201);
      await sql`update ${sql.table('tabCustomer')} set tax_id = email_id where name = ${'C-SWAP'}`.execute(h.handle.database.db);
      const response = await h.call('GET', '/customers/C-SWAP');
      expect(response.statusCode).toBe(500);
      expect(response.json().code).toBe('FIELD_CIPHERTEXT_UNAUTHENTIC');
      expect(response.body).not.toContain('swap@example.in');
      await ok(h.call('PATCH', '/customers/C-SWAP', { tax_id: 'T-1' }));
    });

    it('data key rotation while requests run: no failed request, then no value left under the old key', async () => {
      const db = h.handle.database.db;
      for (let i = 0; i < 20; i++)
        await ok(
          h.call('POST', '/customers', {
            name: `C-R${String(i).padStart(2, '0')}`,
            customer_name: `R ${i}`,
            email_id: `r${i}@example.in`,
            mobile_no: `+94 77 ${i}`,
          }),
          201,
        );
      const oldKey = parseCiphertext((await raw('C-R00')).email_id!)!.keyId;
      const failures: string[] = [];
      let stop = false;
      let served = 0;
      const traffic = (async () => {
        for (let i = 0; !stop; i++) {
          const n = String(i % 20).padStart(2, '0');
          const calls = [
            h.call('GET', `/customers/C-R${n}`),
            h.call('PATCH', `/customers/C-R${n}`, { mobile_no: `+94 77 ${i}` }),
            h.call('GET', `/customers?email_id=r${i % 20}%40example.in`),
            h.call('POST', '/customers', { name: `C-NEW${i}`, customer_name: `New ${i}`, email_id: `new${i}@example.in` }),
          ];
          for (const response of await Promise.all(calls)) {
            served++;
            if (response.statusCode >= 300) failures.push(`${response.statusCode} ${response.body}`);
          }
        }
      })();
      // The rotation runs as the operator's command would: its own cipher over the same database.
      const operator = new FieldCipher({ db, masterKeys: h.masterKeys });
      const report = await rotateAndReencrypt(db, operator, ERP_ENCRYPTED_TABLES, { batchSize: 4 });
      stop = true;
      await traffic;
      expect(failures).toEqual([]);
      expect(served).toBeGreaterThan(0);
      const final = await reencryptAll(db, operator, ERP_ENCRYPTED_TABLES);
      expect(final.remaining).toBe(0);
      expect(await countUnder(db, ERP_ENCRYPTED_TABLES, oldKey)).toBe(0);
      expect([...report.retired, ...final.retired]).toContain(oldKey);
      const state = await db.selectFrom('field_key').select('state').where('key_id', '=', oldKey).executeTakeFirstOrThrow();
      expect(state.state).toBe('retired');
      const after = await ok(h.call('GET', '/customers/C-R07'));
      expect(after.email_id).toBe('r7@example.in');
      expect(parseCiphertext((await raw('C-R07')).email_id!)!.keyId).toBe(report.newKeyId);
      expect((await ok(h.call('GET', '/customers?email_id=r7%40example.in'))).data).toHaveLength(1);
    });
  });
}
