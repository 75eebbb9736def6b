import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import type { PersonalDataDeclaration } from './declaration.js';
import { Masker, redactKeys } from './mask.js';
import { eraseSubject, exportSubject } from './subject.js';

const DECLARATION: PersonalDataDeclaration = {
  service: 'test',
  tables: [
    {
      table: 'prv_note',
      actors: [{ name: 'written_by' }],
      incidental: [{ name: 'ip', mask: 'ip', erased: null }],
      mentions: [{ name: 'meta', keys: ['user'] }],
    },
    {
      table: 'prv_session',
      owner: { columns: ['person'], erase: 'delete', fields: [{ name: 'person', erase: 'pseudonymise', mask: 'shape' }] },
    },
    {
      table: 'prv_person',
      owner: {
        columns: ['id', 'email'],
        erase: 'pseudonymise',
        fields: [
          { name: 'full_name', erase: 'pseudonymise', mask: 'name' },
          { name: 'email', erase: 'pseudonymise', mask: 'email' },
          { name: 'phone', erase: 'null', mask: 'phone' },
        ],
      },
    },
    // Declared ahead of its migration: skipped, not an error.
    { table: 'prv_not_yet', actors: [{ name: 'who' }] },
  ],
};

describe('Masker', () => {
  const masker = new Masker('k1');
  it('is deterministic under one key and differs under another', () => {
    expect(masker.shape('usr_alice_01')).toBe(new Masker('k1').shape('usr_alice_01'));
    expect(masker.shape('usr_alice_01')).not.toBe(new Masker('k2').shape('usr_alice_01'));
  });
  it('keeps the format and changes every letter and digit', () => {
    const masked = masker.shape('Ab-12 z');
    expect(masked).toMatch(/^[A-Z][a-z]-\d\d [a-z]$/);
    for (let i = 0; i < 7; i++) if (/[A-Za-z0-9]/.test('Ab-12 z'[i]!)) expect(masked[i]).not.toBe('Ab-12 z'[i]);
    expect(masker.email('alice@example.com')).toMatch(/^[a-z]{5}@[a-z]{7}\.com$/);
    expect(masker.value('phone', '+94 77 123 4567')).toMatch(/^\+\d\d \d\d \d\d\d \d\d\d\d$/);
    expect(masker.ip('203.0.113.7')).toMatch(/^10\.\d+\.\d+\.\d+$/);
    expect(masker.uuid('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('masks and redacts only the strings under the named keys, at any depth', () => {
    const doc = { user: 'alice', items: [{ qty: 3, owner: 'bob' }], note: 'alice' };
    const masked = masker.json(doc, ['user', 'owner']) as typeof doc;
    expect(masked.note).toBe('alice');
    expect(masked.items[0]!.qty).toBe(3);
    expect(masked.user).not.toBe('alice');
    expect(masked.items[0]!.owner).not.toBe('bob');
    expect(redactKeys(doc, ['owner'], null)).toEqual({ value: { ...doc, items: [{ qty: 3, owner: null }] }, changed: true });
  });
});

for (const target of testDatabases()) {
  describe(`${target.label}: export and erasure by declaration`, () => {
    let handle: TestDatabase;
    const db = () => handle.database.db;
    const dialect = () => handle.database.dialect;
    beforeAll(async () => {
      handle = await target.create();
      const json = dialect() === 'mysql' ? sql`longtext` : sql`text`;
      await sql`create table prv_note (id integer primary key, body varchar(100) not null, written_by varchar(100), ip varchar(60), meta ${json})`.execute(
        db(),
      );
      await sql`create table prv_session (id integer primary key, person varchar(100) not null)`.execute(db());
      await sql`create table prv_person (id varchar(40) primary key, email varchar(200) not null, full_name varchar(200) not null, phone varchar(40), credit integer not null)`.execute(
        db(),
      );
      await sql`insert into prv_note values (1, 'ordered 5 kg', 'alice', '198.51.100.1', ${JSON.stringify({ user: 'alice', tag: 'x' })}),
        (2, 'checked', 'bob', '198.51.100.2', ${JSON.stringify({ user: 'bob', text: 'alice said so' })}),
        (3, 'approved', 'carol', null, ${JSON.stringify({ user: 'carol', by: { user: 'alice' } })})`.execute(db());
      await sql`insert into prv_session values (1, 'alice'), (2, 'bob')`.execute(db());
      await sql`insert into prv_person values ('alice', 'alice@example.com', 'Alice Perera', '+94 77 000 0000', 50), ('bob', 'bob@example.com', 'Bob Silva', null, 10)`.execute(
        db(),
      );
    });
    afterAll(async () => handle.destroy());

    it('exports every row naming the subject, and only those', async () => {
      const exported = await exportSubject(db(), dialect(), DECLARATION, ['alice', 'alice@example.com']);
      const byTable = Object.fromEntries(exported.tables.map((t) => [`${t.table}:${t.relation}`, t.rows]));
      expect(Object.keys(byTable).sort()).toEqual(['prv_note:actor', 'prv_note:mention', 'prv_person:owner', 'prv_session:owner']);
      expect(byTable['prv_note:actor']).toEqual([{ id: 1, written_by: 'alice', ip: '198.51.100.1' }]);
      // Note 2 mentions alice only in free text, not under a person key: not hers.
      expect(byTable['prv_note:mention']!.map((r) => r.id).sort()).toEqual([1, 3]);
      expect(byTable['prv_person:owner']).toEqual([
        { id: 'alice', email: 'alice@example.com', full_name: 'Alice Perera', phone: '+94 77 000 0000' },
      ]);
    });

    it('erases the subject and nobody else, keeps the business facts, and changes nothing the second time', async () => {
      const first = await db()
        .transaction()
        .execute((trx) => eraseSubject(trx, dialect(), DECLARATION, ['alice', 'alice@example.com'], 'erased-0123456789'));
      expect(first.counts).toEqual({ prv_note: 3, prv_session: 1, prv_person: 1 });
      const notes = (
        await sql<{
          id: number;
          body: string;
          written_by: string;
          ip: string | null;
          meta: string;
        }>`select * from prv_note order by id`.execute(db())
      ).rows;
      expect(notes.map((n) => [n.body, n.written_by, n.ip])).toEqual([
        ['ordered 5 kg', 'erased-0123456789', null],
        ['checked', 'bob', '198.51.100.2'],
        ['approved', 'carol', null],
      ]);
      expect(JSON.parse(notes[0]!.meta)).toEqual({ user: 'erased-0123456789', tag: 'x' });
      expect(JSON.parse(notes[2]!.meta)).toEqual({ user: 'carol', by: { user: 'erased-0123456789' } });
      expect((await sql`select * from prv_session`.execute(db())).rows).toEqual([{ id: 2, person: 'bob' }]);
      expect((await sql`select * from prv_person order by id`.execute(db())).rows).toEqual([
        { id: 'alice', email: 'erased-0123456789@erased.invalid', full_name: 'erased-0123456789', phone: null, credit: 50 },
        { id: 'bob', email: 'bob@example.com', full_name: 'Bob Silva', phone: null, credit: 10 },
      ]);
      const second = await db()
        .transaction()
        .execute((trx) => eraseSubject(trx, dialect(), DECLARATION, ['alice@example.com'], 'erased-9999999999'));
      expect(Object.values(second.counts).every((n) => n === 0)).toBe(true);
      const after = await exportSubject(db(), dialect(), DECLARATION, ['alice@example.com']);
      expect(after.tables).toEqual([]);
    });

    it('matches identifiers literally: LIKE wildcards in an identifier find nothing', async () => {
      const exported = await exportSubject(db(), dialect(), DECLARATION, ['%', '_ob', "b' or '1'='1"]);
      expect(exported.tables).toEqual([]);
    });
  });
}
