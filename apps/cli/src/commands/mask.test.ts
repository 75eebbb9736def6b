import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, sql, type Database } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { pgliteDirectoryUrl, testDatabases, testKeyring, type TestDatabaseTarget, testServiceContext } from '@tributary/platform/testing';
import { loadService } from '../services.js';
import { maskCommand } from './mask.js';

const KEY = 'test-mask-key';
const keyring = testKeyring();

/** A service's database as production would have it: migrated, demo data, plus a few personal rows. */
async function prepare(name: string, database: Database): Promise<void> {
  const definition = (await loadService(name))!;
  await migrateToLatest(database, definition.migrations);
  const context = testServiceContext(name, database, { env: { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' }, keyring });
  await definition.seed?.(context);
  if (name === 'gateway') {
    await sql`insert into api_audit_logs (request_id, http_method, path, user_id, authentication_method, client_ip, user_agent, status_code, response_time_ms, decision, request_timestamp, response_timestamp, rate_limited)
      values ('r1', 'GET', '/api/v1/orders/order', 'usr_admin', 'jwt', '203.0.113.7', 'Mozilla/5.0 (Alice laptop)', 200, 3, 'allowed', now(), now(), false)`.execute(
      database.db,
    );
  }
  if (name === 'sync') {
    // Partitions are the maintenance loop's to make; one for this test's rows.
    await sql`create table sync_events_mask_test partition of sync_events for values from ('2000-01-01') to ('2100-01-01')`.execute(
      database.db,
    );
    await sql`insert into sync_events (event_id, event_type, event_source, event_name, doctype, doc_name, event_data, metadata, event_timestamp, source_user, source_ip, target_services, processed_by_services)
      values ('e1', 'update', 'erpnext', 'customer-updated', 'Customer', 'CUST-1', ${JSON.stringify({ customer_name: 'Kamal Perera', owner: 'usr_admin', qty: 3 })},
        ${JSON.stringify({ user: 'usr_admin' })}, now(), 'usr_admin', '198.51.100.4', '[]', '[]')`.execute(database.db);
  }
  if (name === 'erp') {
    await sql`update ${sql.table('tabCustomer')} set owner = 'usr_admin', modified_by = 'usr_admin'`.execute(database.db);
  }
}

interface Place {
  url: string;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

/** Databases that can be opened again by URL (what the command does): PGlite directories, or fresh server databases. */
async function places(target: TestDatabaseTarget, dir: string): Promise<() => Promise<Place>> {
  let n = 0;
  if (target.dialect === 'pglite') {
    return async () => {
      const url = await pgliteDirectoryUrl(join(dir, `db${n++}`));
      return { url, open: () => createDatabase(url), drop: async () => undefined };
    };
  }
  return async () => {
    const handle = await target.create();
    await handle.database.close();
    return { url: handle.url, open: () => createDatabase(handle.url), drop: () => handle.destroy() };
  };
}

const columnValues = async (database: Database, query: string) => (await sql.raw<Record<string, unknown>>(query).execute(database.db)).rows;

const CASES: { service: string; dialects: ('pglite' | 'postgres' | 'mysql')[] }[] = [
  { service: 'gateway', dialects: ['pglite', 'postgres'] },
  { service: 'erp', dialects: ['pglite', 'mysql'] },
  { service: 'orders', dialects: ['pglite', 'postgres'] },
  { service: 'processing', dialects: ['pglite', 'postgres'] },
  { service: 'sync', dialects: ['pglite', 'postgres'] },
];

for (const { service, dialects } of CASES) {
  for (const target of testDatabases({ dialects })) {
    describe(`${target.label}: tributary mask --service ${service}`, () => {
      let dir: string;
      let source: Place;
      let copy: Place;
      let next: () => Promise<Place>;
      beforeAll(async () => {
        dir = await mkdtemp(join(tmpdir(), 'tributary-mask-'));
        next = await places(target, dir);
        source = await next();
        copy = await next();
        const database = await source.open();
        await prepare(service, database);
        await database.close();
      }, 120_000);
      afterAll(async () => {
        await source.drop();
        await copy.drop();
        await rm(dir, { recursive: true, force: true });
      });

      it('copies every row, rewrites the personal columns and verifies none of their values is left', async () => {
        const report = await maskCommand({ service, from: source.url, to: copy.url, key: KEY, batchSize: 2 });
        expect(report.leaks).toEqual([]);
        if (['gateway', 'erp', 'sync'].includes(service)) expect(report.checkedValues).toBeGreaterThan(0);
        const from = await source.open();
        const to = await copy.open();
        try {
          for (const [table, rows] of Object.entries(report.tables)) {
            const [count] = await columnValues(
              from,
              `select count(*) as n from ${table
                .split('.')
                .map((p) => (from.dialect === 'mysql' ? `\`${p}\`` : `"${p}"`))
                .join('.')}`,
            );
            expect({ table, rows }).toEqual({ table, rows: Number(count!.n) });
          }
          if (service === 'gateway') {
            const users = await columnValues(to, `select user_id, username, email, full_name from api_users order by user_id`);
            const original = await columnValues(from, `select user_id, username, email, full_name from api_users order by user_id`);
            expect(users).toHaveLength(original.length);
            for (const user of users) {
              expect(String(user.email)).toMatch(/^[^@]+@[^@]+\.[a-z]+$/);
              expect(original.map((o) => o.email)).not.toContain(user.email);
              expect(original.map((o) => o.full_name)).not.toContain(user.full_name);
            }
            // Production's wrapped data keys stay behind, and so does the keyed index of real addresses:
            // the copy's gateway makes its own keys and encrypts the fakes at start-up.
            expect(await columnValues(to, `select key_id from field_key`)).toEqual([]);
            expect((await columnValues(to, `select email_bidx from api_users`)).every((row) => row.email_bidx === null)).toBe(true);
            // The same person is the same fake everywhere: the audit row still joins its user.
            const [audit] = await columnValues(
              to,
              `select a.client_ip::text as ip, a.user_agent, u.username from api_audit_logs a join api_users u on u.user_id = a.user_id where a.request_id = 'r1'`,
            );
            expect(audit).toBeDefined();
            expect(audit!.ip).not.toContain('203.0.113.7');
            expect(String(audit!.user_agent)).not.toContain('Alice');
          }
          if (service === 'erp') {
            const customers = await columnValues(
              to,
              'select name, customer_name, owner from `tabCustomer` order by name'.replace(/`/g, to.dialect === 'mysql' ? '`' : '"'),
            );
            const original = await columnValues(
              from,
              'select name, customer_name from `tabCustomer` order by name'.replace(/`/g, from.dialect === 'mysql' ? '`' : '"'),
            );
            expect(customers.map((c) => c.name)).toEqual(original.map((c) => c.name));
            for (const customer of customers) {
              expect(original.map((o) => o.customer_name)).not.toContain(customer.customer_name);
              expect(customer.owner).not.toBe('usr_admin');
            }
          }
        } finally {
          await from.close();
          await to.close();
        }
      });

      it('refuses a target that is not empty unless told to replace it, and masks the same way under the same key', async () => {
        await expect(maskCommand({ service, from: source.url, to: copy.url, key: KEY })).rejects.toThrow(/not an empty database/);
        const to = await copy.open();
        const snapshot = async () =>
          service === 'gateway'
            ? columnValues(to, 'select user_id, email from api_users order by user_id')
            : service === 'erp'
              ? columnValues(to, `select count(*) as n from ${to.dialect === 'mysql' ? '`tabCustomer`' : '"tabCustomer"'}`)
              : [];
        const before = await snapshot();
        await to.close();
        const again = await maskCommand({ service, from: source.url, to: copy.url, key: KEY, replace: true });
        expect(again.leaks).toEqual([]);
        const reopened = await copy.open();
        const after =
          service === 'gateway' ? await columnValues(reopened, 'select user_id, email from api_users order by user_id') : before;
        await reopened.close();
        expect(after).toEqual(before);
      });
    });
  }
}
