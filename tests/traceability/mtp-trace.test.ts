import { beforeAll, describe, expect, it } from 'vitest';
import { TRACE_LOOKUP_PATH } from '@tributary/contracts';
import { testDatabases } from '@tributary/platform/testing';
import { ok, planRow, useMtpPair, storeLocation, tealineLot, weighBags } from '../../apps/cli/src/commands/reconcile-mtp.support.js';

const enc = encodeURIComponent;
/** A tealine lot whose invoice, garden and broker all carry its letter, so each shows where it surfaces. */
const tracedLot = (letter: string, bags: number, kgPerBag: number) => ({
  item_code: `T-${letter}`,
  invoice_no: `INV-${letter}`,
  garden: `Garden ${letter}`,
  broker: `Broker ${letter}`,
  no_of_bags: bags,
  weight_per_bag: kgPerBag,
});

/** dd/mm/yyyy HH:mm at UTC+05:30, worked out on the UTC fields rather than through Intl. */
function colomboClock(iso: string): string {
  const shifted = new Date(new Date(iso).getTime() + 330 * 60_000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(shifted.getUTCDate())}/${two(shifted.getUTCMonth() + 1)}/${shifted.getUTCFullYear()} ${two(shifted.getUTCHours())}:${two(shifted.getUTCMinutes())}`;
}

/**
 * The whole MTP flow on two real services and databases, ending at zero reconciliation
 * differences, then the first lot traced down to the parcels with the orders service's
 * workflow details (vehicle, gatepass, schedule) joined in by processing.
 */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: traceability across orders and processing`, () => {
    const mtp = useMtpPair(target);
    const ids = { lotA: '', lotB: '', batch: '', out: [] as string[], teaA: [] as string[], rc1: 0, rc2: 0, schedule: '' };

    beforeAll(async () => {
      const { orders, processing, call } = mtp;
      ok(await call(orders, 'GRANDPASS-ADMIN', 'POST', '/order/plan', [planRow('ORD-TRACE')]), 'plan');
      ids.rc1 = ok(
        await call(orders, 'GRANDPASS-OFFICER', 'POST', '/order', [
          { order_code: 'ORD-TRACE', product_name: 'Breakfast blend', requirement: '30', status: 'ORDER_REQUESTED' },
        ]),
        'request',
      )[0].request_code;
      ids.rc2 = ok(
        await call(orders, 'GRANDPASS-OFFICER', 'POST', '/order', [
          { order_code: 'ORD-TRACE', product_name: 'Breakfast blend', requirement: '30', status: 'APPROVAL_REQUESTED' },
        ]),
        'special',
      )[0].request_code;
      ok(
        await call(orders, 'GRANDPASS-SUPERVISOR', 'POST', '/order/shipment/event', [
          { request_code: ids.rc2, shipment_code: 1, status: 'APPROVAL_ALLOWED' },
        ]),
        'approval',
      );

      await storeLocation(mtp, 'STORE-A');
      const lotA = await tealineLot(mtp, tracedLot('A', 3, 50));
      const lotB = await tealineLot(mtp, tracedLot('B', 1, 40));
      ids.lotA = `lot:tealine:T-A@${lotA.created_ts}`;
      ids.lotB = `lot:tealine:T-B@${lotB.created_ts}`;
      ids.teaA = await weighBags(mtp, '/app/tealine/record', lotA, 'STORE-A', 3, 51);
      const [teaB] = await weighBags(mtp, '/app/tealine/record', lotB, 'STORE-A', 1, 41);

      ok(
        await call(processing, 'SEEDUWA-ADMIN', 'POST', '/app/admin/blendsheet', {
          blendsheet_no: 'BS-TRACE',
          standard: 'S',
          remarks: 'r',
          total: 60,
          no_of_batches: 1,
          mixtures: {},
        }),
        'blendsheet',
      );
      const batch = ok(await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/blendsheet/batch', { blendsheet_no: 'BS-TRACE' }), 'batch');
      const key = { item_code: batch.item_code, created_ts: batch.created_ts };
      ids.batch = `batch:blendsheet:${key.item_code}@${key.created_ts}`;
      ok(
        await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/tealine/record/blendsheet', { barcode: ids.teaA[0], ...key, amount: 40 }),
        'ingredient A',
      );
      ok(
        await call(processing, 'SEEDUWA-OFFICER', 'POST', '/app/tealine/record/blendsheet', { barcode: teaB, ...key, amount: 20 }),
        'ingredient B',
      );
      ids.out = await weighBags(mtp, '/app/blendsheet/record', key, 'STORE-A', 2, 31);
      ok(await call(processing, 'SEEDUWA-OFFICER', 'PUT', '/app/blendsheet/batch', { ...key, humidity: 3, density: 0.4 }), 'qc');
      ok(await call(orders, 'SEEDUWA-OFFICER', 'PUT', '/trader', [{ ...key, trader_status: 'TRADER_REQUESTED' }]), 'trader requested');
      ok(await call(orders, 'TRADER-OFFICER', 'PUT', '/trader', [{ ...key, trader_status: 'TRADER_ALLOWED' }]), 'trader allowed');

      for (const rc of [ids.rc1, ids.rc2])
        ok(
          await call(orders, 'SEEDUWA-OFFICER', 'POST', '/order/shipment/event', [
            { request_code: rc, shipment_code: 1, status: 'ORDER_READY' },
          ]),
          'ready',
        );
      await mtp.sync();
      const dispatch = (rc: number, vehicle: string, barcode: string, key: string) =>
        call(
          processing,
          'SEEDUWA-OFFICER',
          'POST',
          '/app/shipment/dispatch',
          { request_code: rc, shipment_code: 1, shipment_vehicle: vehicle, bags: [{ table_name: 'blendsheet', barcode, amount: '30' }] },
          { 'idempotency-key': key },
        );
      ok(await dispatch(ids.rc1, 'WP-1', ids.out[0]!, 'trace-dispatch-1'), 'dispatch 1');
      ok(await dispatch(ids.rc2, 'WP-2', ids.out[1]!, 'trace-dispatch-2'), 'dispatch 2');
      await mtp.sync();
      for (const rc of [ids.rc1, ids.rc2])
        ok(
          await call(orders, 'GRANDPASS-GATEPASS', 'POST', '/order/shipment/event', [
            { request_code: rc, shipment_code: 1, status: 'SHIPMENT_ACCEPTED', shipment_remarks: 'sealed' },
          ]),
          'accepted',
        );

      const schedule = ok(
        await call(orders, 'GRANDPASS-OFFICER', 'POST', '/order/schedule', [
          { schedule_date: '2026-03-05', order_code: 'ORD-TRACE', shift: 'DAY', section: 'L1', quantity: '25' },
        ]),
        'schedule',
      )[0];
      ids.schedule = String(schedule.schedule_code);
      ok(
        await call(orders, 'GRANDPASS-DEV-MACHINE', 'POST', '/order/record/parcel', [
          {
            table_name: 'blendsheet',
            barcode: ids.out[0],
            request_code: ids.rc1,
            shipment_code: 1,
            schedule_code: schedule.schedule_code,
            reduced_by: '25',
          },
        ]),
        'parcels',
      );
      await mtp.sync();
    });

    it('reconciles at zero differences, then traces the first lot down to the parcels with vehicles, gatepass and schedule', async () => {
      const { processing, call } = mtp;
      const report = ok(await call(processing, null, 'POST', '/internal/reconcile/mtp'), 'reconcile');
      expect(report.differences).toEqual([]);

      const graph = ok(await call(processing, 'GRANDPASS-OFFICER', 'GET', `/app/trace/T-A`), 'trace');
      expect(graph.sources).toEqual({ orders: 'ok' });
      const parcel = `parcel:blendsheet:${ids.out[0]}/${ids.rc1}/1/${ids.schedule}`;
      expect(graph.nodes.map((n: any) => n.id).sort()).toEqual(
        [
          ids.lotA,
          'garden:Garden A',
          'broker:Broker A',
          'invoice:INV-A',
          ...ids.teaA.map((b) => `tealine:${b}`),
          ids.batch,
          ...ids.out.map((b) => `blendsheet:${b}`),
          `shipment:${ids.rc1}/1`,
          `shipment:${ids.rc2}/1`,
          'vehicle:WP-1',
          'vehicle:WP-2',
          parcel,
          `schedule:${ids.schedule}`,
        ].sort(),
      );
      const node = (id: string) => graph.nodes.find((n: any) => n.id === id);
      expect(node(`shipment:${ids.rc1}/1`)).toMatchObject({
        label: `shipment ${ids.rc1}/1 (ORD-TRACE)`,
        attributes: {
          order_code: 'ORD-TRACE',
          product_name: 'Breakfast blend',
          quantity_kg: '30',
          status: 'SHIPMENT_ACCEPTED',
          shipment_remarks: 'sealed',
        },
      });
      expect(node(`shipment:${ids.rc1}/1`).attributes.accepted_at).toMatch(/Z$/);
      expect(node(`shipment:${ids.rc1}/1`).at).toMatch(/Z$/);
      expect(node(`schedule:${ids.schedule}`)).toMatchObject({
        attributes: { schedule_date: '2026-03-05', shift: 'DAY', section: 'L1', order_code: 'ORD-TRACE', completed: false },
      });
      const edges = graph.edges.map((e: any) => `${e.from} -${e.relation}${e.quantityKg ? `(${e.quantityKg})` : ''}-> ${e.to}`);
      expect(edges).toEqual(
        expect.arrayContaining([
          `shipment:${ids.rc1}/1 -carried_by-> vehicle:WP-1`,
          `shipment:${ids.rc2}/1 -carried_by-> vehicle:WP-2`,
          `blendsheet:${ids.out[0]} -parcelled(25.00)-> ${parcel}`,
          `${parcel} -filled_into(25.00)-> schedule:${ids.schedule}`,
        ]),
      );
      // From the vehicle back up: the same shipment, the blend, and both lots.
      const fromVehicle = ok(await call(processing, 'SEEDUWA-ADMIN', 'GET', `/app/trace/${enc('vehicle:WP-2')}`), 'vehicle trace');
      expect(fromVehicle.nodes.map((n: any) => n.id)).toEqual(
        expect.arrayContaining([`shipment:${ids.rc2}/1`, ids.batch, ids.lotA, ids.lotB]),
      );
    });

    it('exports the recall of the first lot with orders, vehicles, gatepass and schedules, attributing the blend by share', async () => {
      const { processing, call } = mtp;
      const report = ok(await call(processing, 'GRANDPASS-SUPERVISOR', 'GET', '/app/trace/T-A/recall'), 'recall');
      expect(
        report.shipments.map((s: any) => [s.request_code, s.order_code, s.status, s.vehicle, s.allocated_kg, s.attributable_kg]),
      ).toEqual([
        [String(ids.rc1), 'ORD-TRACE', 'SHIPMENT_ACCEPTED', 'WP-1', '30.00', '20.00'],
        [String(ids.rc2), 'ORD-TRACE', 'SHIPMENT_ACCEPTED', 'WP-2', '30.00', '20.00'],
      ]);
      expect(report.schedules).toEqual([
        {
          schedule_code: ids.schedule,
          schedule_date: '2026-03-05',
          order_code: 'ORD-TRACE',
          shift: 'DAY',
          section: 'L1',
          parcelled_kg: '25.00',
          attributable_kg: '16.67',
        },
      ]);
      const csv = await call(processing, 'GRANDPASS-SUPERVISOR', 'GET', '/app/trace/T-A/recall', undefined, { accept: 'text/csv' });
      const lines = String(csv.body).trim().split('\r\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]!.split(',').slice(-5)).toEqual([
        'parcelled_kg',
        'parcel_attributable_kg',
        'dispatched_local',
        'accepted_local',
        'local_time_zone',
      ]);
      expect(lines[1]).toMatch(
        new RegExp(
          `^${ids.rc1},1,ORD-TRACE,Breakfast blend,SHIPMENT_ACCEPTED,WP-1,[^,]+Z,[^,]+Z,1,30.00,20.00,${ids.schedule},2026-03-05,DAY,L1,25.00,16.67,[^,]+,[^,]+,Asia/Colombo$`,
        ),
      );
      expect(lines[2]).toMatch(
        new RegExp(
          `^${ids.rc2},1,ORD-TRACE,Breakfast blend,SHIPMENT_ACCEPTED,WP-2,[^,]+Z,[^,]+Z,1,30.00,20.00,,,,,,,[^,]+,[^,]+,Asia/Colombo$`,
        ),
      );
      // The local columns are the UTC ones on Colombo's clock (UTC+05:30 all year), day first.
      for (const line of lines.slice(1)) {
        const cells = line.split(',');
        const [dispatchedUtc, acceptedUtc] = [cells[6]!, cells[7]!];
        const [dispatchedLocal, acceptedLocal] = cells.slice(-3, -1);
        expect(dispatchedLocal).toBe(colomboClock(dispatchedUtc));
        expect(acceptedLocal).toBe(colomboClock(acceptedUtc));
      }
    });

    it('keeps the lookup for services only, and still traces (marked) while orders is down', async () => {
      const { orders, processing, call } = mtp;
      const refused = await call(orders, 'GRANDPASS-OFFICER', 'POST', TRACE_LOOKUP_PATH, { shipments: [], schedules: [] });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'ROLE_FORBIDDEN' });
      await mtp.stopOrders();
      const graph = ok(await call(processing, 'GRANDPASS-OFFICER', 'GET', `/app/trace/T-A`), 'trace without orders');
      expect(graph.sources).toEqual({ orders: 'unavailable' });
      // Processing's own dispatch records still name the vehicles.
      expect(graph.nodes.map((n: any) => n.id)).toEqual(
        expect.arrayContaining(['vehicle:WP-1', 'vehicle:WP-2', `schedule:${ids.schedule}`]),
      );
    });
  });
}
