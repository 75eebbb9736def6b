import { asDynamic, sql } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { signedInject, testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations/index.js';
import { type Harness, masters, ok, startHarness } from './harness.js';
import { counts, received } from './orders-fixtures.js';

const at = (iso: string) => new Date(iso);
const std = (name: string, when: Date) => ({ name, creation: when, modified: when, docstatus: 1, idx: 0 });

/**
 * Rows written before the ledger and the pricing log were partitioned (migration 0010): batch
 * OLD-B with a receipt in January, a consumption in February and one in March, and a pricing
 * rule applied in January and March.
 */
async function historyBeforePartitions(handle: TestDatabase): Promise<void> {
  await migrateToLatest(
    handle.database,
    migrations.filter((m) => m.name < '0010'),
  );
  // The columns left to their defaults are not in the insert types: written as raw rows.
  const db = asDynamic(handle.database.db);
  const jan = at('2026-01-15T10:00:00Z');
  await db
    .insertInto('tabItem')
    .values({ ...std('OLD-1', jan), item_code: 'OLD-1' })
    .execute();
  await db
    .insertInto('tabWarehouse')
    .values({ ...std('WH-OLD', jan), warehouse_name: 'WH-OLD' })
    .execute();
  await db
    .insertInto('tabHD Batch Master')
    .values({
      ...std('OLD-B', jan),
      batch_id: 'OLD-B',
      item: 'OLD-1',
      warehouse: 'WH-OLD',
      manufacturing_date: '2026-01-10',
      expiry_date: '2026-12-31',
      total_qty: '10',
      available_qty: '5',
      sold_qty: '5',
      movement_seq: 3,
    })
    .execute();
  const moves: [string, string, string, string][] = [
    ['2026-01-15T10:00:00Z', 'RECEIPT', '0', '10'],
    ['2026-02-10T10:00:00Z', 'CONSUMPTION', '10', '-3'],
    ['2026-03-05T10:00:00Z', 'CONSUMPTION', '7', '-2'],
  ];
  for (const [index, [when, type, before, change]] of moves.entries())
    await db
      .insertInto('tabHD Batch Movement')
      .values({
        ...std(`OLD-M${index + 1}`, at(when)),
        batch_id: 'OLD-B',
        seq: index + 1,
        movement_type: type,
        movement_date: at(when),
        item_code: 'OLD-1',
        warehouse: 'WH-OLD',
        qty_before: before,
        qty_change: change,
        qty_after: String(Number(before) + Number(change)),
      })
      .execute();
  await db
    .insertInto('tabHD Dynamic Pricing Rule')
    .values({
      ...std('OLD-RULE', jan),
      rule_code: 'OLD-RULE',
      rule_name: 'old',
      rule_type: 'Promotional',
      valid_from: jan,
      apply_on: 'Item Code',
      applicable_for: 'All Customers',
    })
    .execute();
  for (const when of ['2026-01-20T10:00:00Z', '2026-03-02T10:00:00Z'])
    await db
      .insertInto('tabHD Pricing Rule Application')
      .values({
        ...std(`OLD-A-${when.slice(5, 7)}`, at(when)),
        pricing_rule: 'OLD-RULE',
        applied_on_doctype: 'Quotation',
        applied_on_name: 'Q-OLD',
        application_date: at(when),
        line_no: 1,
        price_snapshot: '{}',
      })
      .execute();
}

/** Rows in one month's partition, read through the partition itself. */
async function rowsIn(h: Harness, table: string, month: string): Promise<number> {
  const suffix = month.replace('-', '');
  const db = h.handle.database.db;
  const query =
    h.handle.database.dialect === 'mysql'
      ? sql<{ n: string | number }>`select count(*) as n from ${sql.table(table)} partition (${sql.id(`p${suffix}`)})`
      : sql<{ n: string | number }>`select count(*) as n from ${sql.table(`${table}_p${suffix}`)}`;
  return Number((await query.execute(db)).rows[0]!.n);
}

const LEDGER = 'tabHD Batch Movement';
const LOG = 'tabHD Pricing Rule Application';

for (const target of testDatabases()) {
  describe(`${target.label}: monthly partitions of the ledger and the pricing log`, () => {
    let h: Harness;
    const maintain = () => ok(h.call('POST', '/maintenance/partitions'));
    const ledgerCheck = (batch: string) => ok(h.call('GET', `/batches/${batch}/ledger-check`));
    const table = (report: any, name: string) => report.tables.find((t: any) => t.table === name);

    beforeAll(async () => {
      h = await startHarness(
        target,
        { LEDGER_RETENTION_MONTHS: '1', PRICING_LOG_RETENTION_MONTHS: '1' },
        { beforeLatest: historyBeforePartitions },
      );
      await masters(h);
    });
    afterAll(async () => h.close());

    it('the migration keeps every row, each in its month', async () => {
      expect(await counts(h)).toMatchObject({ [LEDGER]: 3, [LOG]: 2 });
      for (const month of ['2026-01', '2026-02', '2026-03']) expect(await rowsIn(h, LEDGER, month)).toBe(1);
      expect([await rowsIn(h, LOG, '2026-01'), await rowsIn(h, LOG, '2026-02'), await rowsIn(h, LOG, '2026-03')]).toEqual([1, 0, 1]);
      expect(await ledgerCheck('OLD-B')).toMatchObject({ movements: 3, ledger_sum: '5', consistent: true });
      const analytics = await ok(h.call('GET', '/pricing/rules/OLD-RULE/analytics'));
      expect(analytics.usage_count).toBe(2);
    });

    it('maintenance makes the months ahead and drops those past retention, the ledger carrying its balance forward', async () => {
      const report = await maintain();
      expect(table(report, LEDGER)).toMatchObject({
        retention_months: 1,
        created: ['2026-04', '2026-05', '2026-06'],
        dropped: ['2026-01'],
        openings_carried: 1,
        months: ['2026-02', '2026-03', '2026-04', '2026-05', '2026-06'],
      });
      expect(table(report, LOG)).toMatchObject({ created: ['2026-04', '2026-05', '2026-06'], dropped: ['2026-01'] });
      expect(await counts(h)).toMatchObject({ [LEDGER]: 2, [LOG]: 1 });
      expect(await ledgerCheck('OLD-B')).toMatchObject({
        movements: 2,
        ledger_sum: '5',
        opening: { seq: 1, balance: '10', through: '2026-02-01T00:00:00.000Z' },
        consistent: true,
      });
      // A second run finds nothing to do.
      expect(table(await maintain(), LEDGER)).toMatchObject({ created: [], dropped: [] });
    });

    it('new rows land in their month; a row no month was made for is caught, then moved into its month', async () => {
      await received(h, { batch_id: 'P-1', qty: '10', expiry_date: '2026-12-01' });
      h.clock.set(Date.parse('2026-05-20T06:30:00Z'));
      await ok(h.call('POST', '/batches/P-1/adjustments', { qty_change: '-4', reason: 'damaged' }), 201);
      expect([await rowsIn(h, LEDGER, '2026-03'), await rowsIn(h, LEDGER, '2026-05')]).toEqual([2, 1]);
      // Read across partitions: the batch's movements span March and May.
      expect((await ok(h.call('GET', '/batches/P-1/movements'))).data.map((m: any) => m.seq)).toEqual([1, 2]);

      h.clock.set(Date.parse('2026-09-15T06:30:00Z'));
      await ok(h.call('POST', '/batches/P-1/adjustments', { qty_change: '-1', reason: 'sample' }), 201);
      const before = (await counts(h))[LEDGER]!;
      const report = table(await maintain(), LEDGER);
      expect(report.created[0]).toBe('2026-09');
      expect(report.dropped).toEqual(['2026-02', '2026-03', '2026-04', '2026-05', '2026-06']);
      expect(await rowsIn(h, LEDGER, '2026-09')).toBe(1);
      expect((await counts(h))[LEDGER]).toBe(before - 4);
      for (const batch of ['OLD-B', 'P-1']) expect((await ledgerCheck(batch)).consistent).toBe(true);
      expect(await ledgerCheck('P-1')).toMatchObject({ movements: 1, opening: { seq: 2, balance: '6' }, available_qty: '5' });
    });

    it('is for managers and administrators', async () => {
      const analyst = await signedInject(h.app, {
        method: 'POST',
        url: '/maintenance/partitions',
        identity: { user: 'reader', roles: ['analyst'] },
      });
      expect([analyst.statusCode, analyst.json().code]).toEqual([403, 'ROLE_FORBIDDEN']);
    });
  });
}
