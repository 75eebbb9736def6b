import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '@tributary/platform/db';
import { testDatabases } from '@tributary/platform/testing';
import { expectRefused, MISSING_BARCODE, startHarness, uuidLike, type Harness } from './support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: locations, lots, bags, scan and labels`, () => {
    let h: Harness;
    let lot: { item_code: string; created_ts: number };
    beforeAll(async () => {
      h = await startHarness(target);
      for (const [location_name, herbline_section] of [
        ['STORE-A', false],
        ['STORE-B', false],
        ['HERB-1', true],
      ] as const) {
        expect((await h.call('POST', '/app/admin/location', { location_name, herbline_section })).status).toBe(200);
      }
      const created = await h.call('POST', '/app/admin/tealine', {
        item_code: 'T240225',
        no_of_bags: 2,
        weight_per_bag: 50,
        broker: 'Forbes',
        garden: 'Pedro',
        grade: 'BOPF',
      });
      expect(created.status).toBe(200);
      lot = created.body;
    });
    afterAll(() => h.close());

    it('creates and lists locations, filtered by section (the Device-Panel sends 0)', async () => {
      expect((await h.call('GET', '/app/location?herbline_section=0')).body.map((l: any) => l.store_location)).toEqual([
        'STORE-A',
        'STORE-B',
      ]);
      expect((await h.call('GET', '/app/location?herbline_section=true')).body).toEqual([
        { store_location: 'HERB-1', herbline_section: true },
      ]);
      expect((await h.call('GET', '/app/location')).body).toHaveLength(3);
      await expectRefused(h, 409, 'LOCATION_EXISTS', () =>
        h.call('POST', '/app/admin/location', { location_name: 'STORE-A', herbline_section: true }),
      );
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () =>
        h.call('POST', '/app/admin/location', { location_name: '', herbline_section: false }),
      );
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('POST', '/app/admin/location', { location_name: 'X' }));
    });

    it('weighs bags into a tealine lot: ACCEPTED, remaining = net, bag numbers 1, 2, then the bag limit', async () => {
      const first = await h.call('POST', '/app/tealine/record', {
        item_code: lot.item_code,
        created_ts: String(lot.created_ts),
        store_location: 'STORE-A',
        gross_weight: '51.20',
        bag_weight: 1.2,
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ item_code: 'T240225', created_ts: lot.created_ts, id: 1 });
      expect(first.body.barcode).toMatch(uuidLike);
      expect(typeof first.body.received_ts).toBe('number');
      const scanned = await h.call('GET', `/app/scan?table_name=tealine&barcode=${first.body.barcode}`);
      expect(scanned.body).toMatchObject({
        status: 'ACCEPTED',
        remaining: '50.00',
        net_weight: '50.00',
        allocated: '0.00',
        garden: 'Pedro',
        broker: 'Forbes',
        no_of_bags: 2,
        id: 1,
      });
      const second = await h.call('POST', '/app/tealine/record', {
        item_code: lot.item_code,
        created_ts: lot.created_ts,
        store_location: 'STORE-B',
        gross_weight: 40,
        bag_weight: 0,
      });
      expect(second.body.id).toBe(2);
      await expectRefused(h, 409, 'TEALINE_BAG_LIMIT_REACHED', () =>
        h.call('POST', '/app/tealine/record', {
          item_code: lot.item_code,
          created_ts: lot.created_ts,
          store_location: 'STORE-A',
          gross_weight: 40,
          bag_weight: 1,
        }),
      );
      // A complete lot leaves the device list but stays in the admin list, with its bags in the detail.
      expect((await h.call('GET', '/app/tealine')).body).toEqual([]);
      const admin = await h.call('GET', '/app/admin/tealine');
      expect(admin.body).toEqual([
        expect.objectContaining({ item_code: 'T240225', created_ts: lot.created_ts, broker: 'Forbes', garden: 'Pedro', received_bags: 2 }),
      ]);
      const detail = await h.call('GET', `/app/admin/tealine?item_code=T240225&created_ts=${lot.created_ts}`);
      expect(detail.body).toMatchObject({ item_code: 'T240225', no_of_bags: 2, weight_per_bag: '50.00' });
      expect(detail.body.record_list.map((r: any) => [r.id, r.store_location, r.gross_weight, r.bag_weight])).toEqual([
        [1, 'STORE-A', '51.20', '1.20'],
        [2, 'STORE-B', '40.00', '0.00'],
      ]);
    });

    it('refuses bad bags with 400/404/409 and writes nothing', async () => {
      const fresh = (await h.call('POST', '/app/admin/tealine', { item_code: 'T-BAD', no_of_bags: 5, weight_per_bag: '10.5' })).body;
      const bag = (extra: object) => ({
        item_code: fresh.item_code,
        created_ts: fresh.created_ts,
        store_location: 'STORE-A',
        gross_weight: 20,
        bag_weight: 1,
        ...extra,
      });
      await expectRefused(h, 400, 'WEIGHT_INVALID', () => h.call('POST', '/app/tealine/record', bag({ gross_weight: 12.345 })));
      await expectRefused(h, 400, 'WEIGHT_INVALID', () => h.call('POST', '/app/tealine/record', bag({ gross_weight: 1000 })));
      await expectRefused(h, 400, 'WEIGHT_INVALID', () => h.call('POST', '/app/tealine/record', bag({ gross_weight: 1, bag_weight: 1 })));
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('POST', '/app/tealine/record', bag({ gross_weight: 'lots' })));
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () =>
        h.call('POST', '/app/tealine/record', bag({ created_ts: 'yesterday' })),
      );
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('POST', '/app/tealine/record', { item_code: 'x' }));
      await expectRefused(h, 404, 'LOT_NOT_FOUND', () => h.call('POST', '/app/tealine/record', bag({ created_ts: 1 })));
      await expectRefused(h, 404, 'LOCATION_NOT_FOUND', () => h.call('POST', '/app/tealine/record', bag({ store_location: 'NOWHERE' })));
      await expectRefused(h, 409, 'LOCATION_HERBLINE_ONLY', () => h.call('POST', '/app/tealine/record', bag({ store_location: 'HERB-1' })));
      await expectRefused(h, 400, 'WEIGHT_INVALID', () =>
        h.call('POST', '/app/admin/tealine', { item_code: 'T-X', no_of_bags: 1, weight_per_bag: 0 }),
      );
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () =>
        h.call('POST', '/app/admin/tealine', { item_code: 'T-X', no_of_bags: 0, weight_per_bag: 1 }),
      );
      await expectRefused(h, 404, 'LOT_NOT_FOUND', () => h.call('GET', '/app/admin/tealine?item_code=T-BAD&created_ts=1'));
    });

    it('keeps herbline bags in herbline sections, with a reference, dispatch-only', async () => {
      const herb = (
        await h.call('POST', '/app/admin/herbline', {
          item_code: 'H-MINT',
          item_name: 'Peppermint',
          purchase_order: 'PO-1',
          weight: '120.5',
        })
      ).body;
      const bag = { item_code: herb.item_code, created_ts: herb.created_ts, gross_weight: 10, bag_weight: 0.5, reference: 'REF-9' };
      await expectRefused(h, 409, 'LOCATION_NOT_HERBLINE_SECTION', () =>
        h.call('POST', '/app/herbline/record', { ...bag, store_location: 'STORE-A' }),
      );
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () =>
        h.call('POST', '/app/herbline/record', { ...bag, reference: undefined, store_location: 'HERB-1' }),
      );
      const created = await h.call('POST', '/app/herbline/record', { ...bag, store_location: 'HERB-1' });
      expect(created.status).toBe(200);
      const detail = await h.call('GET', `/app/herbline?item_code=H-MINT&created_ts=${herb.created_ts}`);
      expect(detail.body.record_list).toEqual([
        expect.objectContaining({ reference: 'REF-9', remaining: '9.50', store_location: 'HERB-1', barcode: created.body.barcode }),
      ]);
      expect((await h.call('GET', '/app/admin/herbline')).body).toEqual([
        expect.objectContaining({ item_code: 'H-MINT', item_name: 'Peppermint', weight: '120.50' }),
      ]);
      await expectRefused(h, 400, 'REDUCE_NOT_SUPPORTED', () =>
        h.call('PUT', '/app/herbline/record', { barcode: created.body.barcode, reduced_by: 1 }),
      );
      expect((await h.call('PUT', '/app/herbline/record', { barcode: created.body.barcode })).body).toEqual({
        barcode: created.body.barcode,
        status: 'DISPATCHED',
      });
    });

    it('enforces the blendbalance weight and lists only lots still below it on the device', async () => {
      const bb = (
        await h.call('POST', '/app/admin/blendbalance', { item_code: 'BB-1', blend_code: 'BLT00001', transfer_id: 'TR-1', weight: 30 })
      ).body;
      const bag = (gross: number) => ({
        item_code: bb.item_code,
        created_ts: String(bb.created_ts),
        store_location: 'STORE-A',
        gross_weight: gross,
        bag_weight: 1,
      });
      expect((await h.call('POST', '/app/blendbalance/record', bag(21))).status).toBe(200);
      expect((await h.call('GET', '/app/blendbalance')).body).toEqual([
        expect.objectContaining({ item_code: 'BB-1', weight: '30.00', transfer_id: 'TR-1', received_weight: '20.00' }),
      ]);
      await expectRefused(h, 409, 'BLENDBALANCE_WEIGHT_EXCEEDED', () => h.call('POST', '/app/blendbalance/record', bag(11.01)));
      expect((await h.call('POST', '/app/blendbalance/record', bag(11))).status).toBe(200);
      expect((await h.call('GET', '/app/blendbalance')).body).toEqual([]);
      const detail = await h.call('GET', `/app/admin/blendbalance?item_code=BB-1&created_ts=${bb.created_ts}`);
      expect(detail.body.record_list.map((r: any) => r.id)).toEqual([1, 2]);
    });

    it('reduces and dispatches bags forward only', async () => {
      const t = (await h.call('POST', '/app/admin/tealine', { item_code: 'T-PUT', no_of_bags: 3, weight_per_bag: 20 })).body;
      const { barcode } = (
        await h.call('POST', '/app/tealine/record', { ...t, store_location: 'STORE-A', gross_weight: 21, bag_weight: 1 })
      ).body;
      await expectRefused(h, 409, 'RECORD_REDUCE_EXCEEDS_REMAINING', () =>
        h.call('PUT', '/app/tealine/record', { barcode, reduced_by: 20.01 }),
      );
      await expectRefused(h, 400, 'WEIGHT_INVALID', () => h.call('PUT', '/app/tealine/record', { barcode, reduced_by: 0 }));
      await expectRefused(h, 404, 'RECORD_NOT_FOUND', () =>
        h.call('PUT', '/app/tealine/record', { barcode: MISSING_BARCODE, reduced_by: 1 }),
      );
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('PUT', '/app/tealine/record', { barcode: 'not-a-uuid' }));
      expect((await h.call('PUT', '/app/tealine/record', { barcode, reduced_by: 5 })).body).toEqual({ barcode, status: 'IN_PROCESS' });
      expect((await h.call('GET', `/app/scan?table_name=tealine&barcode=${barcode}`)).body).toMatchObject({
        status: 'IN_PROCESS',
        stored_remaining: '15.00',
        remaining: '20.00',
      });
      expect((await h.call('PUT', '/app/tealine/record', { barcode, reduced_by: '15' })).body).toEqual({ barcode, status: 'PROCESSED' });
      expect((await h.call('PUT', '/app/tealine/record', { barcode })).body).toEqual({ barcode, status: 'DISPATCHED' });
      expect((await h.call('PUT', '/app/tealine/record', { barcode })).body).toEqual({ barcode, status: 'DISPATCHED' });
      await expectRefused(h, 409, 'RECORD_DISPATCHED', () => h.call('PUT', '/app/tealine/record', { barcode, reduced_by: 1 }));
      const scanned = await h.call('GET', `/app/scan?table_name=tealine&barcode=${barcode}`);
      expect(scanned.body.status).toBe('DISPATCHED');
      expect(typeof scanned.body.dispatched_ts).toBe('number');
      const { rows } = await sql<{ type: string; aggregate_type: string; aggregate_id: string; payload: string }>`
        select type, aggregate_type, aggregate_id, payload from outbox where aggregate_id = ${`tealine:${barcode}`} order by position`.execute(
        h.handle.database.db,
      );
      expect(rows.map((r) => [r.type, r.aggregate_type, JSON.parse(r.payload).to ?? null])).toEqual([
        ['processing.record.accepted', 'bag', null],
        ['processing.record.status_changed', 'bag', 'IN_PROCESS'],
        ['processing.record.status_changed', 'bag', 'PROCESSED'],
        ['processing.record.status_changed', 'bag', 'DISPATCHED'],
      ]);
      expect(JSON.parse(rows[0]!.payload)).toMatchObject({
        table: 'tealine',
        barcode,
        item_code: 'T-PUT',
        id: 1,
        net_weight: '20.00',
        gross_weight: '21.00',
        bag_weight: '1.00',
      });
    });

    it('moves bags between locations under the segregation rule', async () => {
      const t = (await h.call('POST', '/app/admin/tealine', { item_code: 'T-MOVE', no_of_bags: 2, weight_per_bag: 20 })).body;
      const { barcode } = (
        await h.call('POST', '/app/tealine/record', { ...t, store_location: 'STORE-A', gross_weight: 21, bag_weight: 1 })
      ).body;
      const moved = await h.call('PUT', '/app/tealine/record/location', { barcode, new_store_location: 'STORE-B' });
      expect(moved.body).toMatchObject({ barcode, store_location: 'STORE-B' });
      await expectRefused(h, 409, 'LOCATION_HERBLINE_ONLY', () =>
        h.call('PUT', '/app/tealine/record/location', { barcode, new_store_location: 'HERB-1' }),
      );
      await expectRefused(h, 404, 'LOCATION_NOT_FOUND', () =>
        h.call('PUT', '/app/tealine/record/location', { barcode, new_store_location: 'NOWHERE' }),
      );
      await expectRefused(h, 404, 'RECORD_NOT_FOUND', () =>
        h.call('PUT', '/app/blendsheet/record/location', { barcode, new_store_location: 'STORE-A' }),
      );
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('PUT', '/app/tealine/record/location', { barcode }));
      const herb = (await h.call('GET', '/app/admin/herbline')).body[0];
      const herbBag = (await h.call('GET', `/app/admin/herbline?item_code=${herb.item_code}&created_ts=${herb.created_ts}`)).body
        .record_list[0].barcode;
      await expectRefused(h, 409, 'RECORD_DISPATCHED', () =>
        h.call('PUT', '/app/herbline/record/location', { barcode: herbBag, new_store_location: 'HERB-1' }),
      );
      const { rows } = await sql<{ payload: string }>`select payload from outbox where type = 'processing.record.moved'`.execute(
        h.handle.database.db,
      );
      expect(rows.map((r) => JSON.parse(r.payload))).toEqual([{ table: 'tealine', barcode, from: 'STORE-A', to: 'STORE-B' }]);
    });

    it('scan refuses unknown tables and barcodes', async () => {
      expect((await h.call('GET', `/app/scan?table_name=teabag&barcode=${MISSING_BARCODE}`)).body.code).toBe('REQUEST_VALIDATION_FAILED');
      expect((await h.call('GET', '/app/scan?table_name=tealine&barcode=123')).status).toBe(400);
      const missing = await h.call('GET', `/app/scan?table_name=blendsheet&barcode=${MISSING_BARCODE}`);
      expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 404, code: 'RECORD_NOT_FOUND' });
    });

    it('prints the documented label: ZPL with the QR "<table>:<uuid>" and an SVG/PNG preview', async () => {
      const bb = (await h.call('GET', '/app/admin/tealine')).body.find((l: any) => l.item_code === 'T240225');
      const detail = (await h.call('GET', `/app/admin/tealine?item_code=T240225&created_ts=${bb.created_ts}`)).body;
      const barcode = detail.record_list[0].barcode;
      const label = await h.call('GET', `/app/label?table_name=tealine&barcode=${barcode}`);
      expect(label.status).toBe(200);
      expect(label.body.qr).toBe(`tealine:${barcode}`);
      expect(label.body.fields.map((f: any) => f.key)).toEqual([
        'Item Code',
        'Garden',
        'Broker',
        'Received At',
        'Location',
        'Gross Weight',
        'Bag Weight',
        'Net Weight',
        'Bag No',
      ]);
      expect(label.body.fields.find((f: any) => f.key === 'Net Weight').value).toBe('50.00');
      expect(label.body.fields.find((f: any) => f.key === 'Received At').value).toMatch(/^\d\d:\d\d:\d\d (AM|PM), \d\d\/\d\d\/\d{4}$/);
      expect(label.body.zpl).toMatch(/^\^XA/);
      expect(label.body.zpl).toContain(`^BQN,2,5^FDQA,tealine:${barcode}^FS`);
      expect(label.body.zpl).toContain('Item Code: T240225\\&Garden: Pedro\\&Broker: Forbes');
      expect(label.body.svg).toMatch(/^<svg[^>]*>.*Net Weight: 50.00.*<\/svg>$/);
      const zpl = await h.call('GET', `/app/label?table_name=tealine&barcode=${barcode}&format=zpl`);
      expect(zpl.headers['content-type']).toContain('application/zpl');
      expect(zpl.text).toBe(label.body.zpl);
      const png = await h.app.inject({ method: 'GET', url: `/app/label?table_name=tealine&barcode=${barcode}&format=png` });
      expect(png.statusCode).toBe(401); // unsigned requests never get through
      const signedPng = await h.call('GET', `/app/label?table_name=tealine&barcode=${barcode}&format=png`);
      expect(signedPng.headers['content-type']).toBe('image/png');
      expect(signedPng.text.slice(1, 4)).toBe('PNG');
      expect((await h.call('GET', `/app/label?table_name=tealine&barcode=${MISSING_BARCODE}`)).status).toBe(404);
    });

    it("prints label times in the plant's zone: 20:00 UTC is the next day in Colombo", async () => {
      const bb = (await h.call('GET', '/app/admin/tealine')).body.find((l: any) => l.item_code === 'T240225');
      const barcode = (await h.call('GET', `/app/admin/tealine?item_code=T240225&created_ts=${bb.created_ts}`)).body.record_list[0].barcode;
      await sql`update tealine_record set received_ts = ${Date.parse('2024-02-25T20:00:00Z')} where barcode = ${barcode}`.execute(
        h.handle.database.db,
      );
      const label = await h.call('GET', `/app/label?table_name=tealine&barcode=${barcode}`);
      expect(label.body.fields.find((f: any) => f.key === 'Received At').value).toBe('01:30:00 AM, 26/02/2024');
      expect(label.body.zpl).toContain('Received At: 01:30:00 AM, 26/02/2024');
      expect(label.body.svg).toContain('Received At: 01:30:00 AM, 26/02/2024');
    });

    it('escapes ZPL control characters in label text', async () => {
      const t = (await h.call('POST', '/app/admin/tealine', { item_code: 'T^XZ~', no_of_bags: 1, weight_per_bag: 20, garden: 'a\\&b_c' }))
        .body;
      const { barcode } = (
        await h.call('POST', '/app/tealine/record', { ...t, store_location: 'STORE-A', gross_weight: 21, bag_weight: 1 })
      ).body;
      const zpl = (await h.call('GET', `/app/label?table_name=tealine&barcode=${barcode}&format=zpl`)).text;
      expect(zpl).toContain('Item Code: T_5EXZ_7E');
      expect(zpl).toContain('Garden: a_5C&b_5Fc');
      expect(zpl.match(/\^XZ/g)).toHaveLength(1);
    });
  });
}
