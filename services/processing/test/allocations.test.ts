import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCommandContext } from '@tributary/platform/command';
import { sql } from '@tributary/platform/db';
import { testDatabases } from '@tributary/platform/testing';
import { allocateToShipment, removeShipmentAllocation } from '../src/features/allocations/allocations.service.js';
import { expectRefused, MISSING_BARCODE, startHarness, type Harness } from './support.js';

const TRADERS = { officer: ['TRADER-OFFICER'], seeduwa: ['SEEDUWA-OFFICER'] };

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: allocations to shipments, parcels and batches`, () => {
    let h: Harness;
    const tea: string[] = [];
    let balance: string;
    let batch: { item_code: string; created_ts: number };
    let otherBatch: { item_code: string; created_ts: number };

    const scan = async (table: string, barcode: string) => (await h.call('GET', `/app/scan?table_name=${table}&barcode=${barcode}`)).body;
    const ship = (table: string, barcode: string, request_code: number, shipment_code: number, amount: unknown) =>
      h.call('POST', `/app/${table}/record/shipment`, { barcode, request_code, shipment_code, amount });
    const parcel = (
      table: string,
      barcode: string,
      request_code: number,
      shipment_code: number,
      schedule_code: number,
      reduced_by: unknown,
    ) => h.call('POST', `/app/${table}/record/parcel`, { barcode, request_code, shipment_code, schedule_code, reduced_by });
    const feed = (table: string, into: string, barcode: string, key: { item_code: string; created_ts: number }, amount: unknown) =>
      h.call('POST', `/app/${table}/record/${into}`, { barcode, ...key, amount });

    beforeAll(async () => {
      h = await startHarness(target);
      await h.call('POST', '/app/admin/location', { location_name: 'STORE-A', herbline_section: false });
      await h.call('POST', '/app/admin/location', { location_name: 'HERB-1', herbline_section: true });
      const lot = (await h.call('POST', '/app/admin/tealine', { item_code: 'T1', no_of_bags: 5, weight_per_bag: 50 })).body;
      for (let i = 0; i < 4; i++)
        tea.push(
          (await h.call('POST', '/app/tealine/record', { ...lot, store_location: 'STORE-A', gross_weight: 51, bag_weight: 1 })).body
            .barcode,
        );
      const bb = (
        await h.call('POST', '/app/admin/blendbalance', { item_code: 'BB1', blend_code: 'BLT1', transfer_id: 'TR1', weight: 100 })
      ).body;
      balance = (await h.call('POST', '/app/blendbalance/record', { ...bb, store_location: 'STORE-A', gross_weight: 21, bag_weight: 1 }))
        .body.barcode;
      await h.call('POST', '/app/admin/blendsheet', {
        blendsheet_no: 'BS1',
        standard: 'S',
        remarks: 'r',
        total: 100,
        no_of_batches: 2,
        mixtures: {},
      });
      const b1 = (await h.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'BS1' })).body;
      const b2 = (await h.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'BS1' })).body;
      batch = { item_code: b1.item_code, created_ts: b1.created_ts };
      otherBatch = { item_code: b2.item_code, created_ts: b2.created_ts };
    });
    afterAll(() => h.close());

    it('allocates a bag to shipments up to its net weight; the status follows the allocations', async () => {
      const bag = tea[0]!;
      expect((await ship('tealine', bag, 1, 1, 20)).body).toEqual({ barcode: bag });
      expect(await scan('tealine', bag)).toMatchObject({ remaining: '30.00', allocated: '20.00', status: 'IN_PROCESS' });
      expect((await ship('tealine', bag, 1, 1, '10')).status).toBe(200); // adds to the same allocation
      const over = await expectRefused(h, 409, 'ALLOCATION_EXCEEDS_AVAILABLE', () => ship('tealine', bag, 2, 1, 20.01));
      expect(over.body.details).toEqual({ available: '20.00', requested: '20.01' });
      expect((await ship('tealine', bag, 2, 1, 20)).status).toBe(200);
      expect(await scan('tealine', bag)).toMatchObject({ remaining: '0.00', allocated: '50.00', status: 'PROCESSED' });
      await expectRefused(h, 409, 'RECORD_NOT_ELIGIBLE', () => feed('tealine', 'blendsheet', bag, batch, 1));
      await expectRefused(h, 400, 'WEIGHT_INVALID', () => ship('tealine', tea[1]!, 1, 1, 0));
      await expectRefused(h, 400, 'WEIGHT_INVALID', () => ship('tealine', tea[1]!, 1, 1, '1.001'));
      await expectRefused(h, 400, 'WEIGHT_INVALID', () => ship('tealine', tea[1]!, 1, 1, 1000));
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => ship('tealine', tea[1]!, 0, 1, 1));
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () => ship('tealine', 'nope', 1, 1, 1));
      await expectRefused(h, 404, 'RECORD_NOT_FOUND', () => ship('tealine', MISSING_BARCODE, 1, 1, 1));
      // Blendbalance is an ingredient only: there is no shipment route for it.
      expect((await ship('blendbalance', balance, 1, 1, 1)).status).toBe(404);
    });

    it('parcels a shipment allocation without touching the bag availability', async () => {
      const bag = tea[0]!;
      expect((await parcel('tealine', bag, 1, 1, 7, 10)).body).toEqual({ barcode: bag });
      expect((await parcel('tealine', bag, 1, 1, 7, '5')).status).toBe(200);
      expect(await scan('tealine', bag)).toMatchObject({ remaining: '0.00', allocated: '50.00' });
      const over = await expectRefused(h, 409, 'PARCEL_EXCEEDS_SHIPMENT_ALLOCATION', () => parcel('tealine', bag, 1, 1, 8, 15.01));
      expect(over.body.details).toEqual({ remaining: '15.00', requested: '15.01' });
      await expectRefused(h, 409, 'PARCEL_WITHOUT_SHIPMENT_ALLOCATION', () => parcel('tealine', bag, 3, 1, 7, 1));
      await expectRefused(h, 404, 'RECORD_NOT_FOUND', () => parcel('tealine', MISSING_BARCODE, 1, 1, 7, 1));
      await expectRefused(h, 400, 'WEIGHT_INVALID', () => parcel('tealine', bag, 1, 1, 7, -1));
      await expectRefused(h, 400, 'REQUEST_VALIDATION_FAILED', () =>
        h.call('POST', '/app/tealine/record/parcel', { barcode: bag, request_code: 1, shipment_code: 1, reduced_by: 1 }),
      );
      expect((await h.call('GET', '/app/parcel/record?schedule_code=7')).body).toEqual([
        { barcode: bag, request_code: 1, shipment_code: 1, schedule_code: 7, amount: '15.00', tbl: 'tealine' },
      ]);
      const onShipment = (await h.call('GET', '/app/shipment/record?request_code=1&shipment_code=1')).body;
      expect(onShipment).toEqual([
        expect.objectContaining({
          table: 'tealine',
          barcode: bag,
          request_code: 1,
          shipment_code: 1,
          amount: '30.00',
          remaining: '15.00',
          item_code: 'T1',
          bag_remaining: '0.00',
        }),
      ]);
      expect((await h.call('GET', '/app/shipment/record?request_code=1')).status).toBe(400);
    });

    it('removes shipment allocations only without parcels, and publishes the change for orders', async () => {
      const bag = tea[0]!;
      await expectRefused(h, 409, 'ALLOCATION_HAS_PARCELS', () =>
        h.call('DELETE', `/app/tealine/record/shipment?barcode=${bag}&request_code=1&shipment_code=1`),
      );
      expect((await h.call('DELETE', `/app/tealine/record/shipment?barcode=${bag}&request_code=2&shipment_code=1`)).status).toBe(200);
      expect(await scan('tealine', bag)).toMatchObject({ remaining: '20.00', status: 'IN_PROCESS' }); // freed weight is available again
      await expectRefused(h, 404, 'ALLOCATION_NOT_FOUND', () =>
        h.call('DELETE', `/app/tealine/record/shipment?barcode=${bag}&request_code=2&shipment_code=1`),
      );
      const { rows } = await sql<{ type: string; aggregate_id: string; payload: string }>`
        select type, aggregate_id, payload from outbox where type = 'allocation.changed' and aggregate_id = '2/1' order by position`.execute(
        h.handle.database.db,
      );
      expect(rows.map((r) => JSON.parse(r.payload))).toEqual([
        { requestCode: '2', shipmentCode: 1, barcode: bag, table: 'tealine', allocatedKgDelta: '20.00' },
        { requestCode: '2', shipmentCode: 1, barcode: bag, table: 'tealine', allocatedKgDelta: '-20.00' },
      ]);
      const created = await sql<{ n: number }>`select count(*)::int as n from outbox where type = 'processing.allocation.created'`.execute(
        h.handle.database.db,
      );
      expect(created.rows[0]!.n).toBe(5);
    });

    it('feeds ACCEPTED/IN_PROCESS tealine and blendbalance bags into open blend batches', async () => {
      expect((await feed('tealine', 'blendsheet', tea[1]!, batch, 30)).status).toBe(200);
      expect(
        (await feed('blendbalance', 'blendsheet', balance, { ...batch, created_ts: String(batch.created_ts) as never }, 15)).status,
      ).toBe(200);
      expect(await scan('blendbalance', balance)).toMatchObject({ remaining: '5.00', status: 'IN_PROCESS' });
      await expectRefused(h, 409, 'ALLOCATION_EXCEEDS_AVAILABLE', () => feed('blendbalance', 'blendsheet', balance, otherBatch, 5.01));
      await expectRefused(h, 404, 'BATCH_NOT_FOUND', () => feed('tealine', 'blendsheet', tea[1]!, { item_code: 'nope', created_ts: 1 }, 1));
      await expectRefused(h, 404, 'RECORD_NOT_FOUND', () => feed('tealine', 'blendsheet', MISSING_BARCODE, batch, 1));
      const detail = (await h.call('GET', `/app/blendsheet/batch?item_code=${batch.item_code}&created_ts=${batch.created_ts}`)).body;
      expect(detail.allocations).toEqual({
        tealine: [{ barcode: tea[1], amount: '30.00' }],
        blendbalance: [{ barcode: balance, amount: '15.00' }],
      });
      // A stored PROCESSED status (reduced to zero) makes a bag ineligible even with weight unallocated.
      await h.call('PUT', '/app/tealine/record', { barcode: tea[2], reduced_by: 50 });
      await expectRefused(h, 409, 'RECORD_NOT_ELIGIBLE', () => feed('tealine', 'blendsheet', tea[2]!, batch, 1));
      expect((await ship('tealine', tea[2]!, 5, 1, 1)).status).toBe(200);
      // Removal while the batch is open; none once it is completed.
      expect(
        (
          await h.call(
            'DELETE',
            `/app/blendbalance/record/blendsheet?barcode=${balance}&item_code=${otherBatch.item_code}&created_ts=${otherBatch.created_ts}`,
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await h.call(
            'DELETE',
            `/app/blendbalance/record/blendsheet?barcode=${balance}&item_code=${batch.item_code}&created_ts=${batch.created_ts}`,
          )
        ).status,
      ).toBe(200);
      expect(await scan('blendbalance', balance)).toMatchObject({ remaining: '20.00' });
      await h.call('PUT', '/app/blendsheet/batch', { ...otherBatch, completed: true });
      await expectRefused(h, 409, 'BATCH_COMPLETED', () => feed('tealine', 'blendsheet', tea[1]!, otherBatch, 1));
    });

    it('allocates nothing from a dispatched bag (parcels of its shipment allocation still work)', async () => {
      const bag = tea[3]!;
      await ship('tealine', bag, 9, 1, 10);
      await h.call('PUT', '/app/tealine/record', { barcode: bag });
      await expectRefused(h, 409, 'RECORD_DISPATCHED', () => ship('tealine', bag, 9, 2, 1));
      await expectRefused(h, 409, 'RECORD_DISPATCHED', () => feed('tealine', 'blendsheet', bag, batch, 1));
      await expectRefused(h, 409, 'RECORD_DISPATCHED', () =>
        h.call('DELETE', `/app/tealine/record/shipment?barcode=${bag}&request_code=9&shipment_code=1`),
      );
      expect((await parcel('tealine', bag, 9, 1, 3, 10)).status).toBe(200);
    });

    it('ships blend output bags only from trader-allowed batches', async () => {
      const out = (await h.call('POST', '/app/blendsheet/record', { ...batch, store_location: 'STORE-A', gross_weight: 41, bag_weight: 1 }))
        .body.barcode;
      await expectRefused(h, 409, 'BATCH_NOT_TRADER_ALLOWED', () => ship('blendsheet', out, 11, 1, 5));
      await h.call('PUT', '/app/blendsheet/batch', { ...batch, humidity: 3, density: 0.4 });
      await h.call('PUT', '/app/trader/blendsheet/batch', { ...batch, trader_status: 'TRADER_REQUESTED' }, TRADERS.seeduwa);
      await expectRefused(h, 409, 'BATCH_NOT_TRADER_ALLOWED', () => ship('blendsheet', out, 11, 1, 5));
      await h.call('PUT', '/app/trader/blendsheet/batch', { ...batch, trader_status: 'TRADER_ALLOWED' }, TRADERS.officer);
      expect((await ship('blendsheet', out, 11, 1, 5)).status).toBe(200);
      expect((await parcel('blendsheet', out, 11, 1, 4, 5)).status).toBe(200);
      expect((await h.call('GET', '/app/parcel/record?schedule_code=4')).body).toEqual([
        expect.objectContaining({ tbl: 'blendsheet', amount: '5.00' }),
      ]);

      await h.call('POST', '/app/admin/blendsheet', { blendsheet_no: 'BS2', standard: 'S', remarks: 'r', total: 100, mixtures: {} });
      const blocked = (await h.call('POST', '/app/blendsheet/batch', { blendsheet_no: 'BS2' })).body;
      const key = { item_code: blocked.item_code, created_ts: blocked.created_ts };
      const bad = (await h.call('POST', '/app/blendsheet/record', { ...key, store_location: 'STORE-A', gross_weight: 41, bag_weight: 1 }))
        .body.barcode;
      await h.call('PUT', '/app/blendsheet/batch', { ...key, humidity: 3, density: 0.4 });
      await h.call('PUT', '/app/trader/blendsheet/batch', { ...key, trader_status: 'TRADER_REQUESTED' }, TRADERS.seeduwa);
      await h.call('PUT', '/app/trader/blendsheet/batch', { ...key, trader_status: 'TRADER_BLOCKED' }, TRADERS.officer);
      await expectRefused(h, 409, 'BATCH_TRADER_BLOCKED', () => ship('blendsheet', bad, 11, 1, 5));
    });

    it('supports the planned flavorsheet allocations (blendsheet and herbline ingredients, shipments, parcels)', async () => {
      await h.call('POST', '/app/admin/flavorsheet', { flavorsheet_no: 'FS1', flavor_code: 'FLT1', remarks: 'r', mixtures: [] });
      const fb = (await h.call('POST', '/app/flavorsheet/batch', { flavorsheet_no: 'FS1' })).body;
      const key = { item_code: fb.item_code, created_ts: fb.created_ts };
      const blendBag = (
        await h.call('POST', '/app/blendsheet/record', { ...batch, store_location: 'STORE-A', gross_weight: 31, bag_weight: 1 })
      ).body.barcode;
      const herb = (await h.call('POST', '/app/admin/herbline', { item_code: 'H1', item_name: 'Mint' })).body;
      const herbBag = (
        await h.call('POST', '/app/herbline/record', { ...herb, store_location: 'HERB-1', gross_weight: 5, bag_weight: 0, reference: 'R' })
      ).body.barcode;
      expect((await feed('blendsheet', 'flavorsheet', blendBag, key, 30)).status).toBe(200);
      expect((await feed('herbline', 'flavorsheet', herbBag, key, 2.5)).status).toBe(200);
      await expectRefused(h, 409, 'ALLOCATION_EXCEEDS_AVAILABLE', () => feed('herbline', 'flavorsheet', herbBag, key, 2.51));
      // Consumption is one budget across targets: the blend bag fed the flavour batch fully.
      await expectRefused(h, 409, 'ALLOCATION_EXCEEDS_AVAILABLE', () => ship('blendsheet', blendBag, 12, 1, 0.01));
      const flavourBag = (
        await h.call('POST', '/app/flavorsheet/record', { ...key, store_location: 'STORE-A', gross_weight: 33, bag_weight: 1 })
      ).body.barcode;
      expect((await ship('flavorsheet', flavourBag, 12, 1, 32)).status).toBe(200);
      expect((await parcel('flavorsheet', flavourBag, 12, 1, 5, 12)).status).toBe(200);
      expect((await h.call('GET', '/app/shipment/record?request_code=12&shipment_code=1')).body).toEqual([
        expect.objectContaining({ table: 'flavorsheet', amount: '32.00', remaining: '20.00', flavorsheet_no: 'FS1' }),
      ]);
      const detail = (await h.call('GET', `/app/flavorsheet/batch?item_code=${key.item_code}&created_ts=${key.created_ts}`)).body;
      expect(detail.allocations).toEqual({
        blendsheet: [{ barcode: blendBag, amount: '30.00' }],
        herbline: [{ barcode: herbBag, amount: '2.50' }],
      });
    });

    it('enforces every rule in the database too, whatever path writes', async () => {
      const db = h.handle.database.db;
      const refusal = async (statement: ReturnType<typeof sql>) => {
        try {
          await statement.execute(db);
          return 'accepted';
        } catch (error) {
          const e = error as { code?: string; message?: string };
          return `${e.code}:${e.message}`;
        }
      };
      const fresh = tea[1]!; // 20 kg left
      expect(
        await refusal(
          sql`insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining) values (${fresh}, 77, 1, 20.01, 20.01)`,
        ),
      ).toBe('TR409:ALLOCATION_EXCEEDS_AVAILABLE');
      expect(await refusal(sql`update tealine_allocate_blendsheet set amount = 50.01 where barcode = ${fresh}`)).toBe(
        'TR409:ALLOCATION_EXCEEDS_AVAILABLE',
      );
      expect(
        await refusal(
          sql`insert into tealine_allocate_parcel (barcode, request_code, shipment_code, schedule_code, amount) values (${tea[0]!}, 1, 1, 99, 15.01)`,
        ),
      ).toBe('TR409:PARCEL_EXCEEDS_SHIPMENT_ALLOCATION');
      expect(
        await refusal(
          sql`insert into tealine_allocate_parcel (barcode, request_code, shipment_code, schedule_code, amount) values (${fresh}, 78, 1, 99, 1)`,
        ),
      ).toBe('TR409:PARCEL_WITHOUT_SHIPMENT_ALLOCATION');
      expect(
        await refusal(sql`update tealine_allocate_shipment set remaining = 31 where barcode = ${tea[0]!} and request_code = 1`),
      ).toMatch(/^23514:/);
      expect(
        await refusal(
          sql`insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount, remaining) values (${tea[3]!}, 77, 1, 1, 1)`,
        ),
      ).toBe('TR409:RECORD_DISPATCHED');
      expect(await refusal(sql`update tealine_record set status = 'ACCEPTED' where barcode = ${tea[3]!}`)).toBe(
        'TR409:RECORD_STATUS_BACKWARDS',
      );
      expect(await refusal(sql`update tealine_record set store_location = 'HERB-1' where barcode = ${fresh}`)).toBe(
        'TR409:LOCATION_HERBLINE_ONLY',
      );
      expect(await refusal(sql`update tealine_record set gross_weight = 99 where barcode = ${fresh}`)).toBe('TR409:RECORD_IMMUTABLE');
      expect(await refusal(sql`update store_location set herbline_section = true where location_name = 'STORE-A'`)).toBe(
        'TR409:LOCATION_IMMUTABLE',
      );
      const { rows } = await sql<{
        item_code: string;
        created_ts: string;
      }>`select item_code, created_ts from tealine where item_code = 'T1'`.execute(db);
      const lot = rows[0]!;
      await sql`insert into tealine_record (item_code, created_ts, bag_no, store_location, bag_weight, gross_weight, status, remaining) values (${lot.item_code}, ${lot.created_ts}, 1, 'STORE-A', 1, 2, 'ACCEPTED', 0)`.execute(
        db,
      );
      expect(
        await refusal(
          sql`insert into tealine_record (item_code, created_ts, bag_no, store_location, bag_weight, gross_weight, status, remaining) values (${lot.item_code}, ${lot.created_ts}, 1, 'STORE-A', 1, 2, 'ACCEPTED', 0)`,
        ),
      ).toBe('TR409:TEALINE_BAG_LIMIT_REACHED');
      expect(await refusal(sql`insert into item values ('X-B', 1)`)).toBe('accepted');
      expect(
        await refusal(sql`insert into blendsheet_batch (item_code, created_ts, blendsheet_no, batch_no) values ('X-B', 1, 'BS1', 9)`),
      ).toBe('TR409:BLENDSHEET_BATCH_LIMIT_REACHED');
      expect(
        await refusal(sql`update blendsheet_batch set trader_status = 'TRADER_ALLOWED' where blendsheet_no = 'BS1' and batch_no = 2`),
      ).toBe('TR409:TRADER_TRANSITION_INVALID');
      const blocked = await sql<{
        barcode: string;
      }>`select r.barcode from blendsheet_record r join blendsheet_batch b using (item_code, created_ts) where b.trader_status = 'TRADER_BLOCKED'`.execute(
        db,
      );
      expect(
        await refusal(
          sql`insert into blendsheet_allocate_shipment (barcode, request_code, shipment_code, amount, remaining) values (${blocked.rows[0]!.barcode}, 77, 1, 1, 1)`,
        ),
      ).toBe('TR409:BATCH_TRADER_BLOCKED');
      // The stored shipment remaining is always amount − Σ parcels, whoever wrote.
      const check = await sql<{ bad: number }>`
        select count(*)::int as bad from tealine_allocate_shipment s
         where s.remaining <> s.amount - coalesce((select sum(amount) from tealine_allocate_parcel p where (p.barcode, p.request_code, p.shipment_code) = (s.barcode, s.request_code, s.shipment_code)), 0)`.execute(
        db,
      );
      expect(check.rows[0]!.bad).toBe(0);
    });

    it('commits an allocation and the work its caller attaches together, or neither', async () => {
      const lot = (await h.call('POST', '/app/admin/tealine', { item_code: 'T-ATOMIC', no_of_bags: 1, weight_per_bag: 10 })).body;
      const bag = (await h.call('POST', '/app/tealine/record', { ...lot, store_location: 'STORE-A', gross_weight: 11, bag_weight: 1 })).body
        .barcode as string;
      const deps = {
        db: h.context.database.db as never,
        clock: h.context.clock,
        logger: h.context.logger,
        eventsCommitted: () => {},
        orders: undefined,
      };
      const key = { barcode: bag, request_code: 9, shipment_code: 1 };
      const command = systemCommandContext('test', h.context.clock);
      await expect(
        allocateToShipment(
          deps,
          command,
          'tealine',
          { ...key, amount: '5' },
          {
            alsoInTransaction: async () => {
              throw new Error('the saga step could not be recorded');
            },
          },
        ),
      ).rejects.toThrow('could not be recorded');
      expect(await scan('tealine', bag)).toMatchObject({ allocated: '0.00' });
      let recorded = false;
      await allocateToShipment(
        deps,
        command,
        'tealine',
        { ...key, amount: '5' },
        {
          alsoInTransaction: async () => {
            recorded = true;
          },
        },
      );
      expect(recorded).toBe(true);
      expect(await scan('tealine', bag)).toMatchObject({ allocated: '5.00' });
      await expect(
        removeShipmentAllocation(deps, command, 'tealine', key, {
          alsoInTransaction: async () => {
            throw new Error('no record, no removal');
          },
        }),
      ).rejects.toThrow('no record');
      expect(await scan('tealine', bag)).toMatchObject({ allocated: '5.00' });
      await removeShipmentAllocation(deps, command, 'tealine', key);
      expect(await scan('tealine', bag)).toMatchObject({ allocated: '0.00' });
    });
  });
}
