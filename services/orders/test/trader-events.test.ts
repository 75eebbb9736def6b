import { randomUUID } from 'node:crypto';
import { testDatabases } from '@tributary/platform/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { PLAN_ROW, planAndRequest, receivedRequest, useOrders } from './support.js';

/** Processing's trader decisions delivered to orders (ADR 0601, "Trader decisions reach orders"). */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: POST /internal/events (processing trader decisions)`, () => {
    const h = useOrders(target);
    // PLAN_ROW's item code holds blend BLT00042, which the upload keeps as the plan's item_code.
    const rc = { requested: 0, notReady: 0, approval: 0, received: 0, otherBlend: 0 };
    const decision = (payload: Record<string, unknown>, overrides: Record<string, unknown> = {}) => ({
      id: randomUUID(),
      source: 'processing',
      aggregateType: 'batch',
      aggregateId: 'BS-1-B01/1700000000000',
      type: 'processing.batch.trader_status_changed',
      payload: {
        item_code: 'BS-1-B01',
        created_ts: 1700000000000,
        blendsheet_no: 'BS-1',
        blend_code: 'BLT00042',
        from: 'TRADER_REQUESTED',
        to: 'TRADER_BLOCKED',
        actor: 'trader-1',
        ...payload,
      },
      createdAt: h.clock.now(),
      ...overrides,
    });
    const deliver = (body: unknown) => h.asService('sync', 'POST', '/internal/events', body);
    const status = async (requestCode: number) =>
      (await h.as('SEEDUWA-OFFICER', 'GET', `/order?request_code=${requestCode}`)).json()[0].shipments[0].status;
    const statuses = async () => ({
      requested: await status(rc.requested),
      notReady: await status(rc.notReady),
      approval: await status(rc.approval),
      received: await status(rc.received),
      otherBlend: await status(rc.otherBlend),
    });

    beforeAll(async () => {
      rc.requested = await planAndRequest(h);
      rc.notReady = await planAndRequest(h);
      await h.as('SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [
        { request_code: rc.notReady, shipment_code: 1, status: 'ORDER_NOT_READY', order_remarks: 'short' },
      ]);
      rc.approval = await planAndRequest(h, { status: 'APPROVAL_REQUESTED' });
      rc.received = await receivedRequest(h, { orderCode: 'ORD-GONE', requestKg: '10', vehicle: 'WP-1', remarks: 'ok' });
      await h.as('GRANDPASS-ADMIN', 'POST', '/order/plan', [PLAN_ROW({ order_code: 'ORD-OTHER', item_code: 'BTL00007' })]);
      const other = await h.as('GRANDPASS-OFFICER', 'POST', '/order', [
        { order_code: 'ORD-OTHER', product_name: 'Other', requirement: '10', status: 'ORDER_REQUESTED' },
      ]);
      rc.otherBlend = other.json()[0].request_code;
    });

    it('records nothing for a request, elevation or allowance, nor for a block without a blend code', async () => {
      const before = await h.counts();
      for (const payload of [
        { from: 'TRADER_PENDING', to: 'TRADER_REQUESTED' },
        { to: 'TRADER_ELEVATED' },
        { to: 'TRADER_ALLOWED' },
        { blend_code: null },
        { blend_code: undefined, blendsheet_no: undefined },
      ]) {
        expect((await deliver(decision(payload))).json()).toEqual({ status: 'applied' });
      }
      const after = await h.counts();
      expect({ ...after, inbox: before.inbox }).toEqual(before);
      expect(await statuses()).toEqual({
        requested: 'ORDER_REQUESTED',
        notReady: 'ORDER_NOT_READY',
        approval: 'APPROVAL_REQUESTED',
        received: 'SHIPMENT_ACCEPTED',
        otherBlend: 'ORDER_REQUESTED',
      });
    });

    it('refuses a malformed decision, writing nothing', async () => {
      const before = await h.counts();
      for (const payload of [{ to: 'TRADER_MAYBE' }, { item_code: '' }, { created_ts: 'soon' }]) {
        const response = await deliver(decision(payload));
        expect([response.statusCode, response.json().code]).toEqual([400, 'EVENT_PAYLOAD_INVALID']);
      }
      expect(await h.counts()).toEqual(before);
    });

    it('blocks the waiting shipments of the blocked blend once, naming the batch, and nothing else', async () => {
      const block = decision({});
      expect((await deliver(block)).json()).toEqual({ status: 'applied' });
      expect(await statuses()).toEqual({
        requested: 'TRADER_BLOCKED',
        notReady: 'TRADER_BLOCKED',
        approval: 'APPROVAL_REQUESTED',
        received: 'SHIPMENT_ACCEPTED',
        otherBlend: 'ORDER_REQUESTED',
      });
      const events = (await h.as('SEEDUWA-OFFICER', 'GET', `/order?request_code=${rc.requested}`)).json()[0].shipments[0].events;
      expect(events.at(-1)).toMatchObject({
        status: 'TRADER_BLOCKED',
        order_remarks: 'batch BS-1-B01/1700000000000 of blend BLT00042 blocked by a trader',
      });
      const feed = (await h.asService('sync', 'GET', '/internal/outbox?after=0&limit=1000')).json().events;
      const blocks = feed.filter((e: any) => e.type === 'orders.shipment.event_added' && e.payload.status === 'TRADER_BLOCKED');
      expect(blocks.map((e: any) => Number(e.payload.requestCode)).sort()).toEqual([rc.requested, rc.notReady].sort());

      // The same event again, and another batch of the blend blocked: nothing more is written.
      const after = await h.counts();
      expect((await deliver(block)).json()).toEqual({ status: 'duplicate' });
      expect((await deliver(decision({ item_code: 'BS-1-B02' }))).json()).toEqual({ status: 'applied' });
      expect({ ...(await h.counts()), inbox: after.inbox }).toEqual(after);
    });
  });
}
