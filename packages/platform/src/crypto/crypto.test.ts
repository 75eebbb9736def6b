import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { migrateToLatest } from '../migrate/migrate.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { CryptoError } from './errors.js';
import { FieldCipher, normaliseForIndex } from './field-cipher.js';
import { formatCiphertext, parseCiphertext } from './format.js';
import { fieldKeyMigration, FIELD_KEY_TABLE, type FieldKeyTables } from './key-table.js';
import {
  addMasterKey,
  loadMasterKeys,
  loadOrCreateMasterKeyFile,
  masterKeysFromSecret,
  parseMasterKeys,
  type MasterKeys,
} from './master-keys.js';
import { countUnder, reencryptAll, rotateAndReencrypt, rotateDataKey, type EncryptedTable } from './rotation.js';
import { asTables } from '../db/schema.js';
import type { Kysely } from 'kysely';

const EMAIL = { table: 'person', column: 'email' };
const PHONE = { table: 'person', column: 'phone' };

function masterKeys(): MasterKeys {
  return { active: 'mk-a', keys: new Map([['mk-a', randomBytes(32)]]) };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return isAppError(error) ? error.code : 'not-an-app-error';
  }
}

describe('master key file', () => {
  it('is created once with mode 0600, then read back unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mk-'));
    const created = await loadOrCreateMasterKeyFile(join(dir, 'master-keys.json'));
    expect((await stat(join(dir, 'master-keys.json'))).mode & 0o777).toBe(0o600);
    const again = await loadMasterKeys({ TRIBUTARY_DATA_DIR: dir });
    expect(again.active).toBe(created.active);
    expect(again.keys.get(again.active)!.equals(created.keys.get(created.active)!)).toBe(true);
  });

  it('an explicitly configured file that does not exist is an error, not a new key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mk-'));
    expect(await codeOf(loadMasterKeys({ TRIBUTARY_MASTER_KEY_FILE: join(dir, 'typo.json') }))).toBe(CryptoError.MasterKeysInvalid);
  });

  it('refuses short keys and a missing active key, naming the key id but never the key', async () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    try {
      parseMasterKeys(JSON.stringify({ active: 'a', keys: { a: short } }), 'f.json');
      expect.fail('accepted a 16-byte key');
    } catch (error) {
      expect((error as Error).message).toContain('a is not 32 bytes');
      expect((error as Error).message).not.toContain(short);
    }
    expect(() => parseMasterKeys(JSON.stringify({ active: 'b', keys: { a: randomBytes(32).toString('base64') } }), 'f.json')).toThrow(
      /active master key b/,
    );
    const dir = await mkdtemp(join(tmpdir(), 'mk-'));
    await writeFile(join(dir, 'bad.json'), '{not json');
    expect(await codeOf(loadMasterKeys({ TRIBUTARY_MASTER_KEY_FILE: join(dir, 'bad.json') }))).toBe(CryptoError.MasterKeysInvalid);
    expect(await readFile(join(dir, 'bad.json'), 'utf8')).toBe('{not json');
  });
});

describe('derived master key', () => {
  it('is stable for one secret and purpose, and differs for another of either', () => {
    const a = masterKeysFromSecret('service-secret-of-the-gateway', 'gateway:api_users');
    expect(
      a.keys.get(a.active)!.equals(masterKeysFromSecret('service-secret-of-the-gateway', 'gateway:api_users').keys.get(a.active)!),
    ).toBe(true);
    expect(
      a.keys.get(a.active)!.equals(masterKeysFromSecret('another-secret-of-the-gateway', 'gateway:api_users').keys.get(a.active)!),
    ).toBe(false);
    expect(a.keys.get(a.active)!.equals(masterKeysFromSecret('service-secret-of-the-gateway', 'erp').keys.get(a.active)!)).toBe(false);
    expect(a.keys.get(a.active)!.length).toBe(32);
  });
});

describe('ciphertext format', () => {
  it('round-trips and rejects anything else', () => {
    const sealed = randomBytes(40);
    const text = formatCiphertext('dk-0a1b', sealed);
    expect(text).toMatch(/^enc:v1:dk-0a1b:[A-Za-z0-9_-]+$/);
    expect(parseCiphertext(text)!.sealed.equals(sealed)).toBe(true);
    for (const bad of ['', 'plain', 'enc:v1:', 'enc:v1::abc', 'enc:v2:dk:abc', 'enc:v1:dk_1:abc', 'enc:v1:dk%:abc', 'enc:v1:dk:a+b/']) {
      expect(parseCiphertext(bad)).toBeUndefined();
    }
  });
});

for (const target of testDatabases()) {
  describe(`${target.label}: field cipher`, () => {
    let handle: TestDatabase;
    let keys: MasterKeys;
    let cipher: FieldCipher;
    const people: EncryptedTable = {
      table: 'person',
      key: 'id',
      columns: [{ name: 'email', blindIndex: 'email_bidx' }, { name: 'phone' }],
    };

    beforeAll(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, [
        fieldKeyMigration,
        {
          name: '0001_person',
          up: async (db) => {
            await db.schema
              .createTable('person')
              .ifNotExists()
              .addColumn('id', 'varchar(20)', (c) => c.primaryKey())
              .addColumn('email', 'text')
              .addColumn('email_bidx', 'char(64)')
              .addColumn('phone', 'text')
              .execute();
          },
        },
      ]);
      keys = masterKeys();
      cipher = new FieldCipher({ db: handle.database.db, masterKeys: keys });
    });
    afterAll(async () => handle.destroy());

    it('encrypts with a fresh IV each time and decrypts back; the table holds only wrapped keys', async () => {
      const a = await cipher.encrypt('ravi@example.com', EMAIL);
      const b = await cipher.encrypt('ravi@example.com', EMAIL);
      expect(a).not.toBe(b);
      expect(a).not.toContain('ravi');
      expect(await cipher.decrypt(a, EMAIL)).toBe('ravi@example.com');
      const rows = await asTables<FieldKeyTables>(handle.database.db).selectFrom(FIELD_KEY_TABLE).selectAll().execute();
      expect(rows.map((r) => r.purpose)).toEqual(['data']);
      const raw = keys.keys.get('mk-a')!;
      for (const row of rows) expect(Buffer.from(row.wrapped_key, 'base64url').includes(raw)).toBe(false);
    });

    it('prepare creates every key up front, so no later call (a refused request’s lookup) writes one', async () => {
      const fresh = await target.create();
      try {
        await migrateToLatest(fresh.database, [fieldKeyMigration]);
        const prepared = new FieldCipher({ db: fresh.database.db, masterKeys: keys });
        await prepared.prepare();
        const purposes = async () =>
          (await fresh.database.db.selectFrom(FIELD_KEY_TABLE).select('purpose').execute()).map((r) => r.purpose).sort();
        expect(await purposes()).toEqual(['data', 'index']);
        await prepared.blindIndex('someone@example.com', EMAIL);
        await prepared.encrypt('x', EMAIL);
        expect(await purposes()).toEqual(['data', 'index']);
      } finally {
        await fresh.destroy();
      }
    });

    it('a value copied to another column, or tampered with, does not decrypt', async () => {
      const email = await cipher.encrypt('ravi@example.com', EMAIL);
      expect(await codeOf(cipher.decrypt(email, PHONE))).toBe(CryptoError.Unauthentic);
      expect(await codeOf(cipher.decrypt(email, { table: 'other', column: 'email' }))).toBe(CryptoError.Unauthentic);
      const parsed = parseCiphertext(email)!;
      for (const at of [0, 12, parsed.sealed.length - 1]) {
        const flipped = Buffer.from(parsed.sealed);
        flipped[at]! ^= 1;
        expect(await codeOf(cipher.decrypt(formatCiphertext(parsed.keyId, flipped), EMAIL))).toBe(CryptoError.Unauthentic);
      }
      expect(await codeOf(cipher.decrypt(formatCiphertext(parsed.keyId, parsed.sealed.subarray(0, 20)), EMAIL))).toBe(
        CryptoError.Unauthentic,
      );
      expect(await codeOf(cipher.decrypt('ravi@example.com', EMAIL))).toBe(CryptoError.Malformed);
      expect(await codeOf(cipher.decrypt(formatCiphertext('dk-ffffffffffff', parsed.sealed), EMAIL))).toBe(CryptoError.UnknownKey);
    });

    it('another master key cannot unwrap the data keys; a missing master key is named', async () => {
      const value = await cipher.encrypt('x', EMAIL);
      const wrong = new FieldCipher({ db: handle.database.db, masterKeys: { active: 'mk-a', keys: new Map([['mk-a', randomBytes(32)]]) } });
      expect(await codeOf(wrong.decrypt(value, EMAIL))).toBe(CryptoError.Unauthentic);
      const missing = new FieldCipher({
        db: handle.database.db,
        masterKeys: { active: 'mk-z', keys: new Map([['mk-z', randomBytes(32)]]) },
      });
      expect(await codeOf(missing.decrypt(value, EMAIL))).toBe(CryptoError.MasterKeyMissing);
    });

    it('the blind index is stable, normalised, per column, and not the plain hash', async () => {
      const a = await cipher.blindIndex(' Ravi@Example.com', EMAIL);
      expect(a).toMatch(/^[0-9a-f]{64}$/);
      expect(await cipher.blindIndex('ravi@example.com', EMAIL)).toBe(a);
      expect(await cipher.blindIndex('ravi@example.com', PHONE)).not.toBe(a);
      const other = new FieldCipher({ db: handle.database.db, masterKeys: keys });
      expect(await other.blindIndex('RAVI@example.com', EMAIL)).toBe(a);
      expect(normaliseForIndex(' ＡＢ@x ')).toBe('ab@x');
    });

    it('property: any string round-trips through encrypt/decrypt', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (plain) => {
          expect(await cipher.decrypt(await cipher.encrypt(plain, PHONE), PHONE)).toBe(plain);
        }),
        { numRuns: 200 },
      );
    });

    it('data key rotation: new writes use the new key, old values still read, the pass re-encrypts and retires the old key', async () => {
      // The test's own tables (person) are not in any schema type.
      const db: Kysely<any> = handle.database.db;
      const oldKey = await cipher.activeDataKeyId();
      for (let i = 0; i < 25; i++) {
        const email = `p${i}@example.com`;
        await db
          .insertInto('person')
          .values({
            id: `p${String(i).padStart(3, '0')}`,
            email: await cipher.encrypt(email, EMAIL),
            email_bidx: await cipher.blindIndex(email, EMAIL),
            phone: i % 2 ? null : await cipher.encrypt(`+94-${i}`, PHONE),
          })
          .execute();
      }
      const before = await cipher.blindIndex('p3@example.com', EMAIL);
      const newKey = await rotateDataKey(cipher);
      expect(newKey).not.toBe(oldKey);
      const fresh = await cipher.encrypt('new', EMAIL);
      expect(parseCiphertext(fresh)!.keyId).toBe(newKey);
      // A second process still reads the old values (it fetches the key the value names).
      const reader = new FieldCipher({ db, masterKeys: keys });
      const row = await db.selectFrom('person').selectAll().where('id', '=', 'p003').executeTakeFirstOrThrow();
      expect(await reader.decrypt(row.email, EMAIL)).toBe('p3@example.com');

      const report = await reencryptAll(db, cipher, [people], { batchSize: 7 });
      expect(report).toMatchObject({ activeKeyId: newKey, rewritten: 25, remaining: 0 });
      expect(report.retired).toContain(oldKey);
      expect(await countUnder(db, [people], oldKey)).toBe(0);
      const after = await db.selectFrom('person').selectAll().orderBy('id').execute();
      for (const [i, r] of after.entries()) {
        expect(parseCiphertext(r.email)!.keyId).toBe(newKey);
        expect(await cipher.decrypt(r.email, EMAIL)).toBe(`p${i}@example.com`);
      }
      // The blind index does not depend on data keys: lookups keep working across rotations.
      expect(await cipher.blindIndex('p3@example.com', EMAIL)).toBe(before);
      const states = await db.selectFrom(FIELD_KEY_TABLE).select(['key_id', 'state']).where('purpose', '=', 'data').execute();
      expect(states.find((s) => s.key_id === oldKey)!.state).toBe('retired');
      expect(states.filter((s) => s.state === 'active').map((s) => s.key_id)).toEqual([newKey]);
      // A retired key still decrypts (a restored backup, a value a stale writer used).
      expect(await reader.decrypt(row.email, EMAIL)).toBe('p3@example.com');
    });

    it('the pass leaves a row alone when it changed after being read, and encrypts plaintext only when asked', async () => {
      // The test's own tables (person) are not in any schema type.
      const db: Kysely<any> = handle.database.db;
      await db.insertInto('person').values({ id: 'plain-1', email: 'legacy@example.com', email_bidx: null, phone: null }).execute();
      const untouched = await reencryptAll(db, cipher, [people]);
      expect(untouched.rewritten).toBe(0);
      const done = await reencryptAll(db, cipher, [people], { encryptPlaintext: true });
      expect(done.rewritten).toBe(1);
      const row = await db.selectFrom('person').selectAll().where('id', '=', 'plain-1').executeTakeFirstOrThrow();
      expect(await cipher.decrypt(row.email, EMAIL)).toBe('legacy@example.com');
      expect(row.email_bidx).toBe(await cipher.blindIndex('legacy@example.com', EMAIL));
    });

    it('master key rotation re-wraps the data keys only: values and the blind index are unchanged', async () => {
      // The test's own tables (person) are not in any schema type.
      const db: Kysely<any> = handle.database.db;
      const value = (await db.selectFrom('person').select('email').where('id', '=', 'p001').executeTakeFirstOrThrow()).email as string;
      const index = await cipher.blindIndex('p1@example.com', EMAIL);
      const rotated = addMasterKey(keys);
      const rewrapper = new FieldCipher({ db, masterKeys: rotated });
      const count = await rewrapper.store.rewrapAll();
      expect(count).toBeGreaterThanOrEqual(3);
      const kekIds = await db.selectFrom(FIELD_KEY_TABLE).select('kek_id').execute();
      expect(new Set(kekIds.map((k) => k.kek_id))).toEqual(new Set([rotated.active]));
      // The old master key can go now: a process with only the new one reads everything.
      const onlyNew: MasterKeys = { active: rotated.active, keys: new Map([[rotated.active, rotated.keys.get(rotated.active)!]]) };
      const next = new FieldCipher({ db, masterKeys: onlyNew });
      expect(await next.decrypt(value, EMAIL)).toBe('p1@example.com');
      expect(await next.blindIndex('p1@example.com', EMAIL)).toBe(index);
      expect((await db.selectFrom('person').select('email').where('id', '=', 'p001').executeTakeFirstOrThrow()).email).toBe(value);
      expect(await codeOf(new FieldCipher({ db, masterKeys: keys }).decrypt(value, EMAIL))).toBe(CryptoError.MasterKeyMissing);
      keys = onlyNew;
    });

    it('rotation while writers run: no failed write, nothing left under the old key', async () => {
      // The test's own tables (person) are not in any schema type.
      const db: Kysely<any> = handle.database.db;
      const next = new FieldCipher({ db, masterKeys: keys });
      // A second process (another replica) writing all along; it re-reads the active key on every write.
      const writer = new FieldCipher({ db, masterKeys: keys, activeKeyTtlMs: 0 });
      let stop = false;
      let writes = 0;
      const load = (async () => {
        while (!stop) {
          const id = `w${String(writes).padStart(4, '0')}`;
          await db
            .insertInto('person')
            .values({ id, email: await writer.encrypt(`${id}@x`, EMAIL), email_bidx: null, phone: null })
            .execute();
          writes++;
        }
      })();
      const report = await rotateAndReencrypt(db, next, [people], { batchSize: 5 });
      stop = true;
      await load;
      const final = await reencryptAll(db, next, [people]);
      expect(final.remaining).toBe(0);
      expect(await countUnder(db, [people], report.activeKeyId)).toBeGreaterThan(0);
      for (const row of await db.selectFrom('person').select(['id', 'email']).where('id', 'like', 'w%').execute()) {
        expect(await next.decrypt(row.email, EMAIL)).toBe(`${row.id}@x`);
      }
      expect(writes).toBeGreaterThan(0);
    });
  });
}
