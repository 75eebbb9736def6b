import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, testDatabases } from '@tributary/platform/testing';
import { expectRefused, MISSING_BARCODE, startHarness, tableCounts, type Harness } from './support.js';

type Case = [method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body: unknown, status: number, code: string];

const B = MISSING_BARCODE;

/**
 * One malformed request per route (wrong types, missing keys, out-of-range values): each gets a
 * 4xx with a stable code and leaves every table, the outbox included, as it was.
 */
const CASES: Case[] = [
  ['POST', '/app/admin/location', { location_name: 'L', herbline_section: 'maybe' }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', '/app/location?herbline_section=perhaps', undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['POST', '/app/admin/tealine', { item_code: 'T', no_of_bags: 'many', weight_per_bag: 1 }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['POST', '/app/admin/tealine', { item_code: 'T', no_of_bags: 1, weight_per_bag: '1.5.5' }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['POST', '/app/admin/herbline', { item_code: 'H' }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['POST', '/app/admin/herbline', { item_code: 'H', item_name: 'Mint', weight: 0 }, 400, 'WEIGHT_INVALID'],
  ['POST', '/app/admin/blendbalance', { item_code: 'B', blend_code: 'X', transfer_id: 'T' }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['POST', '/app/admin/blendbalance', { item_code: 'B', blend_code: 'X', transfer_id: 'T', weight: '0.001' }, 400, 'WEIGHT_INVALID'],
  ['GET', '/app/admin/tealine?created_ts=yesterday', undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', '/app/admin/herbline?item_code=H&created_ts=1', undefined, 404, 'LOT_NOT_FOUND'],
  ['GET', '/app/admin/blendbalance?item_code=B&created_ts=1', undefined, 404, 'LOT_NOT_FOUND'],
  ['GET', '/app/tealine?item_code=T&created_ts=1', undefined, 404, 'LOT_NOT_FOUND'],
  ['GET', '/app/herbline?created_ts=-1', undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', '/app/blendbalance?item_code=B&created_ts=1', undefined, 404, 'LOT_NOT_FOUND'],
  [
    'POST',
    '/app/admin/blendsheet',
    { blendsheet_no: 'BS', standard: 'S', remarks: 'r', total: 1, mixtures: { tealine: [{ mixture_code: 'A', no_of_bags: 0 }] } },
    400,
    'REQUEST_VALIDATION_FAILED',
  ],
  ['GET', '/app/blendsheet?blendsheet_no=nope', undefined, 404, 'BLENDSHEET_NOT_FOUND'],
  ['PUT', '/app/blendsheet', { blendsheet_no: 'BS', no_of_batches: 1.5 }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['POST', '/app/blendsheet/batch', {}, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', '/app/blendsheet/batch?item_code=X&created_ts=1', undefined, 404, 'BATCH_NOT_FOUND'],
  ['PUT', '/app/blendsheet/batch', { item_code: 'X', created_ts: 1, completed: 'yes' }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', '/app/trader/blendsheet/batch?trader_status=TRADER_HAPPY', undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['PUT', '/app/trader/blendsheet/batch', { item_code: 'X', created_ts: 1 }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['PUT', '/app/trader/blendsheet/batch', { item_code: 'X', created_ts: 1, trader_status: 'TRADER_ALLOWED' }, 404, 'BATCH_NOT_FOUND'],
  ['POST', '/app/admin/flavorsheet', { flavorsheet_no: 'F', flavor_code: 'C', remarks: 'r' }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', '/app/admin/flavorsheet?flavorsheet_no=nope', undefined, 404, 'FLAVORSHEET_NOT_FOUND'],
  ['GET', '/app/flavorsheet?flavorsheet_no=nope', undefined, 404, 'FLAVORSHEET_NOT_FOUND'],
  ['POST', '/app/flavorsheet/batch', { flavorsheet_no: '' }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', '/app/flavorsheet/batch?item_code=X&created_ts=1', undefined, 404, 'BATCH_NOT_FOUND'],
  ['PUT', '/app/flavorsheet/batch', { item_code: 'X', created_ts: 1, completed: true }, 404, 'BATCH_NOT_FOUND'],
  [
    'POST',
    '/app/blendsheet/record',
    { item_code: 'X', created_ts: 1, store_location: 'STORE-A', gross_weight: 2, bag_weight: 1 },
    404,
    'BATCH_NOT_FOUND',
  ],
  [
    'POST',
    '/app/flavorsheet/record',
    { item_code: 'X', created_ts: 1, store_location: 'STORE-A', gross_weight: 2, bag_weight: 3 },
    400,
    'WEIGHT_INVALID',
  ],
  [
    'POST',
    '/app/herbline/record',
    { item_code: 'X', created_ts: 1, store_location: 'HERB-1', gross_weight: 2, bag_weight: 1, reference: '' },
    400,
    'REQUEST_VALIDATION_FAILED',
  ],
  [
    'POST',
    '/app/blendbalance/record',
    { item_code: 'X', created_ts: 1, store_location: 'STORE-A', gross_weight: 2, bag_weight: 1 },
    404,
    'LOT_NOT_FOUND',
  ],
  ['PUT', '/app/blendsheet/record', { barcode: B, reduced_by: 1 }, 404, 'RECORD_NOT_FOUND'],
  ['PUT', '/app/flavorsheet/record', { barcode: B }, 404, 'RECORD_NOT_FOUND'],
  ['PUT', '/app/blendbalance/record', { reduced_by: 1 }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['PUT', '/app/flavorsheet/record/location', { barcode: B, new_store_location: 'STORE-A' }, 404, 'RECORD_NOT_FOUND'],
  ['PUT', '/app/blendbalance/record/location', { barcode: B, new_store_location: '' }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', `/app/scan?barcode=${B}`, undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', `/app/label?table_name=tealine&barcode=${B}&format=pdf`, undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['POST', '/app/blendsheet/record/shipment', { barcode: B, request_code: 1, shipment_code: 1, amount: 1 }, 404, 'RECORD_NOT_FOUND'],
  [
    'POST',
    '/app/flavorsheet/record/shipment',
    { barcode: B, request_code: '1x', shipment_code: 1, amount: 1 },
    400,
    'REQUEST_VALIDATION_FAILED',
  ],
  [
    'POST',
    '/app/flavorsheet/record/parcel',
    { barcode: B, request_code: 1, shipment_code: 1, schedule_code: 1, reduced_by: 1 },
    404,
    'RECORD_NOT_FOUND',
  ],
  [
    'POST',
    '/app/blendsheet/record/parcel',
    { barcode: B, request_code: 1, shipment_code: 1, schedule_code: 0, reduced_by: 1 },
    400,
    'REQUEST_VALIDATION_FAILED',
  ],
  ['POST', '/app/tealine/record/blendsheet', { barcode: B, item_code: 'X', created_ts: 1 }, 400, 'REQUEST_VALIDATION_FAILED'],
  ['POST', '/app/blendbalance/record/blendsheet', { barcode: B, item_code: 'X', created_ts: 1, amount: 1 }, 404, 'RECORD_NOT_FOUND'],
  ['POST', '/app/blendsheet/record/flavorsheet', { barcode: B, item_code: 'X', created_ts: 1, amount: 1 }, 404, 'RECORD_NOT_FOUND'],
  ['POST', '/app/herbline/record/flavorsheet', { barcode: B, item_code: 'X', created_ts: 1, amount: -2 }, 400, 'WEIGHT_INVALID'],
  ['DELETE', `/app/tealine/record/shipment?barcode=${B}&request_code=1`, undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['DELETE', `/app/blendsheet/record/shipment?barcode=${B}&request_code=1&shipment_code=1`, undefined, 404, 'RECORD_NOT_FOUND'],
  ['DELETE', `/app/tealine/record/blendsheet?barcode=${B}&item_code=X&created_ts=abc`, undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['DELETE', `/app/herbline/record/flavorsheet?barcode=${B}&item_code=X&created_ts=1`, undefined, 404, 'RECORD_NOT_FOUND'],
  ['GET', '/app/shipment/record?request_code=x&shipment_code=1', undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['GET', '/app/parcel/record', undefined, 400, 'REQUEST_VALIDATION_FAILED'],
  ['PUT', '/app/shipment', { request_code: 1, shipment_code: 1 }, 400, 'REQUEST_VALIDATION_FAILED'],
];

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: bad input on every route`, () => {
    let h: Harness;
    beforeAll(async () => {
      // A stopped clock: two lots with one item code get the same created_ts, i.e. the same item key.
      h = await startHarness(target, { clock: new ManualClock() });
      await h.call('POST', '/app/admin/location', { location_name: 'STORE-A', herbline_section: false });
      await h.call('POST', '/app/admin/location', { location_name: 'HERB-1', herbline_section: true });
    });
    afterAll(() => h.close());

    it.each(CASES)('%s %s → %#', async (method, url, body, status, code) => {
      await expectRefused(h, status, code, () => h.call(method, url, body));
    });

    it('refuses malformed JSON, a huge body and a wrong content type without writing', async () => {
      const before = await tableCounts(h);
      const broken = await h.call('POST', '/app/admin/location', '{"location_name": "L", herbline_section', undefined, {
        'content-type': 'application/json',
      });
      expect({ status: broken.status, code: broken.body.code }).toEqual({ status: 400, code: 'REQUEST_BODY_INVALID_JSON' });
      const huge = await h.call('POST', '/app/admin/flavorsheet', {
        flavorsheet_no: 'F',
        flavor_code: 'C',
        remarks: 'x'.repeat(2_000_000),
        mixtures: [],
      });
      expect(huge.status).toBe(413);
      const text = await h.call('POST', '/app/admin/location', 'location_name=L', undefined, {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(text.status).toBeGreaterThanOrEqual(400);
      expect(text.status).toBeLessThan(500);
      expect(text.body.code).toMatch(/^[A-Z_]+$/);
      expect(await tableCounts(h)).toEqual(before);
    });

    it('refuses a second item with the same code and timestamp', async () => {
      expect((await h.call('POST', '/app/admin/tealine', { item_code: 'T-TWICE', no_of_bags: 1, weight_per_bag: 1 })).status).toBe(200);
      await expectRefused(h, 409, 'ITEM_EXISTS', () => h.call('POST', '/app/admin/herbline', { item_code: 'T-TWICE', item_name: 'x' }));
    });

    it('stores injection strings as plain data', async () => {
      const evil = "T'); drop table item; --";
      const created = await h.call('POST', '/app/admin/tealine', {
        item_code: evil,
        no_of_bags: 1,
        weight_per_bag: 1,
        garden: '<script>alert(1)</script>',
      });
      expect(created.status).toBe(200);
      const detail = await h.call('GET', `/app/admin/tealine?item_code=${encodeURIComponent(evil)}&created_ts=${created.body.created_ts}`);
      expect(detail.body).toMatchObject({ item_code: evil, garden: '<script>alert(1)</script>' });
    });
  });
}
