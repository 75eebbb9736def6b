import { testDatabases } from '@tributary/platform/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { canMove } from '../src/features/shipments/workflow.js';
import type { ShipmentStatus } from '../src/domain.js';
import { planAndRequest, useOrders } from './support.js';
import { asTables } from '@tributary/platform/db';
import type { OrdersDatabase } from '../src/db/schema.js';

const CLIENTS = 32;
const OPS_PER_CLIENT = 12;
const REQUESTS = 3;

/** A small deterministic generator so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: concurrency`, () => {
    const h = useOrders(target);
    const requests: number[] = [];
    beforeAll(async () => {
      for (let i = 0; i < REQUESTS; i++) {
        const rc = await planAndRequest(h, { orderCode: `RACE-${i}`, planKg: '1000', requestKg: '512' });
        // Split once before the race, so every request has several shipments whatever order the
        // concurrent events land in (a request left with one shipment would prove nothing).
        const split = await h.as('SEEDUWA-OFFICER', 'PUT', '/order/shipment', [{ request_code: rc, shipment_code: 1, quantity: '100' }]);
        expect(split.statusCode).toBe(200);
        requests.push(rc);
      }
    });

    it(`${CLIENTS} clients posting events and splitting the same shipments leave no duplicate status, no lost quantity and no 5xx`, async () => {
      const statuses: number[] = [];
      let splitsDone = 0;
      const client = async (id: number) => {
        const next = random(id + 1);
        for (let op = 0; op < OPS_PER_CLIENT; op++) {
          const rc = requests[Math.floor(next() * REQUESTS)]!;
          // Biased to the low shipment codes, which exist from the start or soon after.
          const sc = 1 + Math.floor(next() ** 2 * 4);
          // Every client opens with a split, so splits race each other as well as the events.
          const roll = op === 0 ? 0 : next();
          let response;
          if (roll < 0.35) {
            const quantity = (1 + Math.floor(next() * 200)).toString();
            response = await h.as('SEEDUWA-OFFICER', 'PUT', '/order/shipment', [{ request_code: rc, shipment_code: sc, quantity }]);
          } else if (roll < 0.6) {
            response = await h.as('SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [
              { request_code: rc, shipment_code: sc, status: 'ORDER_READY' },
            ]);
          } else if (roll < 0.7) {
            response = await h.as('SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [
              { request_code: rc, shipment_code: sc, status: 'ORDER_NOT_READY', order_remarks: `client ${id}` },
            ]);
          } else if (roll < 0.85) {
            response = await h.asService('processing', 'POST', '/order/shipment/event', [
              { request_code: rc, shipment_code: sc, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: `V-${id}` },
            ]);
          } else if (roll < 0.92) {
            response = await h.asService('processing', 'POST', '/order/shipment/event', [
              { request_code: rc, shipment_code: sc, status: 'TRADER_BLOCKED' },
            ]);
          } else {
            // Two shipments of two requests in one batch: lock ordering must hold.
            const other = requests[(requests.indexOf(rc) + 1) % REQUESTS]!;
            response = await h.as('SEEDUWA-OFFICER', 'PUT', '/order/shipment', [
              { request_code: other, shipment_code: 1, quantity: '1' },
              { request_code: rc, shipment_code: sc, quantity: '2' },
            ]);
          }
          statuses.push(response.statusCode);
          if (roll < 0.35 && response.statusCode === 200) splitsDone++;
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, (_, id) => client(id)));

      expect(statuses).toHaveLength(CLIENTS * OPS_PER_CLIENT);
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      expect(new Set(statuses.filter((status) => ![200, 404, 409].includes(status)))).toEqual(new Set());
      expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(CLIENTS);
      expect(splitsDone).toBeGreaterThan(0);

      const db = asTables<OrdersDatabase>(h.handle.database.db);
      // Σ shipment quantities of each request is still its requirement.
      for (const rc of requests) {
        const rows = await db.selectFrom('order_shipment').select(['quantity']).where('request_code', '=', String(rc)).execute();
        expect(rows.length).toBeGreaterThan(1);
        expect(rows.reduce((sum, row) => sum + BigInt(row.quantity), 0n)).toBe(512_000n);
      }
      // No status twice for a shipment; every history is a legal walk; the kept status is the last event's.
      const events = await db
        .selectFrom('order_shipment_event')
        .select(['request_code', 'shipment_code', 'status'])
        .orderBy('event_id')
        .execute();
      const histories = new Map<string, string[]>();
      for (const event of events) {
        const key = `${event.request_code}/${event.shipment_code}`;
        histories.set(key, [...(histories.get(key) ?? []), event.status]);
      }
      const shipments = await db.selectFrom('order_shipment').select(['request_code', 'shipment_code', 'status']).execute();
      expect(histories.size).toBe(shipments.length);
      for (const shipment of shipments) {
        const history = histories.get(`${shipment.request_code}/${shipment.shipment_code}`)!;
        expect(new Set(history).size).toBe(history.length);
        expect(history[0]).toBe('ORDER_REQUESTED');
        for (let i = 1; i < history.length; i++)
          expect([history[i - 1], history[i], canMove(history[i - 1]!, history[i] as ShipmentStatus)]).toEqual([
            history[i - 1],
            history[i],
            true,
          ]);
        expect(shipment.status).toBe(history.at(-1));
      }
    });
  });
}
