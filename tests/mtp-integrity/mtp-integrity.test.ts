import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@tributary/platform/db';
import { testDatabases } from '@tributary/platform/testing';
import {
  ok,
  planRow,
  requestOrders,
  storeLocation,
  tealineLot,
  useMtpPair,
  weighBags,
} from '../../apps/cli/src/commands/reconcile-mtp.support.js';

/**
 * Orders and processing as two real servers (issue #15): an allocation needs a shipment orders
 * knows, and a trader block in processing reaches orders' shipments through the outbox feed.
 */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: MTP integrity between orders and processing`, () => {
    const mtp = useMtpPair(target);
    const ids = { rcReady: 0, rcOther: 0, bags: [] as string[] };

    const processingDb = () => mtp.processing.handle.database.db;
    const ordersDb = () => mtp.orders.handle.database.db;
    const allocationRows = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from tealine_allocate_shipment`.execute(processingDb())).rows[0]!.n;
    const outboxRows = async (db: ReturnType<typeof processingDb> | ReturnType<typeof ordersDb>) =>
      (await sql<{ n: number }>`select count(*)::int as n from outbox`.execute(db)).rows[0]!.n;
    const shipment = async (requestCode: number, shipmentCode = 1) => {
      const orders = ok(await mtp.call(mtp.orders, 'SEEDUWA-OFFICER', 'GET', `/order?request_code=${requestCode}`), 'order');
      return orders[0].shipments.find((s: any) => s.shipment_code === shipmentCode);
    };
    const allocate = (requestCode: number, shipmentCode: number, barcode = ids.bags[0]) =>
      mtp.call(mtp.processing, 'SEEDUWA-OFFICER', 'POST', '/app/tealine/record/shipment', {
        barcode,
        request_code: requestCode,
        shipment_code: shipmentCode,
        amount: '2.5',
      });

    beforeAll(async () => {
      const { orders, call } = mtp;
      ok(
        await call(orders, 'GRANDPASS-ADMIN', 'POST', '/order/plan', [
          planRow('ORD-BLEND'),
          planRow('ORD-OTHER', { item_code: 'BTL00007' }),
        ]),
        'plans',
      );
      [ids.rcReady, ids.rcOther] = await requestOrders(mtp, [
        { order_code: 'ORD-BLEND', requirement: '30' },
        { order_code: 'ORD-OTHER', requirement: '30' },
      ]);
      ok(
        await call(orders, 'SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [
          { request_code: ids.rcReady, shipment_code: 1, status: 'ORDER_READY' },
          { request_code: ids.rcOther, shipment_code: 1, status: 'ORDER_READY' },
        ]),
        'ready',
      );
      await storeLocation(mtp, 'STORE-I');
      const lot = await tealineLot(mtp, { item_code: 'T-I', no_of_bags: 2, weight_per_bag: 50 });
      ids.bags = await weighBags(mtp, '/app/tealine/record', lot, 'STORE-I', 2, 51);
    });

    it('refuses an allocation to a shipment orders never heard of, on every path, storing nothing on either side', async () => {
      const ordersOutbox = await outboxRows(ordersDb());
      const processingOutbox = await outboxRows(processingDb());

      const direct = await allocate(987654, 1);
      expect([direct.status, direct.body.code, direct.body.details]).toEqual([
        409,
        'SHIPMENT_UNKNOWN',
        { request_code: 987654, shipment_code: 1 },
      ]);
      // The request exists, that shipment of it does not.
      expect((await allocate(ids.rcReady, 7)).body.code).toBe('SHIPMENT_UNKNOWN');
      // Through orders' barcode handler: orders knows its own shipments and refuses before forwarding.
      const viaOrders = await mtp.call(mtp.orders, 'SEEDUWA-OFFICER', 'PUT', '/order/record/shipment', [
        { table_name: 'tealine', barcode: ids.bags[0], request_code: 987654, shipment_code: 1, amount: '2.5' },
      ]);
      expect([viaOrders.status, viaOrders.body.code]).toEqual([404, 'SHIPMENT_NOT_FOUND']);

      expect(await allocationRows()).toBe(0);
      expect(await outboxRows(processingDb())).toBe(processingOutbox);
      await mtp.sync();
      expect(await outboxRows(ordersDb())).toBe(ordersOutbox);
      const orphans = await sql<{ n: number }>`select count(*)::int as n from order_shipment where request_code = 987654`.execute(
        ordersDb(),
      );
      expect(orphans.rows[0]!.n).toBe(0);
      expect((await shipment(ids.rcReady)).allocated).toBe('0');
    });

    it('accepts a shipment the copy has not seen yet by asking orders, and answers from the copy while orders is down', async () => {
      // Created after the last sync: only orders knows it.
      const [fresh] = ok(
        await mtp.call(mtp.orders, 'GRANDPASS-OFFICER', 'POST', '/order', [
          { order_code: 'ORD-OTHER', product_name: 'Blend', requirement: '5', status: 'ORDER_REQUESTED' },
        ]),
        'fresh request',
      );
      const late = ok(
        await mtp.call(mtp.orders, 'GRANDPASS-OFFICER', 'POST', '/order', [
          { order_code: 'ORD-OTHER', product_name: 'Blend', requirement: '5', status: 'ORDER_REQUESTED' },
        ]),
        'late request',
      )[0];
      expect((await allocate(Number(fresh.request_code), 1)).status).toBe(200);

      await mtp.stopOrders();
      try {
        const before = await allocationRows();
        const unverifiable = await allocate(Number(late.request_code), 1, ids.bags[1]);
        expect([unverifiable.status, unverifiable.body.code, unverifiable.body.details?.request_code]).toEqual([
          503,
          'SHIPMENT_UNVERIFIABLE',
          Number(late.request_code),
        ]);
        expect(await allocationRows()).toBe(before);
      } finally {
        await mtp.startOrders();
      }
      // Once orders' feed has reached processing's copy, the copy answers without orders.
      await mtp.sync();
      await mtp.stopOrders();
      try {
        expect((await allocate(Number(late.request_code), 1, ids.bags[1])).status).toBe(200);
      } finally {
        await mtp.startOrders();
      }
      await mtp.sync();
      expect((await shipment(Number(late.request_code))).allocated).toBe('2.5');
    });

    it('blocks the waiting shipments of a trader-blocked blend in orders, once, after the feed delivers it', async () => {
      const { processing, call } = mtp;
      ok(
        await call(processing, 'SEEDUWA-ADMIN', 'POST', '/app/admin/blendsheet', {
          blendsheet_no: 'BS-BLOCK',
          standard: 'S',
          remarks: 'r',
          total: 60,
          no_of_batches: 1,
          blend_code: 'BLT00042',
          mixtures: {},
        }),
        'blendsheet',
      );
      const batch = ok(await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/blendsheet/batch', { blendsheet_no: 'BS-BLOCK' }), 'batch');
      const key = { item_code: batch.item_code, created_ts: batch.created_ts };
      ok(await call(processing, 'SEEDUWA-OFFICER', 'PUT', '/app/blendsheet/batch', { ...key, humidity: 3, density: 0.4 }), 'qc');
      ok(
        await call(processing, 'SEEDUWA-OFFICER', 'PUT', '/app/trader/blendsheet/batch', { ...key, trader_status: 'TRADER_REQUESTED' }),
        'request',
      );
      await mtp.sync();
      // A request has no shipment status: still ready.
      expect((await shipment(ids.rcReady)).status).toBe('ORDER_READY');

      ok(
        await call(processing, 'TRADER-OFFICER', 'PUT', '/app/trader/blendsheet/batch', { ...key, trader_status: 'TRADER_BLOCKED' }),
        'block',
      );
      expect((await shipment(ids.rcReady)).status).toBe('ORDER_READY');
      await mtp.sync();

      const blocked = await shipment(ids.rcReady);
      expect(blocked.status).toBe('TRADER_BLOCKED');
      expect(blocked.events.at(-1)).toMatchObject({
        status: 'TRADER_BLOCKED',
        order_remarks: `batch ${key.item_code}/${key.created_ts} of blend BLT00042 blocked by a trader`,
      });
      // Another blend's shipment is untouched; the blocked one leaves the dispatch list.
      expect((await shipment(ids.rcOther)).status).toBe('ORDER_READY');
      const dispatchable = ok(await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment'), 'dispatch list');
      expect(dispatchable.map((s: any) => s.request_code)).not.toContain(ids.rcReady);

      // Every processing event delivered again: nothing is recorded twice.
      const events = async () =>
        (await sql<{ n: number }>`select count(*)::int as n from order_shipment_event where status = 'TRADER_BLOCKED'`.execute(ordersDb()))
          .rows[0]!.n;
      const ordersOutbox = await outboxRows(ordersDb());
      expect(await events()).toBe(1);
      mtp.processing.cursor = '0';
      expect((await mtp.sync()).toOrders).toBeGreaterThan(0);
      expect(await events()).toBe(1);
      expect(await outboxRows(ordersDb())).toBe(ordersOutbox);
      expect((await shipment(ids.rcReady)).events.filter((e: any) => e.status === 'TRADER_BLOCKED')).toHaveLength(1);
    });
  });
}
