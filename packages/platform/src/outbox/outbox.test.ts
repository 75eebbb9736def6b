import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../migrate/migrate.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { readOutbox, readOutboxWaiting } from './feed.js';
import { applyOnce } from './inbox.js';
import { OutboxNotifier } from './notifier.js';
import { outboxMigrations } from './index.js';
import { writeEvent, writeEvents } from './write.js';
import type { Kysely } from 'kysely';

for (const target of testDatabases()) {
  describe(`${target.label}: outbox`, () => {
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, outboxMigrations);
      const { db } = handle.database;
      await db.schema
        .createTable('applied')
        .addColumn('event_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('n', 'integer', (c) => c.notNull())
        .execute();
    });
    afterAll(async () => handle.destroy());

    it('commits events with the state change, and not without it', async () => {
      const { db } = handle.database;
      await db.transaction().execute((trx) =>
        writeEvent(trx, {
          aggregateType: 'order',
          aggregateId: 'o1',
          type: 'order.created',
          payload: { qty: '1.5' },
          metadata: { requestId: 'r1' },
        }),
      );
      await db
        .transaction()
        .execute(async (trx) => {
          await writeEvent(trx, { aggregateType: 'order', aggregateId: 'o2', type: 'order.created', payload: {} });
          throw new Error('rolled back');
        })
        .catch(() => undefined);
      const page = await readOutbox(db, '0', 10);
      expect(page.events.map((e) => e.aggregateId)).toEqual(['o1']);
      expect(page.events[0]).toMatchObject({
        sequence: '1',
        type: 'order.created',
        payload: { qty: '1.5' },
        metadata: { requestId: 'r1' },
      });
      expect(page.next).toBe('1');
      expect((await readOutbox(db, '1', 10)).events).toEqual([]);
    });

    it('serves 10,000 events from 8 concurrent writers in order, none missing or duplicated', async () => {
      const { db } = handle.database;
      const writers = 8;
      const perWriter = 1250;
      const start = (await readOutbox(db, '0', 1000)).next;
      const seen: string[] = [];
      let cursor = start;
      let writing = true;
      // A reader runs while the writers write: that is where out-of-order commits would bite.
      const reader = (async () => {
        while (writing || seen.length < writers * perWriter) {
          const page = await readOutbox(db, cursor, 500);
          for (const event of page.events) seen.push(event.aggregateId);
          if (page.events.length > 0) {
            expect(BigInt(page.events[0]!.sequence)).toBe(BigInt(cursor) + 1n);
            cursor = page.next;
          } else if (!writing) {
            break;
          } else {
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
      })();
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < perWriter; i += 25) {
            await db.transaction().execute((trx) =>
              writeEvents(
                trx,
                Array.from({ length: 25 }, (_, k) => ({
                  aggregateType: 'bag',
                  aggregateId: `w${w}-${i + k}`,
                  type: 'bag.weighed',
                  payload: { i: i + k },
                })),
              ),
            );
          }
        }),
      );
      writing = false;
      await reader;
      expect(seen).toHaveLength(writers * perWriter);
      expect(new Set(seen).size).toBe(writers * perWriter);
      // Each writer's own events stay in the order it wrote them.
      for (let w = 0; w < writers; w++) {
        const mine = seen.filter((id) => id.startsWith(`w${w}-`)).map((id) => Number(id.split('-')[1]));
        expect(mine).toEqual([...mine].sort((a, b) => a - b));
      }
    });

    it('applies each event exactly once even when every event is delivered twice', async () => {
      // The test's own table (applied) is in no schema type.
      const db: Kysely<any> = handle.database.db;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uuid(), { minLength: 1, maxLength: 30 }), async (ids) => {
          const unique = [...new Set(ids)];
          const deliveries = [...ids, ...ids].sort(() => Math.random() - 0.5);
          await Promise.all(
            deliveries.map((id) =>
              db.transaction().execute((trx) =>
                applyOnce(
                  trx,
                  id,
                  async () => {
                    const existing = await trx.selectFrom('applied').select('n').where('event_id', '=', id).executeTakeFirst();
                    if (existing)
                      await trx
                        .updateTable('applied')
                        .set({ n: existing.n + 1 })
                        .where('event_id', '=', id)
                        .execute();
                    else await trx.insertInto('applied').values({ event_id: id, n: 1 }).execute();
                  },
                  { source: 'test' },
                ),
              ),
            ),
          );
          const rows = await db.selectFrom('applied').select(['event_id', 'n']).where('event_id', 'in', unique).execute();
          expect(rows).toHaveLength(unique.length);
          expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
        }),
        { numRuns: 15 },
      );
    });

    it('long-polls and wakes promptly on notify', async () => {
      const { db } = handle.database;
      const notifier = new OutboxNotifier();
      const before = (await readOutbox(db, '0', 1000)).next;
      let last = before;
      for (let page = await readOutbox(db, last, 1000); page.events.length > 0; page = await readOutbox(db, last, 1000)) last = page.next;
      const started = Date.now();
      // Only the notify can answer before the poll interval; an interval far beyond any delay a
      // loaded machine adds keeps the check about the wake, not about the machine's speed.
      const intervalMs = 60_000;
      const waiting = readOutboxWaiting(db, last, 10, { waitMs: 2 * intervalMs, intervalMs, wake: notifier.wait });
      // The write and its notify come once the long-poll waits: a notify sent while its first
      // read is still running has no one to wake (on a loaded machine that read outlasted a fixed pause).
      while (notifier.waiting === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      await db.transaction().execute((trx) => writeEvent(trx, { aggregateType: 'x', aggregateId: 'late', type: 'x.y', payload: null }));
      notifier.notify();
      const page = await waiting;
      expect(page.events.map((e) => e.aggregateId)).toEqual(['late']);
      expect(Date.now() - started).toBeLessThan(intervalMs);
      expect(notifier.waiting).toBe(0);
      const empty = await readOutboxWaiting(db, page.next, 10, { waitMs: 100 });
      expect(empty.events).toEqual([]);
    }, 180_000);
  });
}
