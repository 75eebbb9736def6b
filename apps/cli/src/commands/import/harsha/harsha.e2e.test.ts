import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@tributary/platform/core';
import { sql, type Database } from '@tributary/platform/db';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillErp, fillGateway, fillSync, PLANTED } from './harsha.dataset.js';
import { createOriginals, ERP_DDL, GATEWAY_DDL, SYNC_DDL } from './harsha.originals.js';
import { importHarsha, type HarshaImportOptions } from './harsha.js';
import type { HarshaReport } from './report.js';
import { migrateCommand } from '../../migrate.js';

const EXPECTED_FAULTS = {
  COLUMN_SET_DOCTYPE: 2,
  COLUMN_SET_KNEX: 1,
  REQUIRED_VALUE_MISSING: 2,
  MISSING_PARENT: 5,
  MOVEMENT_CHAIN_BROKEN: 1,
  BATCH_BALANCE_MISMATCH: 3,
  NEGATIVE_STOCK: 1,
  PARENT_HELD_BACK: 4,
  MOVEMENT_TYPE_UNKNOWN: 1,
  PASSWORD_RESET_REQUIRED: 3,
  VALUE_OUT_OF_DOMAIN: 2,
  TWO_FACTOR_REENROL: 1,
  API_KEY_ROTATE: 3,
  RECOVERY_TIMEOUT_UNIT: 7,
  ROUTE_DUPLICATE_ACTIVE: 1,
  ROUTE_LIMIT_OUT_OF_RANGE: 1,
  CONFIG_NAME_TAKEN: 3,
};

/** Step → [rows read, rows held back, rows new per target table]. */
const EXPECTED_STEPS = {
  'erp:tabItem': [8, 0, { tabItem: 8 }],
  'erp:tabWarehouse': [3, 0, { tabWarehouse: 3 }],
  'erp:tabCustomer': [24, 0, { tabCustomer: 24 }],
  'erp:tabHD Customer Segment': [4, 0, { 'tabHD Customer Segment': 4 }],
  'erp:tabHD Customer Segment Assignment': [26, 2, { 'tabHD Customer Segment Assignment': 24 }],
  'erp:tabHD Batch Master': [400, 7, { 'tabHD Batch Master': 398, 'tabHD Batch Movement': 796 }],
  'erp:tabHD Batch Movement': [799, 1, {}],
  'erp:tabHD Dynamic Pricing Rule': [4, 0, { 'tabHD Dynamic Pricing Rule': 4 }],
  'erp:tabHD Pricing Rule Item': [4, 1, { 'tabHD Pricing Rule Item': 3 }],
  'erp:tabHD Volume Discount Slab': [3, 0, { 'tabHD Volume Discount Slab': 3 }],
  'gateway:api_users': [4, 0, { api_users: 4 }],
  'gateway:api_keys': [3, 0, { api_keys: 3 }],
  'gateway:service_routes': [7, 0, { service_routes: 7 }],
  'sync:sync_configurations': [4, 3, { sync_configurations: 1 }],
};

const EXPECTED_HELD_BACK = [
  ['quarantined', 'tabHD Customer Segment Assignment', PLANTED.orphanAssignmentCustomer, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Customer Segment Assignment', PLANTED.orphanAssignmentSegment, 'MISSING_PARENT'],
  ['refused', 'tabHD Batch Master', PLANTED.outOfOrder, 'NEGATIVE_STOCK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00007-1', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00007-2', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00009-2', 'MOVEMENT_TYPE_UNKNOWN'],
  ['quarantined', 'tabHD Batch Master', PLANTED.missingItem, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00011-1', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', 'HD-BMV-00011-2', 'PARENT_HELD_BACK'],
  ['quarantined', 'tabHD Batch Movement', PLANTED.orphanMovement, 'MISSING_PARENT'],
  ['quarantined', 'tabHD Pricing Rule Item', PLANTED.orphanRuleItem, 'MISSING_PARENT'],
  ['quarantined', 'sync_configurations', expect.any(String), 'CONFIG_NAME_TAKEN'],
  ['quarantined', 'sync_configurations', expect.any(String), 'CONFIG_NAME_TAKEN'],
  ['quarantined', 'sync_configurations', expect.any(String), 'CONFIG_NAME_TAKEN'],
];

const stepSummary = (report: HarshaReport) =>
  Object.fromEntries(
    report.steps.map((step) => [step.step, [step.read, step.heldBack, Object.fromEntries(step.tables.map((t) => [t.table, t.new]))]]),
  );
const heldBack = (report: HarshaReport) =>
  report.faults.filter((f) => f.decision !== 'fixed').map((f) => [f.decision, f.sourceTable, f.sourceKey, f.fault]);

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../..');
const [mariadb] = testDatabases({ dialects: ['mysql'] });
const [postgres] = testDatabases({ dialects: ['postgres'] });
const BATCHES = 400;
const CHUNK = 25;
if (!mariadb || !postgres) {
  process.stderr.write(
    '[tributary:test] import harsha skipped: the originals need TEST_MARIADB_URL (ERPNext) and TEST_POSTGRES_URL (gateway, sync)\n',
  );
}

describe.skipIf(!mariadb || !postgres)(
  'tributary import harsha: originals on MariaDB and PostgreSQL into erp (MariaDB), gateway and sync',
  () => {
    const opened: TestDatabase[] = [];
    let sources: { erp: TestDatabase; gateway: TestDatabase; sync: TestDatabase };
    let targets: { erp: TestDatabase; gateway: TestDatabase; sync: TestDatabase };
    let dataDir: string;
    let argon2Hash: string;
    const fresh = async (target: NonNullable<typeof mariadb>) => {
      const database = await target.create();
      opened.push(database);
      return database;
    };
    const env = () => ({
      ERP_DATABASE_URL: targets.erp.url,
      GATEWAY_DATABASE_URL: targets.gateway.url,
      SYNC_DATABASE_URL: targets.sync.url,
    });
    const run = (mode: 'dry-run' | 'apply', extra: Partial<HarshaImportOptions> = {}) =>
      importHarsha({
        erpFrom: sources.erp.url,
        gatewayFrom: sources.gateway.url,
        syncFrom: sources.sync.url,
        mode,
        chunkSize: CHUNK,
        progress: 'none',
        dataDir,
        env: env(),
        logger: createLogger({ name: 'import-test', level: 'warn' }),
        ...extra,
      });
    /** `command` as an operator starts it, every line of its output kept. */
    function startCli(args: string[]) {
      const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
        cwd: root,
        env: { ...process.env, ...env(), TRIBUTARY_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      const waiters: { pattern: RegExp; resolve: () => void }[] = [];
      const take = (chunk: Buffer) => {
        text += chunk.toString();
        for (const waiter of waiters.filter((w) => w.pattern.test(text))) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
        child.once('exit', (code, signal) => done({ code, signal })),
      );
      return {
        exited,
        kill: () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        },
        waitFor: (pattern: RegExp) =>
          new Promise<void>((done, fail) => {
            if (pattern.test(text)) return done();
            waiters.push({ pattern, resolve: done });
            void exited.then(() => fail(new Error(`exited before ${pattern}:\n${text}`)));
          }),
      };
    }
    /** Row counts of every table of the three targets. */
    const targetRows = async () => {
      const counts: Record<string, number> = {};
      for (const [name, target] of Object.entries(targets)) {
        for (const table of await tables(target)) {
          if (/_p(default|\d{6}|max)$/.test(table)) continue;
          counts[`${name}.${table}`] = await count(target.database, table);
        }
      }
      return counts;
    };
    const count = async (database: Database, table: string) =>
      Number(
        (
          await database.db
            .selectFrom(table)
            .select(sql<string>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const tables = async (database: TestDatabase) => {
      const filter = database.database.dialect === 'mysql' ? sql`table_schema = database()` : sql`table_schema = current_schema()`;
      const rows = await sql<{ t: string }>`select table_name as t from information_schema.tables where ${filter}`.execute(
        database.database.db,
      );
      return rows.rows.map((row) => row.t);
    };
    const sourceCounts = async () => ({
      batches: await count(sources.erp.database, 'tabHD Batch Master'),
      movements: await count(sources.erp.database, 'tabHD Batch Movement'),
      users: await count(sources.gateway.database, 'api_users'),
      configs: await count(sources.sync.database, 'sync_configurations'),
    });

    beforeAll(async () => {
      sources = { erp: await fresh(mariadb!), gateway: await fresh(postgres!), sync: await fresh(postgres!) };
      targets = { erp: await fresh(mariadb!), gateway: await fresh(postgres!), sync: await fresh(postgres!) };
      await createOriginals(sources.erp.database, ERP_DDL);
      await createOriginals(sources.gateway.database, GATEWAY_DDL);
      await createOriginals(sources.sync.database, SYNC_DDL);
      await fillErp(sources.erp.database, BATCHES);
      ({ argon2Hash } = await fillGateway(sources.gateway.database));
      await fillSync(sources.sync.database);
      dataDir = await mkdtemp(join(tmpdir(), 'tributary-import-harsha-'));
      // As an operator does before moving in: Tributary installed, its databases migrated.
      const logger = createLogger({ name: 'import-test', level: 'warn' });
      for (const [name, target] of Object.entries(targets)) {
        await migrateCommand(name, { dataDir, env: { [`${name.toUpperCase()}_DATABASE_URL`]: target.url } }, logger);
      }
    }, 120_000);

    afterAll(async () => {
      for (const database of opened) await database.destroy().catch(() => undefined);
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    it('a dry run reports every planted fault with its decision and writes nothing anywhere', async () => {
      const sourcesBefore = await sourceCounts();
      const targetsBefore = await targetRows();
      const report = await run('dry-run');
      expect(report.mode).toBe('dry-run');
      expect(report.byFault).toEqual(EXPECTED_FAULTS);
      expect(report.totals).toEqual({ read: 1293, new: 1282, unchanged: 0, heldBack: 14 });
      expect(report.decisions).toEqual({ fixed: 27, quarantined: 13, refused: 1 });
      expect(stepSummary(report)).toEqual(EXPECTED_STEPS);
      expect(heldBack(report)).toEqual(EXPECTED_HELD_BACK);
      expect(report.notImported).toEqual([{ table: 'sync_events', rows: 2, reason: expect.any(String) }]);
      expect(report.ledgerCheck).toBeNull();
      expect(report.newLogEntries).toBe(0);
      expect(await targetRows()).toEqual(targetsBefore);
      expect(await sourceCounts()).toEqual(sourcesBefore);
      expect(await readdir(dataDir)).toEqual([]);
    }, 120_000);

    it('--apply killed half way resumes where it stopped, and the result is complete and balanced', async () => {
      const child = startCli([
        'import',
        'harsha',
        '--erp-from',
        sources.erp.url,
        '--gateway-from',
        sources.gateway.url,
        '--sync-from',
        sources.sync.url,
        '--apply',
        '--chunk-size',
        String(CHUNK),
      ]);
      try {
        await child.waitFor(/(committed through HD-B-\d+[\s\S]*){3}/);
      } finally {
        child.kill();
      }
      expect((await child.exited).signal).toBe('SIGKILL');
      const interrupted = await targets.erp.database.db.selectFrom('import_run').select(['status']).execute();
      expect(interrupted.map((row) => row.status)).toEqual(['running']);
      const batchesAtKill = await count(targets.erp.database, 'tabHD Batch Master');
      expect(batchesAtKill).toBeGreaterThanOrEqual(3 * CHUNK - 2);
      expect(batchesAtKill).toBeLessThan(BATCHES - 2);

      const report = await run('apply', { reportCsv: join(dataDir, 'apply.csv') });
      expect(report.resumed).toBe(true);
      expect(report.byFault).toEqual(EXPECTED_FAULTS);
      expect(report.ledgerCheck).toEqual({ batches: 398, consistent: 398, inconsistent: [] });
      await expectImported();
    }, 180_000);

    it('--apply again changes nothing: every row unchanged, no new log entry', async () => {
      const before = await targetRows();
      const report = await run('apply');
      expect(report.resumed).toBe(false);
      expect(report.totals).toEqual({ read: 1293, new: 0, unchanged: 1282, heldBack: 14 });
      expect(report.newLogEntries).toBe(0);
      expect(report.ledgerCheck).toEqual({ batches: 398, consistent: 398, inconsistent: [] });
      const after = await targetRows();
      // The import's own runs table gains this run; nothing else moves.
      expect({ ...after, 'erp.import_run': 0, 'gateway.import_run': 0, 'sync.import_run': 0 }).toEqual({
        ...before,
        'erp.import_run': 0,
        'gateway.import_run': 0,
        'sync.import_run': 0,
      });
      await expectImported();
    }, 120_000);

    it('the CSV report lists every fault with its decision and the original row', async () => {
      const csv = (await readFile(join(dataDir, 'apply.csv'), 'utf8')).trim().split('\n');
      expect(csv[0]).toBe('source_table,source_key,fault,decision,rule,detail');
      expect(csv).toHaveLength(1 + 41);
      expect(csv.find((line) => line.startsWith(`tabHD Batch Master,${PLANTED.outOfOrder},NEGATIVE_STOCK,refused,`))).toBeDefined();
      const orphan = csv.find((line) => line.startsWith(`tabHD Batch Movement,${PLANTED.orphanMovement},MISSING_PARENT,quarantined,`));
      expect(orphan).toContain('HD-B-DELETED');
      expect(csv.join('\n')).not.toMatch(/\$2b\$|JBSWY3DPEHPK3PXP/);
    });

    async function expectImported(): Promise<void> {
      const erp = targets.erp.database;
      const expected: Record<string, number> = {
        tabItem: 8,
        tabWarehouse: 3,
        tabCustomer: 24,
        'tabHD Customer Segment': 4,
        'tabHD Customer Segment Assignment': 24,
        'tabHD Batch Master': 398,
        'tabHD Batch Movement': 796,
        'tabHD Dynamic Pricing Rule': 4,
        'tabHD Pricing Rule Item': 3,
        'tabHD Volume Discount Slab': 3,
      };
      for (const [table, rows] of Object.entries(expected)) expect([table, await count(erp, table)]).toEqual([table, rows]);
      const batch = (name: string) =>
        erp.db.selectFrom('tabHD Batch Master').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
      const mismatch = await batch(PLANTED.balanceMismatch);
      expect([mismatch.batch_id, mismatch.available_qty, mismatch.movement_seq]).toEqual([PLANTED.balanceMismatch, '85.625000', 3]);
      const adjustment = await erp.db
        .selectFrom('tabHD Batch Movement')
        .selectAll()
        .where('name', '=', `${PLANTED.balanceMismatch}-IMPORT-ADJ`)
        .executeTakeFirstOrThrow();
      expect([adjustment.movement_type, adjustment.qty_before, adjustment.qty_change, adjustment.qty_after]).toEqual([
        'ADJUSTMENT',
        '90.125000',
        '-4.500000',
        '85.625000',
      ]);
      const broken = await erp.db
        .selectFrom('tabHD Batch Movement')
        .selectAll()
        .where('name', '=', 'HD-BMV-00003-2')
        .executeTakeFirstOrThrow();
      expect([broken.seq, broken.movement_type, broken.qty_before, broken.qty_after]).toEqual([
        2,
        'CONSUMPTION',
        '103.250000',
        '90.125000',
      ]);
      expect(
        await erp.db
          .selectFrom('tabHD Batch Master')
          .select('name')
          .where('name', 'in', [PLANTED.outOfOrder, PLANTED.missingItem])
          .execute(),
      ).toEqual([]);
      const assignment = await erp.db
        .selectFrom('tabHD Customer Segment Assignment')
        .selectAll()
        .where('name', '=', 'HD-CSA-0001')
        .executeTakeFirstOrThrow();
      expect([assignment.effective_from, assignment.assignment_type]).toEqual(['2026-01-03', 'Manual']);
      const festival = await erp.db
        .selectFrom('tabHD Customer Segment')
        .selectAll()
        .where('name', '=', 'FESTIVAL')
        .executeTakeFirstOrThrow();
      expect([festival.is_active, festival.minimum_order_amount, festival.priority_level]).toEqual([0, '50000.000000', 4]);

      const gateway = targets.gateway.database;
      const users = await gateway.db.selectFrom('api_users').select(['user_id', 'password_hash', 'is_locked', 'rate_limit_tier']).execute();
      expect(new Map(users.map((u) => [u.user_id, [u.is_locked, u.rate_limit_tier]]))).toEqual(
        new Map([
          ['admin_001', [false, 'unlimited']],
          [PLANTED.argon2User, [false, 'standard']],
          [PLANTED.twoFactorUser, [true, 'standard']],
          [PLANTED.badTierUser, [false, 'standard']],
        ]),
      );
      expect(users.find((u) => u.user_id === PLANTED.argon2User)?.password_hash).toBe(argon2Hash);
      const keys = await gateway.db.selectFrom('api_keys').select(['key_id', 'is_active', 'total_requests']).orderBy('key_id').execute();
      expect(keys.map((k) => [k.key_id, k.is_active, k.total_requests])).toEqual([
        ['10000000-0000-4000-8000-000000000001', false, '0'],
        ['10000000-0000-4000-8000-000000000002', false, '48210'],
        ['10000000-0000-4000-8000-000000000003', false, '0'],
      ]);
      const routes = await gateway.db
        .selectFrom('service_routes')
        .select(['route_id', 'is_active', 'recovery_timeout_ms', 'timeout_seconds', 'retry_attempts'])
        .orderBy('route_id')
        .execute();
      expect(
        routes.map((r) => [String(r.route_id).slice(-1), r.is_active, r.recovery_timeout_ms, r.timeout_seconds, r.retry_attempts]),
      ).toEqual([
        ['1', true, 60000, 30, 3],
        ['2', true, 60000, 30, 3],
        ['3', true, 60000, 15, 3],
        ['4', true, 60000, 30, 3],
        ['5', true, 60000, 30, 3],
        ['6', false, 30000, 30, 3],
        ['7', true, 60000, 300, 5],
      ]);
      const configs = await targets.sync.database.db
        .selectFrom('sync_configurations')
        .select(['config_name', 'sync_frequency'])
        .where('created_by', '=', 'admin_001')
        .execute();
      expect(configs).toEqual([{ config_name: 'Price_List_Sync', sync_frequency: 'on_demand' }]);
      const log = await erp.db.selectFrom('import_log').select(['source_table', 'source_key', 'fault', 'decision']).execute();
      expect(log).toHaveLength(20);
      expect(log).toContainEqual({
        source_table: 'tabHD Batch Master',
        source_key: PLANTED.outOfOrder,
        fault: 'NEGATIVE_STOCK',
        decision: 'refused',
      });
    }
  },
);
