import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@tributary/platform/core';
import { asDynamic, sql, type AnyDatabase } from '@tributary/platform/db';
import { importFindings } from '@tributary/platform/import-log';
import { migrateToLatest } from '@tributary/platform/migrate';
import { FROM_SOURCE, testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { loadService } from '../../../services.js';
import { runImport } from '../common/command.js';
import { formatImportText, importReportCsv } from '../common/format.js';
import type { ImportReport } from '../common/report.js';
import { mtpImporter } from './mtp.js';
import {
  AWS_MANAGER_DATA,
  AWS_MANAGER_DDL,
  BAG,
  CENTRAL_HANDLER_DATA,
  CENTRAL_HANDLER_DDL,
  runStatements,
} from './mtp-originals.support.js';

const MAIN = fileURLToPath(new URL('../../../main.ts', import.meta.url));
const postgres = testDatabases({ dialects: ['postgres'] })[0];

/** Every table of a database with its row count (schemas public and admin). */
async function rowCounts(database: AnyDatabase): Promise<Record<string, number>> {
  const { rows } = await sql<{ name: string }>`
    select table_schema || '.' || table_name as name from information_schema.tables
    where table_schema in ('public', 'admin') and table_type = 'BASE TABLE' order by 1`.execute(asDynamic(database.db));
  const counts: Record<string, number> = {};
  for (const { name } of rows) {
    const [schema, table] = name.split('.');
    const result = await sql<{ n: string }>`select count(*) as n from ${sql.table(`${schema}.${table}`)}`.execute(asDynamic(database.db));
    counts[name] = Number(result.rows[0]!.n);
  }
  return counts;
}

async function query<T>(database: AnyDatabase, text: string): Promise<T[]> {
  return (await sql.raw<T>(text).execute(asDynamic(database.db))).rows;
}

/** What an import decided, comparable across runs: the rows Tributary holds, without times it stamps itself. */
async function businessState(orders: AnyDatabase, processing: AnyDatabase) {
  return {
    users: await query(orders, `select sub, username, "group" from admin."user" order by sub`),
    plans: await query(orders, 'select order_code, requirement, plan_start, plan_end, item_code from order_plan order by 1'),
    requests: await query(orders, 'select request_code, order_code, requirement from order_request order by 1'),
    shipments: await query(orders, 'select request_code, shipment_code, quantity, status from order_shipment order by 1, 2'),
    events: await query(
      orders,
      'select request_code, shipment_code, status, event_ts, shipment_vehicle, shipment_remarks from order_shipment_event order by 1, 2, 3',
    ),
    schedules: await query(orders, 'select schedule_code, order_code, quantity, completed, completed_at from order_schedule order by 1'),
    bags: await query(
      processing,
      `select 'tealine' as m, barcode, bag_no, status, remaining from tealine_record union all
       select 'blendsheet', barcode, bag_no, status, remaining from blendsheet_record union all
       select 'herbline', barcode, bag_no, status, remaining from herbline_record union all
       select 'blendbalance', barcode, bag_no, status, remaining from blendbalance_record order by 1, 2`,
    ),
    bagTimes: await query(
      processing,
      `select barcode, processed_at, dispatched_at from tealine_record union all
       select barcode, processed_at, dispatched_at from blendsheet_record union all
       select barcode, processed_at, dispatched_at from blendbalance_record order by 1`,
    ),
    batches: await query(processing, 'select item_code, batch_no, completed, trader_status from blendsheet_batch order by 1'),
    shipmentAllocations: await query(
      processing,
      `select barcode, request_code, shipment_code, amount, remaining from tealine_allocate_shipment union all
       select barcode, request_code, shipment_code, amount, remaining from blendsheet_allocate_shipment order by 1, 2, 3`,
    ),
    parcels: await query(
      processing,
      'select barcode, schedule_code, amount from tealine_allocate_parcel union all select barcode, schedule_code, amount from blendsheet_allocate_parcel order by 1, 2',
    ),
    findings: [...(await importFindings(orders.db, 'mtp')), ...(await importFindings(processing.db, 'mtp'))].map((f) => [
      f.sourceTable,
      f.sourceKey,
      f.fault,
      f.decision,
    ]),
  };
}

const findingRows = (report: ImportReport) =>
  [...report.findings]
    .sort((a, b) => a.sourceTable.localeCompare(b.sourceTable) || a.sourceKey.localeCompare(b.sourceKey) || a.fault.localeCompare(b.fault))
    .map((f) => [f.sourceTable, f.sourceKey, f.fault, f.decision]);
const tableRows = (report: ImportReport) =>
  Object.fromEntries(report.tables.map((t) => [t.sourceTable, [t.read, t.new, t.unchanged, t.fixed, t.quarantined, t.refused]]));

/** The findings the data set holds, one per fault and row (see mtp-originals.support.ts). */
const EXPECTED_FINDINGS = [
  ['admin.user', 'aaaaaaaa-0000-4000-8000-000000000001', 'password_not_portable', 'fixed'],
  ['admin.user', 'aaaaaaaa-0000-4000-8000-000000000002', 'password_not_portable', 'fixed'],
  ['admin.user', 'aaaaaaaa-0000-4000-8000-000000000003', 'user_group_unknown', 'refused'],
  ['blendsheet_batch', 'BB-2/2001', 'batch_limit_exceeded', 'quarantined'],
  ['blendsheet_record', BAG.heldBatchOutput, 'parent_held', 'quarantined'],
  ['flavorsheet_record', BAG.orphanFlavour, 'bag_without_parent', 'quarantined'],
  ['order_plan', 'P-BAD', 'plan_dates_reversed', 'quarantined'],
  ['order_request', '3', 'request_without_plan', 'quarantined'],
  ['order_schedule', '1', 'completion_time_unknown', 'fixed'],
  ['order_schedule', '3', 'required_value_missing', 'quarantined'],
  ['order_shipment', '3/1', 'parent_held', 'quarantined'],
  ['order_shipment', '4/1', 'shipment_without_quantity', 'quarantined'],
  ['order_shipment', '4/2', 'shipment_without_events', 'fixed'],
  ['order_shipment_event', '1/1/SHIPMENT_ACCEPTED', 'event_text_missing', 'fixed'],
  ['order_shipment_event', '1/2/RECEIVED', 'status_alias', 'fixed'],
  ['order_shipment_event', '1/2/SHIPMENT_DISPATCHED', 'event_predecessor_missing', 'fixed'],
  ['order_shipment_event', '1/3/ORDER_REQUESTED', 'event_without_shipment', 'quarantined'],
  ['order_shipment_event', '2/1/APPROVAL_ALLOWED', 'event_out_of_order', 'fixed'],
  ['order_shipment_event', '2/1/APPROVAL_REQUESTED', 'event_out_of_order', 'fixed'],
  ['order_shipment_event', '2/1/ON_HOLD', 'status_unknown', 'refused'],
  ['order_shipment_event', '2/1/ORDER_READY', 'event_duplicate_time', 'fixed'],
  ['order_shipment_event', '2/1/ORDER_REQUESTED', 'event_duplicate_time', 'fixed'],
  ['order_shipment_event', '3/1/ORDER_REQUESTED', 'parent_held', 'quarantined'],
  ['order_shipment_event', '4/1/ORDER_REQUESTED', 'parent_held', 'quarantined'],
  ['tealine_allocate_parcel', `${BAG.shippedB}/1/1/99`, 'parcel_without_schedule', 'quarantined'],
  ['tealine_allocate_parcel', `${BAG.toMissingShipment}/7/1/2`, 'allocation_without_shipment', 'quarantined'],
  ['tealine_allocate_shipment', `${BAG.overAllocated}/2/1`, 'bag_over_allocated', 'quarantined'],
  ['tealine_allocate_shipment', `${BAG.toMissingShipment}/7/1`, 'allocation_without_shipment', 'quarantined'],
  ['tealine_record', BAG.wrongSection, 'bag_location_section', 'refused'],
];

describe.skipIf(!postgres)('tributary import mtp (PostgreSQL originals and targets)', () => {
  const databases: TestDatabase[] = [];
  let aws: TestDatabase;
  let central: TestDatabase;
  let orders: TestDatabase;
  let processing: TestDatabase;
  let dataDir: string;
  const create = async () => {
    const handle = await postgres!.create();
    databases.push(handle);
    return handle;
  };
  const options = (targets: { orders: TestDatabase; processing: TestDatabase }, apply: boolean, chunkSize = 3) => ({
    dataDir,
    env: { ORDERS_DATABASE_URL: targets.orders.url, PROCESSING_DATABASE_URL: targets.processing.url },
    logger: silentLogger(),
    apply,
    chunkSize,
    progress: false,
  });
  const importer = () => mtpImporter({ ordersUrl: aws.url, processingUrl: central.url });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tributary-import-'));
    [aws, central, orders, processing] = await Promise.all([create(), create(), create(), create()]);
    await runStatements(aws.database, [...AWS_MANAGER_DDL, ...AWS_MANAGER_DATA]);
    await runStatements(central.database, [...CENTRAL_HANDLER_DDL, ...CENTRAL_HANDLER_DATA]);
    // Migrated beforehand so the dry run is compared against real, empty tables.
    await migrateToLatest(orders.database, (await loadService('orders'))!.migrations);
    await migrateToLatest(processing.database, (await loadService('processing'))!.migrations);
  }, 120_000);
  afterAll(async () => {
    await Promise.allSettled(databases.map((d) => d.destroy()));
    await rm(dataDir, { recursive: true, force: true });
  });

  let applied: ImportReport;

  it('dry run: reports every finding and what it would write, and writes nothing', async () => {
    const before = { orders: await rowCounts(orders.database), processing: await rowCounts(processing.database) };
    const report = await runImport(importer(), options({ orders, processing }, false));
    expect(report.mode).toBe('dry-run');
    expect(report.runs).toEqual({});
    expect(findingRows(report)).toEqual(EXPECTED_FINDINGS);
    expect(tableRows(report)).toMatchObject({
      'admin.user': [3, 2, 0, 2, 0, 1],
      order_plan: [3, 2, 0, 0, 1, 0],
      order_request: [4, 3, 0, 0, 1, 0],
      order_shipment: [6, 4, 0, 1, 2, 0],
      order_shipment_event: [15, 11, 0, 7, 3, 1],
      order_schedule: [3, 2, 0, 1, 1, 0],
      tealine_record: [5, 4, 0, 0, 0, 1],
      tealine_allocate_shipment: [4, 2, 0, 0, 2, 0],
      blendsheet_allocate_shipment: [1, 1, 0, 0, 0, 0],
      tealine_allocate_parcel: [3, 1, 0, 0, 2, 0],
    });
    expect({ orders: await rowCounts(orders.database), processing: await rowCounts(processing.database) }).toEqual(before);
  });

  it('--apply: writes the rows with their identifiers and quantities, logs each finding, reconciles to zero', async () => {
    applied = await runImport(importer(), options({ orders, processing }, true));
    expect(applied.mode).toBe('apply');
    expect(findingRows(applied)).toEqual(EXPECTED_FINDINGS);
    expect(applied.checks).toEqual([expect.objectContaining({ name: 'MTP reconciliation', ok: true })]);
    const state = await businessState(orders.database, processing.database);
    expect(state.findings.sort()).toEqual([...EXPECTED_FINDINGS].sort());
    expect(state.users).toEqual([
      { sub: 'aaaaaaaa-0000-4000-8000-000000000001', username: 'nimal', group: 'GRANDPASS-OFFICER' },
      { sub: 'aaaaaaaa-0000-4000-8000-000000000002', username: 'kumari', group: 'SEEDUWA-OFFICER' },
    ]);
    expect(state.requests).toEqual([
      { request_code: '1', order_code: 'P-001', requirement: '300000' },
      { request_code: '2', order_code: 'P-002', requirement: '200000' },
      { request_code: '4', order_code: 'P-001', requirement: '100000' },
    ]);
    expect(state.shipments).toEqual([
      { request_code: '1', shipment_code: 1, quantity: '100000', status: 'SHIPMENT_ACCEPTED' },
      { request_code: '1', shipment_code: 2, quantity: '50000', status: 'SHIPMENT_ACCEPTED' },
      { request_code: '2', shipment_code: 1, quantity: '20000', status: 'ORDER_READY' },
      { request_code: '4', shipment_code: 2, quantity: '5000', status: 'ORDER_REQUESTED' },
    ]);
    expect(state.events).toContainEqual(
      expect.objectContaining({
        request_code: '1',
        shipment_code: 1,
        status: 'SHIPMENT_ACCEPTED',
        shipment_remarks: '(not recorded in MTP)',
      }),
    );
    expect(state.events).toContainEqual(
      expect.objectContaining({ request_code: '1', shipment_code: 2, status: 'SHIPMENT_ACCEPTED', event_ts: String(1_717_200_006_000) }),
    );
    expect(state.schedules).toEqual([
      {
        schedule_code: '1',
        order_code: 'P-001',
        quantity: '50000',
        completed: true,
        completed_at: String(Date.parse('2024-06-05T00:00:00Z')),
      },
      { schedule_code: '2', order_code: 'P-002', quantity: '20000', completed: false, completed_at: null },
    ]);
    expect(state.bags).toEqual([
      { m: 'blendbalance', barcode: BAG.balance, bag_no: 1, status: 'PROCESSED', remaining: '0.00' },
      { m: 'blendsheet', barcode: BAG.blendOutput, bag_no: 1, status: 'DISPATCHED', remaining: '0.00' },
      { m: 'herbline', barcode: BAG.herb, bag_no: 1, status: 'ACCEPTED', remaining: '2.00' },
      { m: 'tealine', barcode: BAG.shippedA, bag_no: 1, status: 'DISPATCHED', remaining: '0.00' },
      { m: 'tealine', barcode: BAG.shippedB, bag_no: 2, status: 'DISPATCHED', remaining: '0.00' },
      { m: 'tealine', barcode: BAG.overAllocated, bag_no: 3, status: 'IN_PROCESS', remaining: '20.00' },
      { m: 'tealine', barcode: BAG.toMissingShipment, bag_no: 4, status: 'ACCEPTED', remaining: '50.00' },
    ]);
    // The originals' times: a dispatched bag left with its shipment's SHIPMENT_DISPATCHED event, a
    // processed one was used up by its last allocation (here an ingredient of batch BB-1/2000).
    const at = (ms: number) => new Date(ms);
    expect(state.bagTimes).toEqual(
      [
        { barcode: BAG.shippedA, processed_at: null, dispatched_at: at(1_717_200_003_000) },
        { barcode: BAG.shippedB, processed_at: null, dispatched_at: at(1_717_200_003_000) },
        { barcode: BAG.overAllocated, processed_at: null, dispatched_at: null },
        { barcode: BAG.toMissingShipment, processed_at: null, dispatched_at: null },
        { barcode: BAG.blendOutput, processed_at: null, dispatched_at: at(1_717_200_005_000) },
        { barcode: BAG.balance, processed_at: at(2000), dispatched_at: null },
      ].sort((a, b) => a.barcode.localeCompare(b.barcode)),
    );
    expect(state.batches).toEqual([{ item_code: 'BB-1', batch_no: 1, completed: true, trader_status: 'TRADER_ALLOWED' }]);
    // Shipment remainders follow from the parcels Tributary holds, not from the original's cache.
    expect(state.shipmentAllocations).toEqual([
      { barcode: BAG.shippedA, request_code: '1', shipment_code: 1, amount: '50.00', remaining: '25.00' },
      { barcode: BAG.shippedB, request_code: '1', shipment_code: 1, amount: '50.00', remaining: '50.00' },
      { barcode: BAG.blendOutput, request_code: '1', shipment_code: 2, amount: '50.00', remaining: '30.00' },
    ]);
  });

  it('--apply again changes nothing: 0 new, every row unchanged', async () => {
    const before = await businessState(orders.database, processing.database);
    const counts = { orders: await rowCounts(orders.database), processing: await rowCounts(processing.database) };
    const again = await runImport(importer(), options({ orders, processing }, true));
    expect(again.tables.every((t) => t.new === 0)).toBe(true);
    // What the first --apply wrote (or found already there) is now unchanged, table by table.
    expect(again.tables.map((t) => [t.sourceTable, t.unchanged])).toEqual(applied.tables.map((t) => [t.sourceTable, t.new + t.unchanged]));
    expect(findingRows(again)).toEqual(EXPECTED_FINDINGS);
    expect(again.checks[0]?.ok).toBe(true);
    expect(await businessState(orders.database, processing.database)).toEqual(before);
    const after = { orders: await rowCounts(orders.database), processing: await rowCounts(processing.database) };
    // Only the run itself is new.
    expect(after).toEqual({
      orders: { ...counts.orders, 'public.import_run': counts.orders['public.import_run']! + 1 },
      processing: { ...counts.processing, 'public.import_run': counts.processing['public.import_run']! + 1 },
    });
  });

  it('an import killed half-way continues where it stopped and ends as an uninterrupted one', async () => {
    const [orders2, processing2] = await Promise.all([create(), create()]);
    const child = spawn(
      process.execPath,
      [
        ...FROM_SOURCE,
        MAIN,
        '--data-dir',
        dataDir,
        'import',
        'mtp',
        '--orders-from',
        aws.url,
        '--processing-from',
        central.url,
        '--apply',
        '--chunk-size',
        '1',
        '--no-progress',
      ],
      {
        env: { ...process.env, ORDERS_DATABASE_URL: orders2.url, PROCESSING_DATABASE_URL: processing2.url, LOG_LEVEL: 'silent' },
        stdio: 'ignore',
      },
    );
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill once a few chunks of the request table are committed: the orders side is half done.
    for (;;) {
      const rows = await query<{ checkpoint: string }>(orders2.database, 'select checkpoint from import_run').catch(() => []);
      if (rows[0]?.checkpoint.includes('order_request')) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const [interrupted] = await query<{ status: string }>(orders2.database, 'select status from import_run');
    expect(interrupted?.status).toBe('running');
    expect((await query(processing2.database, 'select 1 from tealine_record')).length).toBe(0);

    const resumed = await runImport(importer(), options({ orders: orders2, processing: processing2 }, true, 50));
    expect(resumed.resumed).toEqual(['orders', 'processing']);
    expect(findingRows(resumed)).toEqual(EXPECTED_FINDINGS);
    expect(tableRows(resumed)).toEqual(tableRows(applied));
    expect(resumed.checks[0]?.ok).toBe(true);
    expect(await businessState(orders2.database, processing2.database)).toEqual(await businessState(orders.database, processing.database));
    const runs = await query<{ status: string }>(orders2.database, 'select status from import_run');
    expect(runs).toEqual([{ status: 'finished' }]);
  }, 90_000);

  it('shows the held-back rows and the decisions on the console', () => {
    const text = formatImportText(applied);
    expect(text.startsWith('Import mtp: APPLIED\n')).toBe(true);
    expect(text).toMatch(/^ {2}tealine_allocate_shipment +processing\.tealine_allocate_shipment +4 +2 +0 +0 +2 +0$/m);
    expect(text).toContain(`Findings (${EXPECTED_FINDINGS.length}):`);
    expect(text).toMatch(
      new RegExp(
        `^ {2}tealine_allocate_shipment +${BAG.overAllocated}/2/1 +bag_over_allocated +quarantined +held back: bag ${BAG.overAllocated} has 50\\.00 kg and 30\\.00 kg are allocated before this row$`,
        'm',
      ),
    );
    expect(text).toContain('ok   MTP reconciliation: 4 shipments, 2 allocation groups, 0 differences');
  });

  it('writes every finding to the CSV report with the decision and the original row', async () => {
    const csv = importReportCsv(applied);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('source,mode,service,source_table,source_key,fault,decision,action,detail');
    expect(lines).toHaveLength(EXPECTED_FINDINGS.length + 1);
    const over = lines.find((l) => l.includes('bag_over_allocated'))!;
    expect(over).toContain(`mtp,apply,processing,tealine_allocate_shipment,${BAG.overAllocated}/2/1,bag_over_allocated,quarantined,`);
    expect(over).toContain('""amount"":""25.00""');
    const file = join(dataDir, 'report.csv');
    const { writeImportReportCsv } = await import('../common/format.js');
    await writeImportReportCsv(file, applied);
    expect(await readFile(file, 'utf8')).toBe(csv);
  });
});
