import { TRACE_LOOKUP_PATH } from '@tributary/contracts';
import { testDatabases } from '@tributary/platform/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { planAndRequest, receivedRequest, useOrders } from './support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: traceability lookup`, () => {
    const h = useOrders(target);
    let received: number;
    let waiting: number;
    let schedule: number;
    beforeAll(async () => {
      received = await receivedRequest(h, { orderCode: 'TR-PLAN', requestKg: '60.5', vehicle: 'WP-77', remarks: 'seal intact' });
      waiting = await planAndRequest(h, { orderCode: 'TR-PLAN', requestKg: '5' });
      const created = await h.as('GRANDPASS-OFFICER', 'POST', '/order/schedule', [
        { schedule_date: '2026-03-02', order_code: 'TR-PLAN', shift: 'DAY', section: 'Line 2', quantity: '12.25' },
      ]);
      schedule = created.json()[0].schedule_code;
    });

    it('answers shipments with dispatch vehicle and gatepass acceptance, and schedules, leaving unknown codes out', async () => {
      const answer = await h.asService('processing', 'POST', TRACE_LOOKUP_PATH, {
        shipments: [
          { request_code: String(received), shipment_code: 1 },
          { request_code: String(waiting), shipment_code: 1 },
          { request_code: '999999', shipment_code: 1 },
        ],
        schedules: [String(schedule), '999999'],
      });
      expect(answer.statusCode).toBe(200);
      const body = answer.json();
      expect(body.shipments).toEqual([
        {
          request_code: String(received),
          shipment_code: 1,
          order_code: 'TR-PLAN',
          product_name: expect.any(String),
          quantity_kg: '60.5',
          status: 'SHIPMENT_ACCEPTED',
          dispatched_at: expect.stringMatching(/Z$/),
          shipment_vehicle: 'WP-77',
          accepted_at: expect.stringMatching(/Z$/),
          shipment_remarks: 'seal intact',
        },
        expect.objectContaining({
          request_code: String(waiting),
          quantity_kg: '5',
          dispatched_at: null,
          shipment_vehicle: null,
          accepted_at: null,
        }),
      ]);
      expect(body.schedules).toEqual([
        {
          schedule_code: String(schedule),
          schedule_date: '2026-03-02',
          order_code: 'TR-PLAN',
          shift: 'DAY',
          section: 'Line 2',
          quantity_kg: '12.25',
          completed: false,
        },
      ]);
    });

    it('is for services only, and refuses malformed lookups', async () => {
      const user = await h.as('GRANDPASS-OFFICER', 'POST', TRACE_LOOKUP_PATH, { shipments: [], schedules: [] });
      expect({ status: user.statusCode, code: user.json().code }).toEqual({ status: 403, code: 'ROLE_FORBIDDEN' });
      const bad = await h.asService('processing', 'POST', TRACE_LOOKUP_PATH, {
        shipments: [{ request_code: 'x', shipment_code: 1 }],
        schedules: [],
      });
      expect({ status: bad.statusCode, code: bad.json().code }).toEqual({ status: 400, code: 'REQUEST_VALIDATION_FAILED' });
    });
  });
}
