import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { expectRefused, startHarness, type Harness } from './support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: dashboard endpoints`, () => {
    let h: Harness;
    let bags: string[] = [];
    beforeAll(async () => {
      h = await startHarness(target);
      await h.call('POST', '/app/admin/location', { location_name: 'STORE-A', herbline_section: false });
      await h.call('POST', '/app/admin/location', { location_name: 'STORE-B', herbline_section: false });
      await h.call('POST', '/app/admin/location', { location_name: 'HERB-1', herbline_section: true });
      const lot = (
        await h.call('POST', '/app/admin/tealine', {
          item_code: 'T-DASH',
          no_of_bags: 4,
          weight_per_bag: 10,
          broker: 'Forbes',
          garden: 'Pedro',
        })
      ).body;
      await h.call('POST', '/app/admin/tealine', {
        item_code: 'T-EMPTY',
        no_of_bags: 2,
        weight_per_bag: 10,
        broker: 'Bartleet',
        garden: 'Uva',
      });
      bags = [];
      for (const location of ['STORE-A', 'STORE-A', 'STORE-B']) {
        bags.push(
          (await h.call('POST', '/app/tealine/record', { ...lot, store_location: location, gross_weight: 11, bag_weight: 1 })).body.barcode,
        );
      }
      await h.call('POST', '/app/tealine/record/shipment', { barcode: bags[0], request_code: 1, shipment_code: 1, amount: 4 });
      await h.call('POST', '/app/tealine/record/shipment', { barcode: bags[1], request_code: 1, shipment_code: 1, amount: 10 });
      await h.call('POST', '/app/admin/blendsheet', {
        blendsheet_no: 'BS-D',
        standard: 'S',
        remarks: 'r',
        total: '500',
        no_of_batches: 2,
        mixtures: {},
      });
      const batch = (await h.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'BS-D' })).body;
      await h.call('POST', '/app/tealine/record/blendsheet', {
        barcode: bags[2],
        item_code: batch.item_code,
        created_ts: batch.created_ts,
        amount: 6,
      });
      await h.call('POST', '/app/blendsheet/record', {
        item_code: batch.item_code,
        created_ts: batch.created_ts,
        store_location: 'STORE-A',
        gross_weight: 6.5,
        bag_weight: 0.5,
      });
      await h.call('POST', '/app/admin/flavorsheet', {
        flavorsheet_no: 'FS/1',
        flavor_code: 'EARL',
        remarks: 'bergamot 100%_',
        mixtures: [
          { mixture_code: 'A', weight: 3 },
          { mixture_code: 'B', weight: 1 },
        ],
      });
      await h.call('POST', '/app/admin/flavorsheet', { flavorsheet_no: 'FS/2', flavor_code: 'MINT', remarks: 'fresh', mixtures: [] });
      await h.call('POST', '/app/flavorsheet/batch', { flavorsheet_no: 'FS/2' });
      await h.call('POST', '/app/admin/herbline', { item_code: 'H-1', item_name: 'Mint', weight: 10 });
      const herb = (await h.call('POST', '/app/admin/herbline', { item_code: 'H-2', item_name: 'Mint', weight: 20 })).body;
      await h.call('POST', '/app/herbline/record', { ...herb, store_location: 'HERB-1', gross_weight: 5, bag_weight: 0, reference: 'R' });
    });
    afterAll(() => h.close());

    it('pending-with-calculations: progress per lot still receiving bags, filters', async () => {
      const pending = (await h.call('GET', '/app/tealine/pending-with-calculations')).body;
      expect(pending.success).toBe(true);
      expect(pending.data.map((l: any) => [l.item_code, l.status, l.received_bags, l.pending_bags, l.completion_percentage])).toEqual([
        ['T-DASH', 'PARTIAL', 3, 1, 75],
        ['T-EMPTY', 'PENDING', 0, 2, 0],
      ]);
      expect(pending.data[0]).toMatchObject({ primary_location: 'STORE-A', total_received_weight: '30.00', age_days: 0, broker: 'Forbes' });
      expect(pending.meta).toEqual({ total_items: 2, total_pending_bags: 3, average_age_days: 0 });
      expect((await h.call('GET', '/app/tealine/pending-with-calculations?broker=forbes')).body.data.map((l: any) => l.item_code)).toEqual([
        'T-DASH',
      ]);
      expect((await h.call('GET', '/app/tealine/pending-with-calculations?status=COMPLETE')).body.data).toEqual([]);
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('GET', '/app/tealine/pending-with-calculations?status=DONE'));
    });

    it('inventory-complete: bags by effective status, weights and locations', async () => {
      const inventory = (await h.call('GET', '/app/admin/tealine/inventory-complete')).body;
      const lot = inventory.data.find((l: any) => l.item_code === 'T-DASH');
      expect(lot).toMatchObject({
        expected_bags: 4,
        total_bags_received: 3,
        available_bags: 0,
        allocated_bags: 2,
        processed_bags: 1,
        dispatched_bags: 0,
        total_gross_weight: '33.00',
        total_bag_weight: '3.00',
        total_net_weight: '30.00',
        remaining_weight: '10.00',
        location_distribution: [
          { location: 'STORE-A', bags: 2, weight: '20.00' },
          { location: 'STORE-B', bags: 1, weight: '10.00' },
        ],
      });
      expect(lot.first_received_date).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(inventory.meta).toEqual({ total_items: 2, total_inventory_weight: '30.00', total_available_weight: '10.00' });
    });

    it('flavorsheet stats and composition', async () => {
      expect((await h.call('GET', '/app/flavorsheet/stats')).body.data).toEqual({
        total_flavorsheets: 2,
        by_status: { DRAFT: 1, IN_PROGRESS: 1, COMPLETED: 0, CANCELLED: 0 },
        active_batches: 1,
        pending_batches: 1,
        completion_rate: 0,
      });
      const composition = (await h.call('GET', '/app/flavorsheet/FS%2F1/composition')).body.data;
      expect(composition).toMatchObject({
        flavorsheet_no: 'FS/1',
        total_weight: '4.00',
        mixtures: [
          { mixture_code: 'A', weight: '3.00', percentage: 75 },
          { mixture_code: 'B', weight: '1.00', percentage: 25 },
        ],
      });
      await expectRefused(h, 404, 'FLAVORSHEET_NOT_FOUND', () => h.call('GET', '/app/flavorsheet/nope/composition'));
    });

    it('herbline analytics and blendsheet summary', async () => {
      expect((await h.call('GET', '/app/herbline/analytics')).body.data).toEqual({
        total_items: 2,
        total_weight: '30.00',
        unique_item_names: 1,
        items_with_records: 1,
        average_weight_per_item: '15.00',
        completion_rate: 50,
      });
      const summary = (await h.call('GET', '/app/blendsheet/summary')).body.data;
      expect(summary).toEqual([
        expect.objectContaining({
          blendsheet_no: 'BS-D',
          number_of_batches: 1,
          blendsheet_weight: '500.00',
          blend_in_weight: '6.00',
          blend_out_weight: '6.00',
        }),
      ]);
      expect(typeof summary[0].blend_in_timestamp).toBe('number');
      expect(typeof summary[0].blend_out_timestamp).toBe('number');
    });

    it('searches case-insensitively, with wildcards taken literally', async () => {
      expect((await h.call('GET', '/app/admin/flavorsheet/search?search=earl')).body.data.map((f: any) => f.flavorsheet_no)).toEqual([
        'FS/1',
      ]);
      expect((await h.call('GET', '/app/admin/flavorsheet/search?search=fs')).body.data).toHaveLength(2);
      expect((await h.call('GET', '/app/flavorsheet/search?search=fs')).body.data).toEqual([
        { flavorsheet_no: 'FS/1', flavor_code: 'EARL' },
      ]);
      expect((await h.call('GET', '/app/admin/flavorsheet/search?search=%25_')).body.data.map((f: any) => f.flavorsheet_no)).toEqual([
        'FS/1',
      ]);
      expect((await h.call('GET', '/app/admin/flavorsheet/search?search=_')).body.data.map((f: any) => f.flavorsheet_no)).toEqual(['FS/1']);
      expect((await h.call('GET', '/app/flavorsheet/batch/search?search=mint')).body.data).toEqual([
        expect.objectContaining({ flavorsheet_no: 'FS/2', item_code: 'FS/2-F01' }),
      ]);
      expect((await h.call('GET', '/app/admin/herbline/search?search=MINT')).body.data).toHaveLength(2);
      expect((await h.call('GET', '/app/herbline/search?search=h-2')).body.data.map((x: any) => x.item_code)).toEqual(['H-2']);
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('GET', '/app/herbline/search'));
    });

    it('pages blendsheets', async () => {
      for (const no of ['BS-A', 'BS-B', 'BS-C'])
        await h.call('POST', '/app/admin/blendsheet', { blendsheet_no: no, standard: 'S', remarks: 'r', total: 1, mixtures: {} });
      const page = (await h.call('GET', '/app/admin/blendsheet/paginated?page=2&limit=3')).body;
      expect(page).toEqual({
        success: true,
        data: [{ blendsheet_no: 'BS-D', standard: 'S', no_of_batches: 2, created_batches: 1 }],
        pagination: { page: 2, limit: 3, total: 4, total_pages: 2 },
      });
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => h.call('GET', '/app/admin/blendsheet/paginated?page=0'));
    });
  });
}
