import { sql } from 'kysely';
import type { AnyKysely } from '../db/schema.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../migrate/migrate.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { applyOnceStatement } from './inbox.js';
import { outboxMigrations } from './index.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: applyOnce in one statement`, () => {
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, outboxMigrations);
      await sql`create table applied (event_id varchar(64) primary key, n integer not null)`.execute(handle.database.db);
    });
    afterAll(async () => handle.destroy());

    const apply = (db: AnyKysely, id: string, n: number) =>
      applyOnceStatement(db, id, sql`insert into applied (event_id, n) select event_id, ${n} from claimed`, { source: 'test' });

    it('applies each event once when every event is delivered twice at the same time', async () => {
      const { db } = handle.database;
      const ids = Array.from({ length: 40 }, (_, i) => `e-${i}`);
      const outcomes = await Promise.all([...ids, ...ids].sort(() => Math.random() - 0.5).map((id, k) => apply(db, id, k)));
      expect(outcomes.filter((outcome) => outcome.applied)).toHaveLength(ids.length);
      const rows = await sql<{ n: string }>`select count(*) as n from applied`.execute(db);
      expect(Number(rows.rows[0]!.n)).toBe(ids.length);
      const inbox = await sql<{ n: string }>`select count(*) as n from inbox where source = 'test'`.execute(db);
      expect(Number(inbox.rows[0]!.n)).toBe(ids.length);
    });

    it('records nothing when the effect fails: the inbox row and the effect commit together', async () => {
      const { db } = handle.database;
      await expect(
        applyOnceStatement(db, 'broken', sql`insert into applied (event_id, n) select event_id, null from claimed`),
      ).rejects.toThrow();
      const inbox = await sql<{ n: string }>`select count(*) as n from inbox where event_id = 'broken'`.execute(db);
      expect(Number(inbox.rows[0]!.n)).toBe(0);
      expect((await apply(db, 'broken', 1)).applied).toBe(true);
      expect((await apply(db, 'broken', 2)).applied).toBe(false);
    });
  });
}
