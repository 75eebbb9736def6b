import { countUnder, FieldCipher, parseCiphertext, reencryptAll, rotateAndReencrypt } from '@tributary/platform/crypto';
import { sql } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../db/migrations/index.js';
import { createUser, login, PASSWORD, startGateway, type TestGateway } from '../../../test/support.js';
import { GATEWAY_ENCRYPTED_TABLES, gatewayMasterKeys } from './users.repository.js';

const beforeEncryption = migrations.filter((m) => m.name < '0004_api_users_encrypted');

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: gateway personal data at rest`, () => {
    let handle: TestDatabase;
    let gateway: TestGateway;
    const raw = async (userId: string) =>
      (
        await sql<{
          email: string;
          full_name: string;
          email_bidx: string | null;
        }>`select email, full_name, email_bidx from api_users where user_id = ${userId}`.execute(handle.database.db)
      ).rows[0]!;

    beforeAll(async () => {
      handle = await target.create();
      // A user written before the columns were encrypted: the start-up pass must encrypt it.
      await migrateToLatest(handle.database, beforeEncryption);
      await sql`insert into api_users (user_id, username, email, password_hash, full_name, role) values ('usr_legacy', 'legacy', 'Legacy.User@old.example', 'x', 'Lakshmi Legacy', 'analyst')`.execute(
        handle.database.db,
      );
      await migrateToLatest(handle.database, migrations);
      gateway = await startGateway(handle);
    });
    afterAll(async () => {
      await gateway.app.close();
      await handle.destroy();
    });

    it('rows that existed before are encrypted at start-up and found by email', async () => {
      const row = await raw('usr_legacy');
      expect(row.email).toMatch(/^enc:v1:/);
      expect(row.full_name).toMatch(/^enc:v1:/);
      expect(row.email_bidx).toMatch(/^[0-9a-f]{64}$/);
      const found = await gateway.deps.users.findByLogin('legacy.user@OLD.example');
      expect(found).toMatchObject({ user_id: 'usr_legacy', email: 'Legacy.User@old.example', full_name: 'Lakshmi Legacy' });
    });

    it('the raw table holds ciphertext; the repository and the API plaintext; login by email works', async () => {
      await createUser(gateway, 'nirmala', 'manager');
      const row = await raw('usr_nirmala');
      for (const value of [row.email, row.full_name]) {
        expect(value).toMatch(/^enc:v1:dk-/);
        expect(value.toLowerCase()).not.toContain('nirmala');
        expect(value).not.toContain('test.local');
      }
      const byEmail = await login(gateway, 'NIRMALA@test.local', PASSWORD);
      expect(byEmail.statusCode).toBe(200);
      expect((await login(gateway, 'nirmala', PASSWORD)).statusCode).toBe(200);
      expect((await login(gateway, 'nobody@test.local', PASSWORD)).statusCode).toBe(401);
    });

    it('an email stays unique through the blind index, whatever its case', async () => {
      const clash = gateway.deps.users.create({
        userId: 'usr_other',
        username: 'other',
        email: ' Nirmala@TEST.local',
        passwordHash: 'x',
        fullName: 'Other',
        role: 'analyst',
        createdBy: 'test',
      });
      await expect(clash).rejects.toMatchObject({ code: 'USER_ALREADY_EXISTS' });
      expect(
        Number(
          (await sql<{ n: string }>`select count(*) as n from api_users where user_id = 'usr_other'`.execute(handle.database.db)).rows[0]!
            .n,
        ),
      ).toBe(0);
    });

    it('search, update and lists still see plaintext', async () => {
      const { items, total } = await gateway.deps.users.list({ search: 'lakshmi' }, 1, 10);
      expect(total).toBe(1);
      expect(items[0]!.user_id).toBe('usr_legacy');
      const updated = await gateway.deps.users.update('usr_legacy', { fullName: 'Lakshmi Perera' }, 'test', new Date());
      expect(updated!.full_name).toBe('Lakshmi Perera');
      expect((await raw('usr_legacy')).full_name).toMatch(/^enc:v1:/);
      const page = await gateway.deps.users.list({}, 1, 50);
      expect(page.items.every((user) => !user.email.startsWith('enc:'))).toBe(true);
    });

    it('data key rotation re-encrypts every user; logins keep working', async () => {
      const db = handle.database.db;
      const oldKey = parseCiphertext((await raw('usr_nirmala')).email)!.keyId;
      const operator = new FieldCipher({ db, masterKeys: await gatewayMasterKeys(gateway.context) });
      const report = await rotateAndReencrypt(db, operator, GATEWAY_ENCRYPTED_TABLES);
      expect((await reencryptAll(db, operator, GATEWAY_ENCRYPTED_TABLES)).remaining).toBe(0);
      expect(await countUnder(db, GATEWAY_ENCRYPTED_TABLES, oldKey)).toBe(0);
      expect(report.retired).toContain(oldKey);
      expect((await login(gateway, 'nirmala@test.local', PASSWORD)).statusCode).toBe(200);
    });
  });
}
