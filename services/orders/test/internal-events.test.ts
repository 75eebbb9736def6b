import { randomUUID } from 'node:crypto';
import { testDatabases } from '@tributary/platform/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { planAndRequest, useOrders } from './support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: POST /internal/events (processing allocations)`, () => {
    const h = useOrders(target);
    let rc: number;
    const envelope = (payload: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
      id: randomUUID(),
      source: 'processing',
      aggregateType: 'shipment_allocation',
      aggregateId: `${rc}/1`,
      type: 'allocation.changed',
      payload: { requestCode: String(rc), shipmentCode: 1, barcode: randomUUID(), table: 'blendsheet', ...payload },
      createdAt: h.clock.now(),
      ...overrides,
    });
    const deliver = (body: unknown) => h.asService('sync', 'POST', '/internal/events', body);
    const allocated = async () => (await h.as('SEEDUWA-OFFICER', 'GET', `/order?request_code=${rc}`)).json()[0].shipments[0].allocated;

    beforeAll(async () => {
      rc = await planAndRequest(h, { requestKg: '100' });
    });

    it('keeps the allocated kg per shipment and applies each event id once', async () => {
      const first = envelope({ allocatedKgDelta: '25.125' });
      expect((await deliver(first)).json()).toEqual({ status: 'applied' });
      expect((await deliver(first)).json()).toEqual({ status: 'duplicate' });
      expect((await deliver(envelope({ allocatedKgDelta: '-5.125' }))).json()).toEqual({ status: 'applied' });
      expect(await allocated()).toBe('20');
    });

    it('applies concurrent duplicate deliveries once', async () => {
      const event = envelope({ allocatedKgDelta: '1' });
      const answers = await Promise.all(Array.from({ length: 8 }, () => deliver(event)));
      expect(answers.map((a) => a.json().status).sort()).toEqual(['applied', ...Array(7).fill('duplicate')]);
      expect(await allocated()).toBe('21');
    });

    it('ignores other event types', async () => {
      expect((await deliver(envelope({ allocatedKgDelta: '1' }, { type: 'bag.weighed' }))).json()).toEqual({ status: 'ignored' });
      expect(await allocated()).toBe('21');
    });

    it('refuses bad payloads, unknown shipments and negative totals, applying nothing', async () => {
      const before = await h.counts();
      const cases: [unknown, number, string][] = [
        [envelope({ allocatedKgDelta: 'lots' }), 400, 'EVENT_PAYLOAD_INVALID'],
        [envelope({ allocatedKgDelta: '0.0001' }), 400, 'EVENT_PAYLOAD_INVALID'],
        [envelope({ allocatedKgDelta: '1', shipmentCode: 0 }), 400, 'EVENT_PAYLOAD_INVALID'],
        [envelope({ allocatedKgDelta: '1', requestCode: undefined }), 400, 'EVENT_PAYLOAD_INVALID'],
        [envelope({ allocatedKgDelta: '1', shipmentCode: 7 }), 404, 'SHIPMENT_NOT_FOUND'],
        [envelope({ allocatedKgDelta: '-21.001' }), 409, 'SHIPMENT_ALLOCATION_NEGATIVE'],
        [{ id: 'x', type: 'allocation.changed' }, 400, 'REQUEST_VALIDATION_FAILED'],
      ];
      for (const [body, status, code] of cases) {
        const response = await deliver(body);
        expect([JSON.stringify(body), response.statusCode, response.json().code]).toEqual([JSON.stringify(body), status, code]);
      }
      expect(await h.counts()).toEqual(before);
      expect(await allocated()).toBe('21');
      // A refused event was not recorded as applied: once the shipment exists it applies.
      const inbox = await h.handle.database.db
        .selectFrom('inbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(inbox.n)).toBe(3);
    });

    it('accepts deliveries only from the event deliverers (403)', async () => {
      const body = envelope({ allocatedKgDelta: '1' });
      for (const send of [
        () => h.asService('processing', 'POST', '/internal/events', body),
        () => h.as('MASTER-ADMIN', 'POST', '/internal/events', body),
        () => h.as('SEEDUWA-OFFICER', 'POST', '/internal/events', body),
      ]) {
        const response = await send();
        expect(response.statusCode).toBe(403);
      }
      expect(await allocated()).toBe('21');
    });

    it('serves its own events on the outbox feed to signed callers only', async () => {
      const feed = await h.asService('sync', 'GET', '/internal/outbox?after=0&limit=10');
      expect(feed.statusCode).toBe(200);
      expect(feed.json().events.map((e: { type: string }) => e.type)).toEqual(['orders.plan.upserted', 'orders.request.created']);
      expect((await h.app.inject({ method: 'GET', url: '/internal/outbox' })).statusCode).toBe(401);
    });
  });
}
