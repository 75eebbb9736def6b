import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '@tributary/platform/core';
import { asSchema, sql, type Database, type Kysely } from '@tributary/platform/db';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import argon2 from 'argon2';
import { gatewayFieldCipher, UsersRepository } from '@tributary/gateway/encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillErp, fillGateway, fillSync, PLANTED } from './harsha.dataset.js';
import { createOriginals, ERP_DDL, GATEWAY_DDL, SYNC_DDL } from './harsha.originals.js';
import { outputImportReport, runImport } from '../common/command.js';
import type { ImportReport } from '../common/report.js';
import { EXPECTED_FAULTS, EXPECTED_HELD_BACK, EXPECTED_TABLES, summarise } from './harsha.expected.js';
import { harshaImporter } from './harsha.js';
import { migrateCommand } from '../../migrate.js';

type GatewaySchema = ConstructorParameters<typeof UsersRepository>[0] extends Kysely<infer DB> ? DB : never;

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

const sum = (tables: Record<string, number[]>, column: number) => Object.values(tables).reduce((total, row) => total + row[column]!, 0);
const check = (report: ImportReport, name: string) => report.checks.find((c) => c.name === name);
const ledgerClean = { batches: 398, consistent: 398, inconsistent: [] };

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
    const run = (mode: 'dry-run' | 'apply', where: { dataDir?: string; env?: Record<string, string> } = {}) =>
      runImport(harshaImporter({ erpUrl: sources.erp.url, gatewayUrl: sources.gateway.url, syncUrl: sources.sync.url }), {
        dataDir: where.dataDir ?? dataDir,
        env: where.env ?? env(),
        logger: createLogger({ name: 'import-test', level: 'warn' }),
        apply: mode === 'apply',
        chunkSize: CHUNK,
        progress: false,
      });
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
      const summary = summarise(report);
      expect(summary.byFault).toEqual(EXPECTED_FAULTS);
      expect(summary.tables).toEqual(EXPECTED_TABLES);
      expect(summary.heldBack).toEqual(EXPECTED_HELD_BACK);
      expect(check(report, 'sync history not imported')?.data).toEqual({ sync_events: 2 });
      expect(check(report, 'erp batch ledger')).toBeUndefined();
      expect(report.runs).toEqual({});
      expect(await targetRows()).toEqual(targetsBefore);
      expect(await sourceCounts()).toEqual(sourcesBefore);
      expect(await readdir(dataDir)).toEqual([]);
    }, 120_000);

    it('--apply killed half way resumes where it stopped, and the result is complete and balanced', async () => {
      const args = [
        'import',
        'harsha',
        '--erp-from',
        sources.erp.url,
        '--gateway-from',
        sources.gateway.url,
        '--sync-from',
        sources.sync.url,
      ];
      const child = spawn(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          'apps/cli/src/main.ts',
          ...args,
          '--apply',
          '--chunk-size',
          String(CHUNK),
          '--no-progress',
        ],
        { cwd: root, env: { ...process.env, ...env(), TRIBUTARY_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, stdio: 'ignore' },
      );
      const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
      // Killed (no chance to clean up) once a few chunks of batches are committed.
      while ((await count(targets.erp.database, 'tabHD Batch Master').catch(() => 0)) < 3 * CHUNK - 2) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const interrupted = await targets.erp.database.db.selectFrom('import_run').select(['status']).execute();
      expect(interrupted.map((row) => row.status)).toEqual(['running']);
      expect(await count(targets.erp.database, 'tabHD Batch Master')).toBeLessThan(BATCHES - 2);

      const report = await run('apply');
      await outputImportReport(report, { reportCsv: join(dataDir, 'apply.csv') }, { write: () => true });
      expect([...report.resumed].sort()).toEqual(['erp', 'gateway', 'sync']);
      // The whole import, the part before the kill included, as an uninterrupted run reports it;
      // only the movements written with their batch before the kill count as already there.
      const summary = summarise(report);
      expect(summary.byFault).toEqual(EXPECTED_FAULTS);
      expect(summary.heldBack).toEqual(EXPECTED_HELD_BACK);
      const { 'tabHD Batch Movement': movements, 'tabHD Batch Consumption Log': consumed, ...others } = summary.tables;
      const {
        'tabHD Batch Movement': expectedMovements,
        'tabHD Batch Consumption Log': expectedConsumed,
        ...expectedOthers
      } = EXPECTED_TABLES;
      expect(others).toEqual(expectedOthers);
      expect(movements![1]! + movements![2]!).toBe(expectedMovements![1]!);
      expect(consumed![1]! + consumed![2]!).toBe(expectedConsumed![1]!);
      expect(check(report, 'erp batch ledger')).toMatchObject({ ok: true, data: ledgerClean });
      expect(await count(targets.erp.database, 'import_log')).toBe(38);
      await expectImported();
    }, 180_000);

    it('--apply again changes nothing: every row unchanged, no new log entry', async () => {
      const before = await targetRows();
      const report = await run('apply');
      expect(report.resumed).toEqual([]);
      const { totals } = summarise(report);
      expect(totals.new).toBe(0);
      expect(totals.unchanged).toBe(sum(EXPECTED_TABLES, 1) + sum(EXPECTED_TABLES, 2));
      expect(check(report, 'erp batch ledger')).toMatchObject({ ok: true, data: ledgerClean });
      const after = await targetRows();
      // The import's own runs table gains this run; nothing else moves.
      for (const service of ['erp', 'gateway', 'sync']) {
        expect(after[`${service}.import_run`]).toBe(before[`${service}.import_run`]! + 1);
        after[`${service}.import_run`] = before[`${service}.import_run`]!;
      }
      expect(after).toEqual(before);
      await expectImported();
    }, 120_000);

    it('the CSV report lists every fault with its decision and the original row', async () => {
      const csv = (await readFile(join(dataDir, 'apply.csv'), 'utf8')).trim().split('\r\n');
      expect(csv[0]).toBe('source,mode,service,source_table,source_key,fault,decision,action,detail');
      expect(csv).toHaveLength(1 + 59);
      expect(
        csv.find((line) => line.startsWith(`harsha,apply,erp,tabHD Batch Master,${PLANTED.outOfOrder},NEGATIVE_STOCK,refused,`)),
      ).toBeDefined();
      const orphan = csv.find((line) =>
        line.startsWith(`harsha,apply,erp,tabHD Batch Movement,${PLANTED.orphanMovement},MISSING_PARENT,quarantined,`),
      );
      expect(orphan).toContain('HD-B-DELETED');
      expect(csv.join('\n')).not.toMatch(/\$2b\$|JBSWY3DPEHPK3PXP/);
    });

    it('the gateway takes the imported users over: seals their e-mail at start-up, finds them by it, verifies a kept argon2 hash', async () => {
      const database = targets.gateway.database;
      const cipher = await gatewayFieldCipher({
        env: { GATEWAY_SECRET_KEY: 'import-test-gateway-secret' },
        credentials: { accessKeyId: 'gateway', secretAccessKey: 'unused' },
        database,
      });
      const users = new UsersRepository(asSchema<GatewaySchema>(database).db, cipher);
      expect(await users.encryptExisting()).toBe(4);
      const stored = await database.db
        .selectFrom('api_users')
        .select(['email'])
        .where('user_id', '=', PLANTED.argon2User)
        .executeTakeFirstOrThrow();
      expect(String(stored.email)).toMatch(/^enc:v1:/);
      const manager = await users.findByLogin('nimal.perera@harshadelights.lk');
      expect(manager?.user_id).toBe(PLANTED.argon2User);
      expect(await argon2.verify(manager!.password_hash, 'Manager#2026')).toBe(true);
      const admin = await users.findByLogin('admin');
      expect(await argon2.verify(admin!.password_hash, 'anything').catch(() => false)).toBe(false);
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
        'tabHD Batch Movement': 813,
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
      const consumedOnly = await erp.db
        .selectFrom('tabHD Batch Movement')
        .select(['name', 'seq', 'movement_type', 'qty_change', 'qty_after'])
        .where('batch_id', '=', 'HD-B-00021')
        .orderBy('seq')
        .execute();
      expect(consumedOnly.map((m) => [m.name, m.seq, m.movement_type, m.qty_change, m.qty_after])).toEqual([
        ['HD-B-00021-IMPORT-OPEN', 1, 'RECEIPT', '121.250000', '121.250000'],
        ['HD-BCL-00021-1', 2, 'CONSUMPTION', '-10.125000', '111.125000'],
        ['HD-BCL-00021-2', 3, 'CONSUMPTION', '-5.000000', '106.125000'],
        ['HD-B-00021-IMPORT-ADJ', 4, 'ADJUSTMENT', '-15.125000', '91.000000'],
      ]);
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
      expect(log).toHaveLength(38);
      expect(log).toContainEqual({
        source_table: 'tabHD Batch Master',
        source_key: PLANTED.outOfOrder,
        fault: 'NEGATIVE_STOCK',
        decision: 'refused',
      });
    }
  },
);
