import { processingApi, type ProcessingApi } from '@tributary/contracts';
import { isAppError } from '@tributary/platform/core';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import { testCredentials, testDatabases, TEST_SCOPE } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed, SEED } from '../src/seed.js';
import { startHarness, type Harness } from './support.js';

const OFFICER = { identity: { user: 'officer-1', roles: ['SEEDUWA-OFFICER'] } };

/** The typed client as orders uses it: over real HTTP, signed as orders, on behalf of a user. */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the processing API through its typed client`, () => {
    let h: Harness;
    let client: ServiceClient;
    let api: ProcessingApi;
    let barcode: string;
    beforeAll(async () => {
      h = await startHarness(target);
      await seed(h.context);
      const url = await h.app.listen({ host: '127.0.0.1', port: 0 });
      client = createServiceClient({
        name: 'processing',
        baseUrl: url,
        credentials: testCredentials('orders', h.context.keyring),
        scope: TEST_SCOPE,
      });
      api = processingApi(client);
      const lot = await h.call('GET', `/app/admin/tealine?item_code=${SEED.tealine.item_code}&created_ts=${SEED.tealine.created_ts}`);
      barcode = lot.body.record_list[0].barcode;
    });
    afterAll(async () => {
      await client.close();
      await h.close();
    });

    it('allocates a bag to a shipment and parcels part of it, and lists both', async () => {
      expect(
        await api.allocateToShipment(
          'tealine',
          { barcode, request_code: 7, shipment_code: 1, amount: '10.000' },
          { ...OFFICER, idempotencyKey: 'typed-alloc-1' },
        ),
      ).toEqual({ barcode });
      const records = await api.listShipmentRecords({ request_code: 7, shipment_code: 1 }, OFFICER);
      expect(records.map((row) => row.barcode)).toEqual([barcode]);

      const parcel = { barcode, request_code: 7, shipment_code: 1, schedule_code: 3, reduced_by: '4.000' };
      expect(await api.allocateToParcel('tealine', parcel, { ...OFFICER, idempotencyKey: 'typed-parcel-1' })).toEqual({ barcode });
      const parcels = await api.listParcelRecords({ schedule_code: 3 }, OFFICER);
      expect(parcels.map((row) => [row.barcode, row.request_code, row.shipment_code, row.schedule_code])).toEqual([[barcode, 7, 1, 3]]);
    });

    it('lists trader batches as processing answers them directly', async () => {
      const direct = await h.call('GET', '/app/trader/blendsheet/batch?trader_status=TRADER_PENDING');
      expect(direct.status).toBe(200);
      expect(await api.listTraderBatches('TRADER_PENDING', OFFICER)).toEqual(direct.body);
    });

    it("rejects with processing's own code when processing refuses", async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      const refused = await api
        .allocateToShipment('tealine', { barcode: unknown, request_code: 7, shipment_code: 1, amount: '1' }, OFFICER)
        .catch((error: unknown) => error);
      expect(isAppError(refused) && [refused.status, refused.code]).toEqual([404, 'RECORD_NOT_FOUND']);
    });
  });
}
