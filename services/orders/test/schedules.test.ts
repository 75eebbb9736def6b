import { testDatabases } from '@tributary/platform/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { lastSequence, planAndRequest, receivedRequest, useOrders } from './support.js';

const schedule = (overrides: Record<string, unknown> = {}) => ({
  schedule_date: '2026-03-02',
  order_code: 'SCH-PLAN',
  shift: 'NIGHT & DAY',
  section: 'Line 2',
  quantity: '150.5',
  ...overrides,
});

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: /order/schedule`, () => {
    const h = useOrders(target);
    let received: number;
    beforeAll(async () => {
      received = await receivedRequest(h, { orderCode: 'SCH-PLAN', requestKg: '200', vehicle: 'V', remarks: 'ok' });
      await planAndRequest(h, { orderCode: 'SCH-PLAN', requestKg: '50' }); // not received: not offered for filling
    });

    it('creates schedules, lists a day with the received shipments, and completes them once', async () => {
      const before = await lastSequence(h);
      const created = await h.as('GRANDPASS-OFFICER', 'POST', '/order/schedule', [
        schedule(),
        schedule({ schedule_date: '2026-03-03', shift: 'DAY', quantity: 20 }),
      ]);
      expect(created.statusCode).toBe(200);
      const [first, second] = created.json();
      expect(first).toEqual({
        schedule_code: expect.any(Number),
        schedule_date: '2026-03-02',
        order_code: 'SCH-PLAN',
        shift: 'NIGHT & DAY',
        section: 'Line 2',
        quantity: '150.5',
      });
      expect(second.schedule_code).toBe(first.schedule_code + 1);

      const day = await h.as('GRANDPASS-DEV-MACHINE', 'GET', '/order/schedule?schedule_date=2026-03-02');
      expect(day.json()).toEqual([{ ...first, completed: false, accepted_shipments: [{ request_code: received, shipment_code: 1 }] }]);
      expect((await h.as('GRANDPASS-OFFICER', 'GET', '/order/schedule')).json()).toHaveLength(2);

      h.clock.advance(3_600_000);
      const done = await h.as('GRANDPASS-DEV-MACHINE', 'PUT', '/order/schedule', [{ schedule_code: first.schedule_code }]);
      expect(done.statusCode).toBe(200);
      expect(done.json()).toEqual([{ ...first, completed: true }]);
      const counts = await h.counts();
      const again = await h.as('GRANDPASS-DEV-MACHINE', 'PUT', '/order/schedule', [{ schedule_code: String(first.schedule_code) }]);
      expect(again.json()).toEqual([{ ...first, completed: true }]);
      expect(await h.counts()).toEqual(counts);
      expect(
        (await h.as('GRANDPASS-DEV-MACHINE', 'GET', '/order/schedule?completed=false'))
          .json()
          .map((s: { schedule_code: number }) => s.schedule_code),
      ).toEqual([second.schedule_code]);

      const events = await h.outboxAfter(before);
      expect(events.map((e) => [e.type, e.aggregateId])).toEqual([
        ['orders.schedule.created', String(first.schedule_code)],
        ['orders.schedule.created', String(second.schedule_code)],
        ['orders.schedule.completed', String(first.schedule_code)],
      ]);
      expect(events[0]!.payload).toEqual({
        scheduleCode: String(first.schedule_code),
        scheduleDate: '2026-03-02',
        orderCode: 'SCH-PLAN',
        shift: 'NIGHT & DAY',
        section: 'Line 2',
        quantityKg: '150.5',
      });
      expect(events[2]!.payload).toEqual({ scheduleCode: String(first.schedule_code), orderCode: 'SCH-PLAN', completedAt: h.clock.now() });
    });

    it('refuses bad schedules with stable codes and writes nothing', async () => {
      const before = await h.counts();
      const cases: [string, string, unknown, number, string][] = [
        ['POST', '/order/schedule', [schedule({ shift: 'EVENING' })], 400, 'REQUEST_VALIDATION_FAILED'],
        ['POST', '/order/schedule', [schedule({ schedule_date: '2026-13-01' })], 400, 'ORDER_DATE_INVALID'],
        ['POST', '/order/schedule', [schedule({ schedule_date: '02/03/2026' })], 400, 'ORDER_DATE_INVALID'],
        ['POST', '/order/schedule', [schedule({ quantity: '-1' })], 400, 'ORDER_QUANTITY_INVALID'],
        ['POST', '/order/schedule', [schedule({ section: '' })], 400, 'REQUEST_VALIDATION_FAILED'],
        ['POST', '/order/schedule', [schedule(), schedule({ order_code: 'NOPE' })], 404, 'PLAN_NOT_FOUND'],
        ['PUT', '/order/schedule', [{ schedule_code: 424242 }], 404, 'SCHEDULE_NOT_FOUND'],
        ['PUT', '/order/schedule', [{ schedule_code: 'x' }], 400, 'REQUEST_VALIDATION_FAILED'],
      ];
      for (const [method, url, body, status, code] of cases) {
        const group = method === 'POST' ? 'GRANDPASS-OFFICER' : 'GRANDPASS-DEV-MACHINE';
        const response = await h.as(group, method as 'POST' | 'PUT', url, body);
        expect([JSON.stringify(body), response.statusCode, response.json().code]).toEqual([JSON.stringify(body), status, code]);
      }
      expect((await h.as('GRANDPASS-OFFICER', 'GET', '/order/schedule?schedule_date=tomorrow')).json().code).toBe('ORDER_DATE_INVALID');
      expect(await h.counts()).toEqual(before);
    });

    it('enforces the permission matrix (403) and writes nothing', async () => {
      const before = await h.counts();
      for (const group of ['GRANDPASS-DEV-MACHINE', 'GRANDPASS-ADMIN', 'SEEDUWA-OFFICER', 'MASTER-ADMIN']) {
        expect((await h.as(group, 'POST', '/order/schedule', [schedule()])).statusCode).toBe(403);
      }
      for (const group of ['GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER']) {
        expect((await h.as(group, 'PUT', '/order/schedule', [{ schedule_code: 1 }])).statusCode).toBe(403);
      }
      for (const group of ['SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS', 'TRADER-OFFICER']) {
        expect((await h.as(group, 'GET', '/order/schedule')).json().code).toBe('ROLE_FORBIDDEN');
      }
      expect(await h.counts()).toEqual(before);
    });

    it('replays a create retried with the same Idempotency-Key', async () => {
      const body = [schedule({ schedule_date: '2026-03-09' })];
      const first = await h.as('GRANDPASS-OFFICER', 'POST', '/order/schedule', body, { 'idempotency-key': 'sched-1' });
      const counts = await h.counts();
      const retry = await h.as('GRANDPASS-OFFICER', 'POST', '/order/schedule', body, { 'idempotency-key': 'sched-1' });
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
      expect(await h.counts()).toEqual(counts);
      const put = [{ schedule_code: first.json()[0].schedule_code }];
      const done = await h.as('GRANDPASS-DEV-MACHINE', 'PUT', '/order/schedule', put, { 'idempotency-key': 'done-1' });
      const replay = await h.as('GRANDPASS-DEV-MACHINE', 'PUT', '/order/schedule', put, { 'idempotency-key': 'done-1' });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.json()).toEqual(done.json());
    });
  });
}
