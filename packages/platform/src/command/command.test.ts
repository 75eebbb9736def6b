import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import { createHttpApp } from '../http/app.js';
import { formatTraceparent, parseTraceparent } from '../http/trace-context.js';
import { migrateToLatest } from '../migrate/migrate.js';
import { outboxMigrations, readOutbox, registerEventInbox, writeEvent, type EventEnvelope } from '../outbox/index.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { signedInject, testAuth, testCredentials } from '../testing/signed.js';
import { systemCommandContext, type CommandContext } from './context.js';
import { readEventMetadata, toStoredMetadata } from './metadata.js';
import { runCommand } from './run.js';
import type { Transaction } from 'kysely';
import type { DynamicSchema } from '../db/schema.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
  actor: { type: 'user', id: 'officer-1', principal: 'gateway' },
  requestId: 'req-1',
  traceparent: formatTraceparent({ traceId: TRACE_ID, spanId: '00f067aa0ba902b7', flags: '01' }),
  now: Date.UTC(2026, 0, 1),
  ...overrides,
});

describe('stored event metadata', () => {
  it('is read back from every shape services have written', () => {
    const typed = { requestId: 'r', traceparent: context().traceparent, actor: { type: 'user' as const, id: 'u1', principal: 'gateway' } };
    expect(readEventMetadata(toStoredMetadata(typed))).toEqual(typed);
    expect(readEventMetadata({ requestId: 'r', actor: { type: 'service', id: 'orders' } })).toEqual({
      requestId: 'r',
      actor: { type: 'service', id: 'orders' },
    });
    expect(readEventMetadata({ requestId: 'r', actor: 'officer1' })?.actor).toEqual({ type: 'user', id: 'officer1' });
    expect(readEventMetadata({ user: 'seeduwa1', principal: 'gateway' })?.actor).toEqual({
      type: 'user',
      id: 'seeduwa1',
      principal: 'gateway',
    });
    expect(readEventMetadata({ principal: 'orders' })?.actor).toEqual({ type: 'service', id: 'orders' });
  });

  it('names no one when no actor is there, and drops a malformed traceparent', () => {
    expect(readEventMetadata(null)).toBeUndefined();
    expect(readEventMetadata({ user: '', actor: 42 })).toBeUndefined();
    expect(readEventMetadata({ actor: 'u', traceparent: 'not-a-trace' })).toEqual({ actor: { type: 'user', id: 'u' } });
  });
});

for (const target of testDatabases()) {
  describe(`${target.label}: runCommand`, () => {
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, outboxMigrations);
    });
    afterAll(async () => handle.destroy());

    it('stamps every event written in the command with its metadata, and wakes readers only after a commit', async () => {
      const { db } = handle.database;
      let woken = 0;
      const onCommitted = () => void (woken += 1);
      // A helper handed the transaction writes without knowing the command: it is stamped all the same.
      const helper = (trx: Transaction<DynamicSchema>) =>
        writeEvent(trx, { aggregateType: 'order', aggregateId: 'o2', type: 'order.changed', payload: {}, metadata: { version: 2 } });
      await runCommand(
        db,
        context(),
        async (trx) => {
          await writeEvent(trx, { aggregateType: 'order', aggregateId: 'o1', type: 'order.created', payload: {} });
          await helper(trx);
        },
        { onCommitted },
      );
      await expect(
        runCommand(
          db,
          context({ requestId: 'req-2' }),
          async (trx) => {
            await writeEvent(trx, { aggregateType: 'order', aggregateId: 'o3', type: 'order.created', payload: {} });
            throw new Error('refused');
          },
          { onCommitted },
        ),
      ).rejects.toThrow('refused');
      await writeEvent(db, { aggregateType: 'order', aggregateId: 'o4', type: 'order.created', payload: {} });

      const events = (await readOutbox(db, '0', 10)).events;
      expect(events.map((event) => event.aggregateId)).toEqual(['o1', 'o2', 'o4']);
      const stamped = {
        requestId: 'req-1',
        traceparent: context().traceparent,
        actor: 'officer-1',
        actorType: 'user',
        user: 'officer-1',
        principal: 'gateway',
      };
      expect(events[0]!.metadata).toEqual(stamped);
      expect(events[1]!.metadata).toEqual({ ...stamped, version: 2 });
      expect(events[2]!.metadata).toBeNull();
      expect(woken).toBe(1);
    });
  });

  describe(`${target.label}: registerEventInbox`, () => {
    let handle: TestDatabase;
    beforeAll(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, outboxMigrations);
      await handle.database.db.schema
        .createTable('applied')
        .addColumn('event_id', 'varchar(64)', (c) => c.primaryKey())
        .execute();
    });
    afterAll(async () => handle.destroy());

    const envelope = (id: string, type = 'stock.moved'): EventEnvelope => ({
      id,
      source: 'producer',
      aggregateType: 'stock',
      aggregateId: 's1',
      type,
      payload: { qty: '1.5' },
      createdAt: Date.UTC(2026, 0, 1),
      metadata: {
        requestId: 'req-origin',
        traceparent: context().traceparent,
        actor: { type: 'user', id: 'officer-1', principal: 'gateway' },
      },
    });

    it('applies each event once for the deliverer only, continuing the trace and naming the event’s user', async () => {
      const { db } = handle.database;
      const app = await createHttpApp({ name: 'consumer', logger: silentLogger(), auth: testAuth() });
      let woken = 0;
      registerEventInbox(app, {
        db,
        clock: new ManualClock(),
        deliverers: new Set(['sync']),
        handlers: {
          'stock.moved': async (trx, event) => {
            await trx.insertInto('applied').values({ event_id: event.id }).execute();
            await writeEvent(trx, { aggregateType: 'stock', aggregateId: 's1', type: 'stock.reserved', payload: {} });
          },
        },
        onCommitted: () => void (woken += 1),
      });
      await app.ready();
      const delivery = formatTraceparent({ traceId: TRACE_ID, spanId: 'b7ad6b7169203331', flags: '01' });
      const deliver = (body: unknown, principal = 'sync') =>
        signedInject(
          app,
          { method: 'POST', url: '/internal/events', body, headers: { traceparent: delivery, 'x-request-id': 'req-origin' } },
          testCredentials(principal),
        );

      expect((await deliver(envelope('e1'))).json()).toEqual({ status: 'applied' });
      expect((await deliver(envelope('e1'))).json()).toEqual({ status: 'duplicate' });
      expect((await deliver(envelope('e2', 'stock.counted'))).json()).toEqual({ status: 'ignored' });
      const refused = await deliver(envelope('e3'), 'erp');
      expect([refused.statusCode, refused.json().code]).toEqual([403, 'EVENT_DELIVERER_FORBIDDEN']);
      const malformed = await deliver({ id: 'e4', type: 'stock.moved' });
      expect([malformed.statusCode, malformed.json().code]).toEqual([400, 'REQUEST_VALIDATION_FAILED']);
      const unsigned = await app.inject({ method: 'POST', url: '/internal/events', payload: envelope('e5') });
      expect(unsigned.statusCode).toBe(401);

      expect((await db.selectFrom('applied').select('event_id').execute()).map((row) => row.event_id)).toEqual(['e1']);
      expect((await db.selectFrom('inbox').select('event_id').execute()).map((row) => row.event_id)).toEqual(['e1']);
      const [written] = (await readOutbox(db, '0', 10)).events;
      expect(written!.metadata).toMatchObject({ requestId: 'req-origin', actor: 'officer-1', user: 'officer-1', principal: 'gateway' });
      const trace = parseTraceparent(written!.metadata!.traceparent as string);
      expect(trace?.traceId).toBe(TRACE_ID);
      // The consumer's own span, child of the delivery's.
      expect(trace?.parentId).not.toBe('b7ad6b7169203331');
      expect(woken).toBe(1);
      await app.close();
    });
  });
}

describe('systemCommandContext', () => {
  it('starts a trace of its own for work no request asked for', () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const first = systemCommandContext('expiry-scan', clock);
    const second = systemCommandContext('expiry-scan', clock);
    expect(first.actor).toEqual({ type: 'system', id: 'expiry-scan' });
    expect(first.now).toBe(Date.UTC(2026, 5, 1));
    expect(parseTraceparent(first.traceparent)?.traceId).not.toBe(parseTraceparent(second.traceparent)?.traceId);
  });
});
