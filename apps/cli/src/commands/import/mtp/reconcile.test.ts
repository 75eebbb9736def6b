import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asDynamic, sql } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { loadService } from '../../../services.js';
import { reconcileImportedMtp } from './reconcile.js';

const REQUESTS = 12;

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the reconciliation after an import`, () => {
    let orders: TestDatabase;
    let processing: TestDatabase;

    beforeAll(async () => {
      [orders, processing] = [await target.create(), await target.create()];
      await migrateToLatest(orders.database, (await loadService('orders'))!.migrations);
      await migrateToLatest(processing.database, (await loadService('processing'))!.migrations);
      const o = asDynamic(orders.database.db);
      const p = asDynamic(processing.database.db);
      await sql`insert into order_plan (order_code, product_name, item_code, requirement, plan_start, plan_end) values ('P', 'Blend', 'BLT00001', 1000000, '2024-06-01', '2024-06-30')`.execute(
        o,
      );
      await sql`insert into store_location values ('Rack A', false)`.execute(p);
      await sql`insert into item values ('T1', 1)`.execute(p);
      await sql`insert into tealine (item_code, created_ts, no_of_bags, weight_per_bag) values ('T1', 1, ${REQUESTS}, 10)`.execute(p);
      // Request codes 1…12: as text, "10" sorts before "2"; the comparator wants numeric order.
      for (let code = 1; code <= REQUESTS; code++) {
        await sql`insert into order_request (request_code, order_code, product_name, requirement) values (${code}, 'P', 'Blend', 10000)`.execute(
          o,
        );
        await sql`insert into order_shipment (request_code, shipment_code, quantity, status) values (${code}, 1, 10000, 'ORDER_READY')`.execute(
          o,
        );
        const barcode = `00000000-0000-4000-8000-${String(code).padStart(12, '0')}`;
        await sql`insert into tealine_record (barcode, item_code, created_ts, store_location, bag_weight, gross_weight) values (${barcode}, 'T1', 1, 'Rack A', 1, 12)`.execute(
          p,
        );
        await sql`insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount) values (${barcode}, ${code}, 1, ${code === 7 ? 10.5 : 10})`.execute(
          p,
        );
      }
    }, 120_000);
    afterAll(async () => {
      await Promise.allSettled([orders.destroy(), processing.destroy()]);
    });

    it('walks both sides in numeric request order and reports what differs', async () => {
      const check = await reconcileImportedMtp(orders.database, processing.database);
      expect(check).toMatchObject({
        name: 'MTP reconciliation',
        ok: false,
        detail: `${REQUESTS} shipments, ${REQUESTS} allocation groups, 1 differences`,
      });
      expect((check.data as { differences: { request_code: string; kind: string }[] }).differences).toEqual([
        expect.objectContaining({ request_code: '7', kind: 'quantity_mismatch' }),
      ]);
    });
  });
}
