import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCommandContext } from '@tributary/platform/command';
import { openApiErrors, signedInject, testCredentials, testDatabases } from '@tributary/platform/testing';
import { buildDeps } from '../src/deps.js';
import { runMtpReconciliation, startReconciliation, completeReconciliation } from '../src/features/reconcile/reports.service.js';
import { allDifferences, ordersPeer, runReport } from './reconcile-reports.support.js';
import { pagedRows, parseMtpCursor, type MtpAllocationSide } from '@tributary/contracts';
import { asSchema, sql } from '@tributary/platform/db';
import type { ProcessingDb } from '../src/db/schema.js';
import { allocationRows } from '../src/features/reconcile/allocation-stream.js';
import { allocationPage } from '../src/features/reconcile/reconcile.repository.js';
import { expectRefused, startHarness, type Harness } from './support.js';

const ZERO = { quantity_mismatch: 0, status_mismatch: 0, orphaned_allocation: 0, missing_allocation: 0, bag_over_allocated: 0 };
const MISSING_REPORT = '00000000-0000-4000-8000-00000000abcd';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: stored MTP reconciliation reports`, () => {
    let h: Harness;
    let orders: Awaited<ReturnType<typeof ordersPeer>>;
    const bags: string[] = [];
    let cleanId: string;
    let plantedId: string;

    const shipment = (request_code: number, shipment_code: number, quantity_kg: string, status: string) =>
      orders.shipments.push({ request_code: String(request_code), shipment_code, quantity_kg, status });
    const ok = async (method: 'POST' | 'PUT', path: string, body: unknown) => {
      const answer = await h.call(method, path, body);
      expect({ path, status: answer.status, body: answer.status === 200 ? 'ok' : answer.body }).toEqual({ path, status: 200, body: 'ok' });
      return answer.body;
    };
    const allocate = (bag: number, request_code: number, shipment_code: number, amount: string) =>
      ok('POST', '/app/tealine/record/shipment', { barcode: bags[bag], request_code, shipment_code, amount });
    const dispatch = (bag: number) => ok('PUT', '/app/tealine/record', { barcode: bags[bag] });

    beforeAll(async () => {
      orders = await ordersPeer();
      h = await startHarness(target, { peers: { orders: orders.url } });
      await ok('POST', '/app/admin/location', { location_name: 'STORE-R', herbline_section: false });
      const lot = await ok('POST', '/app/admin/tealine', { item_code: 'T-R', no_of_bags: 6, weight_per_bag: 50 });
      for (let i = 0; i < 6; i++)
        bags.push(
          (await ok('POST', '/app/tealine/record', { ...lot, store_location: 'STORE-R', gross_weight: 51, bag_weight: 1 })).barcode,
        );
      // Consistent: a dispatched shipment fully allocated from a dispatched bag, a ready one
      // partly allocated, a ready one not allocated yet.
      shipment(101, 1, '20', 'SHIPMENT_DISPATCHED');
      shipment(105, 1, '45', 'ORDER_READY');
      shipment(105, 2, '10', 'ORDER_READY');
      await allocate(0, 101, 1, '20');
      await dispatch(0);
      await allocate(4, 105, 1, '45');
    });
    afterAll(async () => {
      await h.close();
      await orders.close();
    });

    it('a consistent data set gives a completed report with zero differences', async () => {
      const report = await runReport(h);
      cleanId = report.id;
      expect(report).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        trigger: 'manual',
        requested_by: 'tester',
        status: 'completed',
        started_at: expect.stringMatching(/Z$/),
        finished_at: expect.stringMatching(/Z$/),
        shipments: 3,
        allocation_groups: 2,
        bags_checked: 6,
        differences: 0,
        by_kind: ZERO,
        shipped_kg: '75.000',
        allocated_kg: '65.000',
        error: null,
      });
      expect(await allDifferences(h, report.id)).toEqual([]);
      // Orders was asked with processing's own signature.
      expect([...orders.callers]).toEqual(['processing']);
      const metrics = (await h.call('GET', '/metrics')).text;
      expect(metrics).toMatch(/^mtp_reconciliation_differences\{kind="quantity_mismatch"[^}]*\} 0$/m);
      expect(metrics).toMatch(/^mtp_reconciliation_last_run_timestamp_seconds(\{[^}]*\})? \d+(\.\d+)?$/m);
    });

    it('finds every planted kind, with exact counts, totals and rows', async () => {
      // Orders says dispatched, only 30 of 50 kg allocated.
      shipment(102, 1, '50', 'SHIPMENT_DISPATCHED');
      await allocate(1, 102, 1, '30');
      await dispatch(1);
      // Orders says ready, but its bag has left.
      shipment(103, 1, '10.5', 'ORDER_READY');
      await allocate(2, 103, 1, '10.5');
      await dispatch(2);
      // Accepted at Grandpass with no bag allocated at all.
      shipment(104, 1, '40', 'SHIPMENT_ACCEPTED');
      // Rows written outside the API, as a script or an older version could leave them: an
      // allocation to a shipment orders never had, and a bag allocated past its net weight.
      const db = h.handle.database.db;
      await sql`insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount)
        values (${bags[3]}, 987654, 3, 7.25)`.execute(db);
      await sql`alter table tealine_allocate_shipment disable trigger a_consume_guard`.execute(db);
      await sql`insert into tealine_allocate_shipment (barcode, request_code, shipment_code, amount)
        values (${bags[4]}, 105, 2, 10)`.execute(db);
      await sql`alter table tealine_allocate_shipment enable trigger a_consume_guard`.execute(db);

      const report = await runReport(h);
      plantedId = report.id;
      expect(report).toMatchObject({
        status: 'completed',
        shipments: 6,
        allocation_groups: 6,
        bags_checked: 6,
        differences: 5,
        by_kind: { quantity_mismatch: 1, status_mismatch: 1, orphaned_allocation: 1, missing_allocation: 1, bag_over_allocated: 1 },
        shipped_kg: '175.500',
        allocated_kg: '122.750',
        error: null,
      });
      const shipmentRow = { material: null, barcode: null, reason: expect.any(String) };
      const rows = await allDifferences(h, report.id);
      expect(rows).toEqual([
        {
          ...shipmentRow,
          seq: 1,
          kind: 'quantity_mismatch',
          request_code: '102',
          shipment_code: 1,
          orders_status: 'SHIPMENT_DISPATCHED',
          expected_kg: '50.000',
          actual_kg: '30.000',
          bags: 1,
          dispatched_bags: 1,
        },
        {
          ...shipmentRow,
          seq: 2,
          kind: 'status_mismatch',
          request_code: '103',
          shipment_code: 1,
          orders_status: 'ORDER_READY',
          expected_kg: '10.500',
          actual_kg: '10.500',
          bags: 1,
          dispatched_bags: 1,
        },
        {
          ...shipmentRow,
          seq: 3,
          kind: 'missing_allocation',
          request_code: '104',
          shipment_code: 1,
          orders_status: 'SHIPMENT_ACCEPTED',
          expected_kg: '40.000',
          actual_kg: '0.000',
          bags: 0,
          dispatched_bags: 0,
          reason: 'dispatched shipment without any allocated bag',
        },
        {
          ...shipmentRow,
          seq: 4,
          kind: 'orphaned_allocation',
          request_code: '987654',
          shipment_code: 3,
          orders_status: null,
          expected_kg: null,
          actual_kg: '7.250',
          bags: 1,
          dispatched_bags: 0,
        },
        {
          seq: 5,
          kind: 'bag_over_allocated',
          request_code: null,
          shipment_code: null,
          material: 'tealine',
          barcode: bags[4],
          orders_status: null,
          expected_kg: '50.000',
          actual_kg: '55.000',
          bags: null,
          dispatched_bags: null,
          reason: 'tealine bag allocated 55 kg of its 50 kg net weight',
        },
      ]);
      expect(rows[0].reason).toContain('allocated 30 kg ≠ quantity 50 kg');

      expect(await allDifferences(h, report.id, '&kind=orphaned_allocation')).toEqual([rows[3]]);
      expect(await allDifferences(h, report.id, '&kind=bag_over_allocated')).toEqual([rows[4]]);

      const csv = await h.call('GET', `/reconcile/reports/${report.id}/differences.csv`, undefined, ['SEEDUWA-ADMIN']);
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toBe(`attachment; filename="mtp-reconciliation-${report.id}.csv"`);
      expect(csv.text).toBe(
        [
          'seq,kind,request_code,shipment_code,material,barcode,orders_status,expected_kg,actual_kg,bags,dispatched_bags,reason',
          `1,quantity_mismatch,102,1,,,SHIPMENT_DISPATCHED,50.000,30.000,1,1,${rows[0].reason}`,
          `2,status_mismatch,103,1,,,ORDER_READY,10.500,10.500,1,1,${rows[1].reason}`,
          '3,missing_allocation,104,1,,,SHIPMENT_ACCEPTED,40.000,0.000,0,0,dispatched shipment without any allocated bag',
          `4,orphaned_allocation,987654,3,,,,,7.250,1,0,${rows[3].reason}`,
          `5,bag_over_allocated,,,tealine,${bags[4]},,50.000,55.000,,,tealine bag allocated 55 kg of its 50 kg net weight`,
          '',
        ].join('\r\n'),
      );
      const onlyMissing = await h.call('GET', `/reconcile/reports/${report.id}/differences.csv?kind=missing_allocation`, undefined, [
        'SEEDUWA-ADMIN',
      ]);
      expect(onlyMissing.text.split('\r\n').slice(1)).toEqual([
        '3,missing_allocation,104,1,,,SHIPMENT_ACCEPTED,40.000,0.000,0,0,dispatched shipment without any allocated bag',
        '',
      ]);

      const metrics = (await h.call('GET', '/metrics')).text;
      for (const kind of Object.keys(ZERO))
        expect(metrics).toMatch(new RegExp(`^mtp_reconciliation_differences\\{kind="${kind}"[^}]*\\} 1$`, 'm'));
    });

    it('lists reports newest first, page by page', async () => {
      const first = await h.call('GET', '/reconcile/reports?limit=1', undefined, ['MASTER-ADMIN']);
      expect(first.status).toBe(200);
      expect(first.body.items.map((r: any) => r.id)).toEqual([plantedId]);
      const second = await h.call('GET', `/reconcile/reports?limit=1&cursor=${first.body.next}`, undefined, ['MASTER-ADMIN']);
      expect(second.body).toEqual({ items: [expect.objectContaining({ id: cleanId, differences: 0 })], next: null });
    });

    it('the daily job entry point stores the same report, as the scheduler', async () => {
      const { reconciliation, orders: client } = buildDeps(h.context);
      try {
        const summary = await runMtpReconciliation(reconciliation);
        expect(summary).toEqual({
          reportId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          shipments: 6,
          allocationGroups: 6,
          bagsChecked: 6,
          differences: 5,
          byKind: { quantity_mismatch: 1, status_mismatch: 1, orphaned_allocation: 1, missing_allocation: 1, bag_over_allocated: 1 },
          shippedKg: '175.500',
          allocatedKg: '122.750',
        });
        const stored = await h.call('GET', `/reconcile/reports/${summary.reportId}`, undefined, ['SEEDUWA-ADMIN']);
        expect(stored.body).toMatchObject({ trigger: 'schedule', requested_by: 'mtp-reconciliation', status: 'completed', differences: 5 });
      } finally {
        await client?.close();
      }
    });

    it('one run at a time: 409 while one runs, and a run that died is taken for failed', async () => {
      const deps = buildDeps(h.context);
      try {
        const run = { trigger: 'manual' as const, context: systemCommandContext('test', deps.features.clock) };
        const id = await startReconciliation(deps.reconciliation, run);
        await expectRefused(h, 409, 'RECONCILIATION_RUNNING', () => h.call('POST', '/reconcile/reports', undefined, ['SEEDUWA-ADMIN']));
        await completeReconciliation(deps.reconciliation, id, run);

        // A run whose process died: silent for longer than the lease.
        const stale = await sql<{ id: string }>`insert into reconciliation_report (trigger, requested_by, status, started_at, heartbeat_at)
          values ('schedule', 'mtp-reconciliation', 'running', now() - interval '2 hours', now() - interval '2 hours') returning id`.execute(
          h.handle.database.db,
        );
        const next = await runReport(h);
        expect(next.status).toBe('completed');
        const dead = await h.call('GET', `/reconcile/reports/${stale.rows[0]!.id}`, undefined, ['SEEDUWA-ADMIN']);
        expect(dead.body).toMatchObject({ status: 'failed', error: { code: 'RUN_ABANDONED' } });
      } finally {
        await deps.orders?.close();
      }
    });

    it("processing's side reads the same groups as the peers' pages, and a run that stops early gives its connection back", async () => {
      const db = asSchema<ProcessingDb>(h.handle.database).db;
      const paged: MtpAllocationSide[] = [];
      for await (const row of pagedRows((after) => allocationPage(db, parseMtpCursor(after), 1))) paged.push(row);
      const streamed: MtpAllocationSide[] = [];
      for await (const row of allocationRows(db, 1)) streamed.push(row);
      expect(paged.length).toBeGreaterThan(1);
      expect(streamed).toEqual(paged);
      // Stopped after the first row, as a merge does when the orders side fails mid-run.
      const rows = allocationRows(db, 1);
      expect((await rows.next()).done).toBe(false);
      await rows.return(undefined);
      const { rows: open } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`.execute(
        db,
      );
      expect(open[0]?.n).toBe(0);
    });

    it('orders unreachable: the report is stored as failed with the cause, the last good one stays in the metrics', async () => {
      orders.setDown(true);
      try {
        const report = await runReport(h);
        expect(report).toMatchObject({ status: 'failed', differences: 0, error: { code: expect.stringMatching(/^UPSTREAM_/) } });
      } finally {
        orders.setDown(false);
      }
      const metrics = (await h.call('GET', '/metrics')).text;
      expect(metrics).toMatch(/^mtp_reconciliation_differences\{kind="missing_allocation"[^}]*\} 1$/m);
    });

    it('who may call: anonymous 401, other roles 403, officers read but do not run, the CLI principal reads', async () => {
      const anonymous = await h.app.inject({ method: 'GET', url: '/reconcile/reports' });
      expect(anonymous.statusCode).toBe(401);
      for (const path of ['/reconcile/reports', `/reconcile/reports/${plantedId}`, `/reconcile/reports/${plantedId}/differences.csv`]) {
        const trader = await h.call('GET', path, undefined, ['TRADER-OFFICER']);
        expect({ path, status: trader.status, code: trader.body?.code }).toEqual({ path, status: 403, code: 'RECONCILE_ROLE_FORBIDDEN' });
      }
      await expectRefused(h, 403, 'RECONCILE_ROLE_FORBIDDEN', () => h.call('POST', '/reconcile/reports', undefined, ['SEEDUWA-OFFICER']));
      await expectRefused(h, 403, 'RECONCILE_ROLE_FORBIDDEN', () =>
        h.call('POST', '/reconcile/reports', undefined, ['GRANDPASS-GATEPASS']),
      );
      const cli = await signedInject(h.app, { method: 'GET', url: '/reconcile/reports?limit=1' }, testCredentials('cli'));
      expect(cli.statusCode).toBe(200);
      const gateway = await signedInject(h.app, { method: 'GET', url: '/reconcile/reports' }, testCredentials('gateway'));
      expect([gateway.statusCode, gateway.json().code]).toEqual([403, 'RECONCILE_ROLE_FORBIDDEN']);
    });

    it('the report routes are in the OpenAPI document, which stays valid', async () => {
      const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
      expect(Object.keys(doc.paths).filter((path) => path.startsWith('/reconcile/'))).toEqual([
        '/reconcile/reports',
        '/reconcile/reports/{id}',
        '/reconcile/reports/{id}/differences',
        '/reconcile/reports/{id}/differences.csv',
      ]);
      expect(Object.keys(doc.paths['/reconcile/reports'])).toEqual(['post', 'get']);
      expect(await openApiErrors(doc)).toEqual([]);
    });

    it('erasing a person keeps their reports under a pseudonym', async () => {
      const erase = await signedInject(
        h.app,
        { method: 'POST', url: '/internal/privacy/erase', body: { subjects: ['tester'], pseudonym: 'erased-cccccccccc' } },
        testCredentials('gateway'),
      );
      expect(erase.statusCode, erase.body).toBe(200);
      const report = await h.call('GET', `/reconcile/reports/${cleanId}`, undefined, ['SEEDUWA-ADMIN']);
      expect(report.body).toMatchObject({ requested_by: 'erased-cccccccccc', differences: 0, status: 'completed' });
    });

    it('bad input is a 4xx with a stable code', async () => {
      for (const path of [
        `/reconcile/reports/${MISSING_REPORT}`,
        `/reconcile/reports/${MISSING_REPORT}/differences`,
        `/reconcile/reports/${MISSING_REPORT}/differences.csv`,
      ]) {
        const missing = await h.call('GET', path, undefined, ['SEEDUWA-ADMIN']);
        expect({ path, status: missing.status, code: missing.body?.code }).toEqual({ path, status: 404, code: 'REPORT_NOT_FOUND' });
      }
      const cases: Array<[string, string]> = [
        ['/reconcile/reports/not-a-uuid', 'REQUEST_VALIDATION_FAILED'],
        [`/reconcile/reports/${plantedId}/differences?kind=everything`, 'REQUEST_VALIDATION_FAILED'],
        [`/reconcile/reports/${plantedId}/differences?cursor=bm9wZQ`, 'CURSOR_INVALID'],
        ['/reconcile/reports?cursor=bm9wZQ', 'CURSOR_INVALID'],
        ['/reconcile/reports?limit=0', 'REQUEST_VALIDATION_FAILED'],
      ];
      for (const [path, code] of cases) {
        const refused = await h.call('GET', path, undefined, ['SEEDUWA-ADMIN']);
        expect({ path, status: refused.status, code: refused.body?.code }).toEqual({ path, status: 400, code });
      }
    });
  });
}
