import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FROM_SOURCE, testDatabases, testKeyring } from '@tributary/platform/testing';
import { formatReconcileTable, reconcileMtpCommand } from './reconcile.js';
import { ok, planRow, useMtpPair, storeLocation, tealineLot, weighBags } from './reconcile-mtp.support.js';

/**
 * The whole tea flow across both services, each on its own database, through signed HTTP
 * between real listening servers (the test plays the gateway and the sync service).
 */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: MTP end to end across orders and processing`, () => {
    const mtp = useMtpPair(target);

    it('plan → requests → lots, bags, blend, QC, trader → ORDER_READY → dispatch → accepted → schedule, parcels → reconciled', async () => {
      const { orders, processing, call } = mtp;
      // Orders: the plan, a standard request and one that needs approval.
      ok(await call(orders, 'GRANDPASS-ADMIN', 'POST', '/order/plan', [planRow('ORD-E2E')]), 'plan');
      const standard = ok(
        await call(orders, 'GRANDPASS-OFFICER', 'POST', '/order', [
          { order_code: 'ORD-E2E', product_name: 'Breakfast blend', requirement: '100', status: 'ORDER_REQUESTED' },
        ]),
        'request',
      )[0];
      const special = ok(
        await call(orders, 'GRANDPASS-OFFICER', 'POST', '/order', [
          { order_code: 'ORD-E2E', product_name: 'Breakfast blend', requirement: '30', status: 'APPROVAL_REQUESTED' },
        ]),
        'special',
      )[0];
      const rc1 = standard.request_code as number;
      const rc2 = special.request_code as number;
      ok(
        await call(orders, 'GRANDPASS-SUPERVISOR', 'POST', '/order/shipment/event', [
          { request_code: rc2, shipment_code: 1, status: 'APPROVAL_ALLOWED' },
        ]),
        'approval',
      );

      // Processing: a tealine lot and its bags weighed in.
      await storeLocation(mtp, 'STORE-A');
      const lot = await tealineLot(mtp, { item_code: 'T-E2E', no_of_bags: 4, weight_per_bag: 50 });
      const tea = await weighBags(mtp, '/app/tealine/record', lot, 'STORE-A', 4, 51);
      // The generic pass-through reaches processing from orders with method, query and status intact.
      const viaCentral = await call(orders, 'SEEDUWA-OFFICER', 'GET', `/central/scan?table_name=tealine&barcode=${tea[0]}`);
      expect(viaCentral.status).toBe(200);
      expect(viaCentral.body).toMatchObject({ barcode: tea[0], status: 'ACCEPTED' });
      const missing = await call(
        orders,
        'SEEDUWA-OFFICER',
        'GET',
        '/central/scan?table_name=tealine&barcode=00000000-0000-4000-8000-000000000000',
      );
      expect({ status: missing.status, code: missing.body.code }).toEqual({ status: 404, code: 'RECORD_NOT_FOUND' });

      // Blendsheet, batch, ingredient allocation, output bags, QC.
      ok(
        await call(processing, 'SEEDUWA-ADMIN', 'POST', '/app/admin/blendsheet', {
          blendsheet_no: 'BS-E2E',
          standard: 'S',
          remarks: 'r',
          total: 100,
          no_of_batches: 1,
          mixtures: {},
        }),
        'blendsheet',
      );
      const batch = ok(await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/blendsheet/batch', { blendsheet_no: 'BS-E2E' }), 'batch');
      const batchKey = { item_code: batch.item_code, created_ts: batch.created_ts };
      for (const bag of tea.slice(0, 2))
        ok(
          await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/tealine/record/blendsheet', { barcode: bag, ...batchKey, amount: 50 }),
          'ingredient',
        );
      const blend = await weighBags(mtp, '/app/blendsheet/record', batchKey, 'STORE-A', 2, 41);
      ok(await call(processing, 'SEEDUWA-OFFICER', 'PUT', '/app/blendsheet/batch', { ...batchKey, humidity: 3, density: 0.4 }), 'qc');

      // Trader review through orders' /trader (fanned out to processing per element).
      const pending = ok(await call(orders, 'TRADER-OFFICER', 'GET', '/trader?trader_status=TRADER_PENDING'), 'trader list');
      expect(pending).toEqual([expect.objectContaining({ item_code: batch.item_code, trader_status: 'TRADER_PENDING' })]);
      ok(await call(orders, 'SEEDUWA-OFFICER', 'PUT', '/trader', [{ ...batchKey, trader_status: 'TRADER_REQUESTED' }]), 'trader requested');
      ok(await call(orders, 'TRADER-OFFICER', 'PUT', '/trader', [{ ...batchKey, trader_status: 'TRADER_ALLOWED' }]), 'trader allowed');

      // Both shipments ready; processing's Device-Panel sees them (live from orders).
      for (const rc of [rc1, rc2])
        ok(
          await call(orders, 'SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [
            { request_code: rc, shipment_code: 1, status: 'ORDER_READY' },
          ]),
          'ready',
        );
      await mtp.sync();
      const ready = await call(processing, 'SEEDUWA-OFFICER', 'GET', '/app/shipment');
      expect(ready.headers['x-tributary-stale']).toBe('false');
      expect(ready.body.map((s: any) => [s.request_code, s.shipment_code])).toEqual([
        [rc1, 1],
        [rc2, 1],
      ]);

      // Short dispatch of request 1 (80 of 100 kg): split first, then allocate, event, mark.
      const short = ok(
        await call(
          processing,
          'SEEDUWA-OFFICER',
          'POST',
          '/app/shipment/dispatch',
          {
            request_code: rc1,
            shipment_code: 1,
            shipment_vehicle: 'WP-KA-1234',
            bags: blend.map((barcode) => ({ table_name: 'blendsheet', barcode, amount: '40' })),
          },
          { 'idempotency-key': 'e2e-dispatch-1' },
        ),
        'dispatch 1',
      );
      expect(short).toMatchObject({ quantity: '80', split: { shipment_code: 2, quantity: '20' } });
      // Request 2 (approved, 30 kg) from one tealine bag, exactly its quantity.
      ok(
        await call(
          processing,
          'SEEDUWA-OFFICER',
          'POST',
          '/app/shipment/dispatch',
          {
            request_code: rc2,
            shipment_code: 1,
            shipment_vehicle: 'WP-KA-9',
            bags: [{ table_name: 'tealine', barcode: tea[2], amount: 30 }],
          },
          { 'idempotency-key': 'e2e-dispatch-2' },
        ),
        'dispatch 2',
      );
      for (const bag of blend)
        expect(ok(await call(processing, 'SEEDUWA-OFFICER', 'GET', `/app/scan?table_name=blendsheet&barcode=${bag}`), 'scan').status).toBe(
          'DISPATCHED',
        );
      await mtp.sync();

      // Grandpass accepts; orders knows what processing allocated (allocation.changed via sync).
      for (const rc of [rc1, rc2])
        ok(
          await call(orders, 'GRANDPASS-GATEPASS', 'POST', '/order/shipment/event', [
            { request_code: rc, shipment_code: 1, status: 'SHIPMENT_ACCEPTED', shipment_remarks: 'ok' },
          ]),
          'accepted',
        );
      const list = ok(await call(orders, 'GRANDPASS-OFFICER', 'GET', `/order?request_code=${rc1}`), 'orders');
      expect(list[0].shipments.map((s: any) => [s.shipment_code, s.quantity, s.allocated, s.status])).toEqual([
        [1, '80', '80', 'SHIPMENT_ACCEPTED'],
        [2, '20', '0', 'ORDER_READY'],
      ]);
      const records = ok(
        await call(orders, 'SEEDUWA-ADMIN', 'GET', `/order/record/shipment?request_code=${rc1}&shipment_code=1`),
        'records',
      );
      expect(records.map((r: any) => r.barcode).sort()).toEqual([...blend].sort());

      // Production schedule, parcels into it (through orders), schedule completed.
      const schedule = ok(
        await call(orders, 'GRANDPASS-OFFICER', 'POST', '/order/schedule', [
          { schedule_date: '2026-03-05', order_code: 'ORD-E2E', shift: 'DAY', section: 'L1', quantity: '110' },
        ]),
        'schedule',
      )[0];
      ok(
        await call(orders, 'GRANDPASS-DEV-MACHINE', 'POST', '/order/record/parcel', [
          ...blend.map((barcode) => ({
            table_name: 'blendsheet',
            barcode,
            request_code: rc1,
            shipment_code: 1,
            schedule_code: schedule.schedule_code,
            reduced_by: '40',
          })),
          {
            table_name: 'tealine',
            barcode: tea[2],
            request_code: rc2,
            shipment_code: 1,
            schedule_code: schedule.schedule_code,
            reduced_by: '30',
          },
        ]),
        'parcels',
      );
      const parcels = ok(
        await call(orders, 'GRANDPASS-DEV-MACHINE', 'GET', `/order/record/parcel?schedule_code=${schedule.schedule_code}`),
        'parcel list',
      );
      expect(parcels).toHaveLength(3);
      ok(await call(orders, 'GRANDPASS-DEV-MACHINE', 'PUT', '/order/schedule', [{ schedule_code: schedule.schedule_code }]), 'completed');
      await mtp.sync();

      const report = ok(await call(processing, null, 'POST', '/internal/reconcile/mtp'), 'reconcile');
      expect(report.differences).toEqual([]);
      expect(report.summary).toMatchObject({ shipments: 3, allocationGroups: 2, differences: 0 });

      // The same answer from `tributary reconcile mtp`, reading the keyring from the data directory
      // and finding the services by the *_PORT settings `tributary up` listens on.
      const dataDir = await mkdtemp(join(tmpdir(), 'tributary-reconcile-'));
      try {
        await writeFile(join(dataDir, 'keyring.json'), JSON.stringify(testKeyring()), { mode: 0o600 });
        const env = { ORDERS_PORT: new URL(orders.url).port, PROCESSING_PORT: new URL(processing.url).port };
        expect(new URL(orders.url).hostname).toBe('127.0.0.1');
        const fromCli = await reconcileMtpCommand({ dataDir, env, pageSize: 1, maxDifferences: 10, progress: false });
        expect(fromCli).toEqual({ summary: report.summary, differences: [], truncated: false });
        expect(formatReconcileTable(fromCli)).toBe('3 shipments, 2 allocation groups, 0 differences\n');
        if (target.label === 'pglite') {
          const { stdout } = await promisify(execFile)(
            process.execPath,
            [...FROM_SOURCE, 'apps/cli/src/main.ts', '--data-dir', dataDir, 'reconcile', 'mtp', '--json'],
            { env: { ...process.env, ...env } },
          );
          expect(JSON.parse(stdout)).toEqual(fromCli);
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    });
  });
}
