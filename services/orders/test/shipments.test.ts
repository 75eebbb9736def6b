import { testDatabases } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';
import type { ShipmentStatus } from '../src/domain.js';
import { canMove, POSTABLE_STATUSES } from '../src/features/shipments/workflow.js';
import { lastSequence, planAndRequest, useOrders, type OrdersHarness } from './support.js';
import { asTables } from '@tributary/platform/db';
import type { OrdersDatabase } from '../src/db/schema.js';

const POSTABLE: ShipmentStatus[] = [...POSTABLE_STATUSES];

type Poster = (body: unknown[], headers?: Record<string, string>) => ReturnType<OrdersHarness['as']>;

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: shipment workflow`, () => {
    const h = useOrders(target);
    const supervisor: Poster = (body, headers) => h.as('GRANDPASS-SUPERVISOR', 'POST', '/order/shipment/event', body, headers);
    const seeduwa: Poster = (body, headers) => h.as('SEEDUWA-OFFICER', 'POST', '/order/shipment/event', body, headers);
    const gatepass: Poster = (body, headers) => h.as('GRANDPASS-GATEPASS', 'POST', '/order/shipment/event', body, headers);
    const processing: Poster = (body, headers) => h.asService('processing', 'POST', '/order/shipment/event', body, headers);

    const statusOf = async (rc: number, sc = 1) => {
      const orders = (await h.as('SEEDUWA-OFFICER', 'GET', `/order?request_code=${rc}`)).json();
      return orders[0].shipments.find((s: { shipment_code: number }) => s.shipment_code === sc);
    };

    it('runs a special request from approval to receipt, adding ORDER_REQUESTED automatically', async () => {
      const rc = await planAndRequest(h, { status: 'APPROVAL_REQUESTED' });
      const before = await lastSequence(h);
      h.clock.advance(1000);
      const approved = await supervisor([{ request_code: rc, shipment_code: 1, status: 'APPROVAL_ALLOWED' }]);
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toEqual([
        {
          request_code: rc,
          shipments: [
            {
              shipment_code: 1,
              events: [
                { status: 'APPROVAL_ALLOWED', timestamp: h.clock.now() },
                { status: 'ORDER_REQUESTED', timestamp: h.clock.now() },
              ],
            },
          ],
        },
      ]);
      expect(
        (await seeduwa([{ request_code: rc, shipment_code: 1, status: 'ORDER_NOT_READY', order_remarks: 'blend not finished' }]))
          .statusCode,
      ).toBe(200);
      expect((await seeduwa([{ request_code: String(rc), shipment_code: '1', status: 'ORDER_READY' }])).statusCode).toBe(200);
      expect(
        (await processing([{ request_code: rc, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: ' LB-0001 ' }]))
          .statusCode,
      ).toBe(200);
      expect(
        (await gatepass([{ request_code: rc, shipment_code: 1, status: 'SHIPMENT_ACCEPTED', shipment_remarks: 'all bags present' }]))
          .statusCode,
      ).toBe(200);

      const shipment = await statusOf(rc);
      expect(shipment.status).toBe('SHIPMENT_ACCEPTED');
      expect(shipment.events.map((e: { status: string }) => e.status)).toEqual([
        'APPROVAL_REQUESTED',
        'APPROVAL_ALLOWED',
        'ORDER_REQUESTED',
        'ORDER_NOT_READY',
        'ORDER_READY',
        'SHIPMENT_DISPATCHED',
        'SHIPMENT_ACCEPTED',
      ]);
      expect(shipment.events[5].shipment_vehicle).toBe('LB-0001');
      const events = await h.outboxAfter(before);
      expect(events.every((e) => e.type === 'orders.shipment.event_added' && e.aggregateId === String(rc))).toBe(true);
      expect(
        events.map((e) => [
          (e.payload as { status: string }).status,
          (e.payload as { automatic: boolean }).automatic,
          (e.payload as { previousStatus: string }).previousStatus,
        ]),
      ).toEqual([
        ['APPROVAL_ALLOWED', false, 'APPROVAL_REQUESTED'],
        ['ORDER_REQUESTED', true, 'APPROVAL_ALLOWED'],
        ['ORDER_NOT_READY', false, 'ORDER_REQUESTED'],
        ['ORDER_READY', false, 'ORDER_NOT_READY'],
        ['SHIPMENT_DISPATCHED', false, 'ORDER_READY'],
        ['SHIPMENT_ACCEPTED', false, 'SHIPMENT_DISPATCHED'],
      ]);
      expect(events[4]!.payload).toMatchObject({
        requestCode: String(rc),
        shipmentCode: 1,
        shipmentVehicle: 'LB-0001',
        actor: 'processing',
      });
    });

    it('ends a refused special request with APPROVAL_BLOCKED', async () => {
      const rc = await planAndRequest(h, { status: 'APPROVAL_REQUESTED' });
      expect((await supervisor([{ request_code: rc, shipment_code: 1, status: 'APPROVAL_BLOCKED' }])).statusCode).toBe(200);
      const again = await supervisor([{ request_code: rc, shipment_code: 1, status: 'APPROVAL_ALLOWED' }]);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({
        code: 'SHIPMENT_TRANSITION_INVALID',
        details: { from: 'APPROVAL_BLOCKED', to: 'APPROVAL_ALLOWED' },
      });
    });

    it('refuses every illegal transition with 409 and writes nothing', async () => {
      const requested = await planAndRequest(h);
      const special = await planAndRequest(h, { status: 'APPROVAL_REQUESTED' });
      const dispatched = await planAndRequest(h);
      await seeduwa([{ request_code: dispatched, shipment_code: 1, status: 'ORDER_READY' }]);
      await processing([{ request_code: dispatched, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: 'V1' }]);
      const blocked = await planAndRequest(h);
      await processing([{ request_code: blocked, shipment_code: 1, status: 'TRADER_BLOCKED' }]);
      const before = await h.counts();
      const illegal: [Poster, number, string, Record<string, string>][] = [
        [supervisor, requested, 'APPROVAL_ALLOWED', {}],
        [supervisor, requested, 'APPROVAL_BLOCKED', {}],
        [processing, requested, 'SHIPMENT_DISPATCHED', { shipment_vehicle: 'V' }],
        [gatepass, requested, 'SHIPMENT_ACCEPTED', { shipment_remarks: 'r' }],
        [seeduwa, special, 'ORDER_READY', {}],
        [seeduwa, special, 'ORDER_NOT_READY', { order_remarks: 'r' }],
        [processing, special, 'TRADER_BLOCKED', {}],
        [processing, special, 'SHIPMENT_DISPATCHED', { shipment_vehicle: 'V' }],
        [seeduwa, dispatched, 'ORDER_NOT_READY', { order_remarks: 'r' }],
        [processing, dispatched, 'TRADER_BLOCKED', {}],
        [seeduwa, blocked, 'ORDER_READY', {}],
        [processing, blocked, 'SHIPMENT_DISPATCHED', { shipment_vehicle: 'V' }],
      ];
      for (const [post, rc, status, fields] of illegal) {
        const response = await post([{ request_code: rc, shipment_code: 1, status, ...fields }]);
        expect([status, response.statusCode, response.json().code]).toEqual([status, 409, 'SHIPMENT_TRANSITION_INVALID']);
      }
      expect(await h.counts()).toEqual(before);
    });

    it('refuses every move the workflow does not allow, from every reachable status (409), writing nothing', async () => {
      const fields: Record<string, Record<string, string>> = {
        SHIPMENT_DISPATCHED: { shipment_vehicle: 'V-9' },
        ORDER_NOT_READY: { order_remarks: 'not yet' },
        SHIPMENT_ACCEPTED: { shipment_remarks: 'received' },
      };
      const posterOf = (status: string): Poster =>
        ({
          APPROVAL_ALLOWED: supervisor,
          APPROVAL_BLOCKED: supervisor,
          ORDER_READY: seeduwa,
          ORDER_NOT_READY: seeduwa,
          SHIPMENT_ACCEPTED: gatepass,
        })[status] ?? processing;
      const post = (rc: number, status: string) => posterOf(status)([{ request_code: rc, shipment_code: 1, status, ...fields[status] }]);
      const paths: [string, ...string[]][] = [
        ['APPROVAL_REQUESTED'],
        ['APPROVAL_REQUESTED', 'APPROVAL_BLOCKED'],
        ['APPROVAL_REQUESTED', 'APPROVAL_ALLOWED'],
        ['ORDER_REQUESTED'],
        ['ORDER_REQUESTED', 'ORDER_NOT_READY'],
        ['ORDER_REQUESTED', 'ORDER_READY'],
        ['ORDER_REQUESTED', 'TRADER_BLOCKED'],
        ['ORDER_REQUESTED', 'ORDER_NOT_READY', 'ORDER_READY', 'SHIPMENT_DISPATCHED'],
        ['ORDER_REQUESTED', 'ORDER_READY', 'SHIPMENT_DISPATCHED', 'SHIPMENT_ACCEPTED'],
      ];
      let refused = 0;
      for (const [initial, ...steps] of paths) {
        const rc = await planAndRequest(h, { status: initial as 'ORDER_REQUESTED' | 'APPROVAL_REQUESTED' });
        for (const step of steps) expect((await post(rc, step)).statusCode).toBe(200);
        const shipment = await statusOf(rc);
        const history = shipment.events.map((e: { status: string }) => e.status);
        const before = await h.counts();
        for (const status of POSTABLE) {
          if (canMove(shipment.status, status)) continue;
          const response = await post(rc, status);
          if (history.includes(status)) {
            expect([history.join('>'), status, response.statusCode]).toEqual([history.join('>'), status, 200]);
          } else {
            expect([history.join('>'), status, response.statusCode, response.json().code]).toEqual([
              history.join('>'),
              status,
              409,
              'SHIPMENT_TRANSITION_INVALID',
            ]);
            refused += 1;
          }
        }
        expect(await h.counts()).toEqual(before);
        expect((await statusOf(rc)).events).toEqual(shipment.events);
      }
      // 9 reachable states × 7 postable statuses, less the legal moves and the replays of recorded ones.
      expect(refused).toBe(39);
    });

    it('keeps one event per status: an identical repeat is answered with the stored event, a different one is a 409', async () => {
      const rc = await planAndRequest(h);
      await seeduwa([{ request_code: rc, shipment_code: 1, status: 'ORDER_READY' }]);
      const first = await processing([{ request_code: rc, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: 'V-7' }]);
      const before = await h.counts();
      h.clock.advance(5000);
      const repeat = await processing([{ request_code: rc, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: 'V-7' }]);
      expect(repeat.statusCode).toBe(200);
      expect(repeat.json()).toEqual(first.json());
      const different = await processing([{ request_code: rc, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: 'V-8' }]);
      expect(different.statusCode).toBe(409);
      expect(different.json().code).toBe('SHIPMENT_STATUS_ALREADY_RECORDED');
      expect(await h.counts()).toEqual(before);
      // The database refuses a second row for a status even if a writer skipped the checks.
      const duplicate = await h.handle.database.db
        .insertInto('order_shipment_event')
        .values({
          request_code: String(rc),
          shipment_code: 1,
          status: 'ORDER_READY',
          event_ts: 1,
          shipment_vehicle: null,
          order_remarks: null,
          shipment_remarks: null,
          actor: 'x',
        })
        .execute()
        .catch((error: { code?: string }) => error.code);
      expect(duplicate).toBe('23505');
    });

    it('refuses missing remarks/vehicle, statuses set only at creation, unknown shipments and bad shapes, writing nothing', async () => {
      const rc = await planAndRequest(h);
      await seeduwa([{ request_code: rc, shipment_code: 1, status: 'ORDER_READY' }]);
      const before = await h.counts();
      const cases: [Poster, unknown, number, string][] = [
        [processing, [{ request_code: rc, shipment_code: 1, status: 'SHIPMENT_DISPATCHED' }], 400, 'SHIPMENT_EVENT_FIELD_REQUIRED'],
        [
          processing,
          [{ request_code: rc, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: '   ' }],
          400,
          'SHIPMENT_EVENT_FIELD_REQUIRED',
        ],
        [
          seeduwa,
          [{ request_code: rc, shipment_code: 1, status: 'ORDER_NOT_READY', order_remarks: null }],
          400,
          'SHIPMENT_EVENT_FIELD_REQUIRED',
        ],
        [gatepass, [{ request_code: rc, shipment_code: 1, status: 'SHIPMENT_ACCEPTED' }], 400, 'SHIPMENT_EVENT_FIELD_REQUIRED'],
        [supervisor, [{ request_code: rc, shipment_code: 1, status: 'ORDER_REQUESTED' }], 400, 'SHIPMENT_STATUS_NOT_POSTABLE'],
        [supervisor, [{ request_code: rc, shipment_code: 1, status: 'APPROVAL_REQUESTED' }], 400, 'SHIPMENT_STATUS_NOT_POSTABLE'],
        [seeduwa, [{ request_code: rc, shipment_code: 1, status: 'RECEIVED' }], 400, 'REQUEST_VALIDATION_FAILED'],
        [seeduwa, [{ request_code: rc, status: 'ORDER_READY' }], 400, 'REQUEST_VALIDATION_FAILED'],
        [seeduwa, [{ request_code: -1, shipment_code: 1, status: 'ORDER_READY' }], 400, 'REQUEST_VALIDATION_FAILED'],
        [seeduwa, [], 400, 'REQUEST_VALIDATION_FAILED'],
        [seeduwa, [{ request_code: 999999, shipment_code: 1, status: 'ORDER_READY' }], 404, 'SHIPMENT_NOT_FOUND'],
        [seeduwa, [{ request_code: rc, shipment_code: 9, status: 'ORDER_READY' }], 404, 'SHIPMENT_NOT_FOUND'],
        // The first element is fine, the second fails: the batch is all or nothing.
        [
          processing,
          [
            { request_code: rc, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: 'V' },
            { request_code: rc, shipment_code: 2, status: 'TRADER_BLOCKED' },
          ],
          404,
          'SHIPMENT_NOT_FOUND',
        ],
      ];
      for (const [post, body, status, code] of cases) {
        const response = await post(body as unknown[]);
        expect([JSON.stringify(body), response.statusCode, response.json().code]).toEqual([JSON.stringify(body), status, code]);
      }
      expect(await h.counts()).toEqual(before);
      expect((await statusOf(rc)).status).toBe('ORDER_READY');
    });

    it('lets each group post only its own statuses (403) and writes nothing', async () => {
      const special = await planAndRequest(h, { status: 'APPROVAL_REQUESTED' });
      const ready = await planAndRequest(h);
      await seeduwa([{ request_code: ready, shipment_code: 1, status: 'ORDER_READY' }]);
      const before = await h.counts();
      const forbidden: [string, number, string, Record<string, string>][] = [
        ['SEEDUWA-OFFICER', special, 'APPROVAL_ALLOWED', {}],
        ['GRANDPASS-GATEPASS', special, 'APPROVAL_BLOCKED', {}],
        ['GRANDPASS-SUPERVISOR', ready, 'ORDER_NOT_READY', { order_remarks: 'r' }],
        ['GRANDPASS-SUPERVISOR', ready, 'SHIPMENT_DISPATCHED', { shipment_vehicle: 'V' }],
        ['SEEDUWA-OFFICER', ready, 'SHIPMENT_DISPATCHED', { shipment_vehicle: 'V' }],
        ['SEEDUWA-OFFICER', ready, 'SHIPMENT_ACCEPTED', { shipment_remarks: 'r' }],
        ['TRADER-OFFICER', ready, 'ORDER_READY', {}],
        ['GRANDPASS-GATEPASS', ready, 'TRADER_BLOCKED', {}],
      ];
      for (const [group, rc, status, fields] of forbidden) {
        const response = await h.as(group, 'POST', '/order/shipment/event', [{ request_code: rc, shipment_code: 1, status, ...fields }]);
        expect([group, status, response.statusCode, response.json().code]).toEqual([group, status, 403, 'SHIPMENT_STATUS_FORBIDDEN']);
      }
      for (const group of ['GRANDPASS-OFFICER', 'GRANDPASS-ADMIN', 'MASTER-ADMIN', 'SEEDUWA-ADMIN', 'GRANDPASS-DEV-MACHINE']) {
        const response = await h.as(group, 'POST', '/order/shipment/event', [
          { request_code: ready, shipment_code: 1, status: 'TRADER_BLOCKED' },
        ]);
        expect([group, response.statusCode, response.json().code]).toEqual([group, 403, 'ROLE_FORBIDDEN']);
      }
      expect(
        (await h.asService('sync', 'POST', '/order/shipment/event', [{ request_code: ready, shipment_code: 1, status: 'TRADER_BLOCKED' }]))
          .statusCode,
      ).toBe(403);
      expect(await h.counts()).toEqual(before);
      // A trader may block material on a ready shipment.
      expect(
        (
          await h.as('TRADER-OFFICER', 'POST', '/order/shipment/event', [
            { request_code: ready, shipment_code: 1, status: 'TRADER_BLOCKED' },
          ])
        ).statusCode,
      ).toBe(200);
    });

    it('replays an event post retried with the same Idempotency-Key', async () => {
      const rc = await planAndRequest(h);
      const body = [{ request_code: rc, shipment_code: 1, status: 'ORDER_NOT_READY', order_remarks: 'waiting' }];
      const first = await seeduwa(body, { 'idempotency-key': `evt-${rc}` });
      const counts = await h.counts();
      const retry = await seeduwa(body, { 'idempotency-key': `evt-${rc}` });
      expect(retry.statusCode).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
      expect(await h.counts()).toEqual(counts);
    });
  });

  describe(`${target.label}: PUT /order/shipment (quantity change and split)`, () => {
    const h = useOrders(target);
    const change = (body: unknown, headers?: Record<string, string>) => h.as('SEEDUWA-OFFICER', 'PUT', '/order/shipment', body, headers);

    it('splits the remainder into the next shipment with the same status and history', async () => {
      const rc = await planAndRequest(h, { requestKg: '100' });
      await h.as('SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [{ request_code: rc, shipment_code: 1, status: 'ORDER_READY' }]);
      const before = await lastSequence(h);
      const response = await change([{ request_code: rc, shipment_code: 1, quantity: '60.5' }]);
      expect(response.statusCode).toBe(200);
      const events = [
        { status: 'ORDER_REQUESTED', timestamp: h.clock.now() },
        { status: 'ORDER_READY', timestamp: h.clock.now() },
      ];
      expect(response.json()).toEqual([
        {
          request_code: rc,
          shipments: [
            { shipment_code: 1, quantity: '60.5', allocated: '0', status: 'ORDER_READY', events },
            { shipment_code: 2, quantity: '39.5', allocated: '0', status: 'ORDER_READY', events },
          ],
        },
      ]);
      // Split again, from the split-off shipment: numbering continues per request.
      const again = await h.asService('processing', 'PUT', '/order/shipment', [{ request_code: rc, shipment_code: 2, quantity: 10 }]);
      expect(again.json()[0].shipments.map((s: { shipment_code: number; quantity: string }) => [s.shipment_code, s.quantity])).toEqual([
        [2, '10'],
        [3, '29.5'],
      ]);
      const outbox = await h.outboxAfter(before);
      expect(outbox.map((e) => e.type)).toEqual(['orders.shipment.quantity_changed', 'orders.shipment.quantity_changed']);
      expect(outbox[0]!.payload).toEqual({
        requestCode: String(rc),
        shipmentCode: 1,
        previousQuantityKg: '100',
        quantityKg: '60.5',
        splitInto: { shipmentCode: 2, quantityKg: '39.5', status: 'ORDER_READY' },
      });
      const rows = await asTables<OrdersDatabase>(h.handle.database.db)
        .selectFrom('order_shipment')
        .select(['quantity'])
        .where('request_code', '=', String(rc))
        .execute();
      expect(rows.reduce((sum, row) => sum + BigInt(row.quantity), 0n)).toBe(100_000n);
    });

    it('changes nothing when the quantity is unchanged', async () => {
      const rc = await planAndRequest(h, { requestKg: '10' });
      const before = await h.counts();
      const response = await change([{ request_code: rc, shipment_code: 1, quantity: '10.000' }]);
      expect(response.statusCode).toBe(200);
      expect(response.json()[0].shipments).toHaveLength(1);
      expect(await h.counts()).toEqual(before);
    });

    it('refuses growth, changes after dispatch, quantities under the allocation and bad input, writing nothing', async () => {
      const rc = await planAndRequest(h, { requestKg: '10' });
      const gone = await planAndRequest(h, { requestKg: '10' });
      await h.as('SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [{ request_code: gone, shipment_code: 1, status: 'ORDER_READY' }]);
      await h.asService('processing', 'POST', '/order/shipment/event', [
        { request_code: gone, shipment_code: 1, status: 'SHIPMENT_DISPATCHED', shipment_vehicle: 'V' },
      ]);
      const allocated = await h.asService('sync', 'POST', '/internal/events', {
        id: `alloc-${rc}`,
        source: 'processing',
        aggregateType: 'shipment',
        aggregateId: `${rc}/1`,
        type: 'allocation.changed',
        payload: { requestCode: String(rc), shipmentCode: 1, barcode: 'b-1', table: 'blendsheet', allocatedKgDelta: '7.5' },
        createdAt: h.clock.now(),
      });
      expect(allocated.json()).toEqual({ status: 'applied' });
      const before = await h.counts();
      const cases: [unknown, number, string][] = [
        [[{ request_code: rc, shipment_code: 1, quantity: '10.001' }], 409, 'SHIPMENT_QUANTITY_INCREASE'],
        [[{ request_code: gone, shipment_code: 1, quantity: '5' }], 409, 'SHIPMENT_NOT_SPLITTABLE'],
        [[{ request_code: rc, shipment_code: 1, quantity: '7.499' }], 409, 'SHIPMENT_QUANTITY_BELOW_ALLOCATED'],
        [[{ request_code: rc, shipment_code: 5, quantity: '1' }], 404, 'SHIPMENT_NOT_FOUND'],
        [[{ request_code: rc, shipment_code: 1, quantity: '0' }], 400, 'ORDER_QUANTITY_INVALID'],
        [[{ request_code: rc, shipment_code: 1, quantity: '0.0001' }], 400, 'ORDER_QUANTITY_INVALID'],
        [[{ request_code: rc, shipment_code: 1 }], 400, 'REQUEST_VALIDATION_FAILED'],
        [[{ request_code: 'abc', shipment_code: 1, quantity: '1' }], 400, 'REQUEST_VALIDATION_FAILED'],
        [
          [
            { request_code: rc, shipment_code: 1, quantity: '8' },
            { request_code: rc, shipment_code: 1, quantity: '9' },
          ],
          409,
          'SHIPMENT_QUANTITY_INCREASE',
        ],
      ];
      for (const [body, status, code] of cases) {
        const response = await change(body);
        expect([JSON.stringify(body), response.statusCode, response.json().code]).toEqual([JSON.stringify(body), status, code]);
      }
      expect(await h.counts()).toEqual(before);
      expect((await change([{ request_code: rc, shipment_code: 1, quantity: '7.5' }])).statusCode).toBe(200);
    });

    it('lets only SEEDUWA-OFFICER and the processing service change quantities (403)', async () => {
      const rc = await planAndRequest(h, { requestKg: '10' });
      const before = await h.counts();
      for (const group of [
        'GRANDPASS-OFFICER',
        'GRANDPASS-SUPERVISOR',
        'GRANDPASS-GATEPASS',
        'GRANDPASS-ADMIN',
        'MASTER-ADMIN',
        'TRADER-OFFICER',
        'GRANDPASS-DEV-MACHINE',
        'SEEDUWA-ADMIN',
      ]) {
        const response = await h.as(group, 'PUT', '/order/shipment', [{ request_code: rc, shipment_code: 1, quantity: '5' }]);
        expect([group, response.statusCode, response.json().code]).toEqual([group, 403, 'ROLE_FORBIDDEN']);
      }
      expect(
        (await h.asService('sync', 'PUT', '/order/shipment', [{ request_code: rc, shipment_code: 1, quantity: '5' }])).statusCode,
      ).toBe(403);
      expect(await h.counts()).toEqual(before);
    });

    it('replays a split retried with the same Idempotency-Key instead of splitting twice', async () => {
      const rc = await planAndRequest(h, { requestKg: '10' });
      const body = [{ request_code: rc, shipment_code: 1, quantity: '4' }];
      const first = await change(body, { 'idempotency-key': `split-${rc}` });
      const counts = await h.counts();
      const retry = await change(body, { 'idempotency-key': `split-${rc}` });
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
      expect(await h.counts()).toEqual(counts);
    });
  });
}
