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
import { EXPECTED_FAULTS, EXPECTED_HELD_BACK, EXPECTED_STEPS, heldBack, stepSummary } from './harsha.expected.js';
import { importHarsha, type HarshaImportOptions } from './harsha.js';
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
    /** Runs the CLI as an operator does and kills it (SIGKILL, no chance to clean up) once its output matches. */
    const killWhen = (args: string[], pattern: RegExp) =>
      new Promise<string>((done, fail) => {
        const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'apps/cli/src/main.ts', ...args], {
          cwd: root,
          env: { ...process.env, ...env(), TRIBUTARY_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        const take = (chunk: Buffer) => {
          output += chunk.toString();
          if (pattern.test(output) && child.signalCode === null) child.kill('SIGKILL');
        };
        child.stdout.on('data', take);
        child.stderr.on('data', take);
        child.once('exit', (code, signal) =>
          signal === 'SIGKILL' ? done(output) : fail(new Error(`exited (${code}) before ${pattern}:\n${output}`)),
        );
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
      // TEMPORARY-IMPORT-LOG
      for (const target of Object.values(targets)) {
        const text = target.database.dialect === 'mysql' ? 'longtext' : 'text';
        const at = target.database.dialect === 'mysql' ? 'datetime(6)' : 'timestamptz';
        await sql
          .raw(
            `create table import_run (id varchar(36) primary key, source varchar(10) not null, mode varchar(10) not null, started_at ${at} not null, finished_at ${at}, status varchar(20) not null, checkpoint ${text}, summary ${text})`,
          )
          .execute(target.database.db);
        await sql
          .raw(
            `create table import_log (id varchar(36) primary key, run_id varchar(36) not null, source varchar(10) not null, source_table varchar(140) not null, source_key varchar(140) not null, fault varchar(40) not null, decision varchar(20) not null, detail ${text} not null, created_at ${at} not null, unique (source, source_table, source_key, fault))`,
          )
          .execute(target.database.db);
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
      const output = await killWhen([...args, '--apply', '--chunk-size', String(CHUNK)], /(committed through HD-B-\d+[\s\S]*){3}/);
      expect(output).toContain('import harsha: erp:tabHD Batch Master (400 rows)');
      const interrupted = await targets.erp.database.db.selectFrom('import_run').select(['status']).execute();
      expect(interrupted.map((row) => row.status)).toEqual(['running']);
      const batchesAtKill = await count(targets.erp.database, 'tabHD Batch Master');
      expect(batchesAtKill).toBeGreaterThanOrEqual(3 * CHUNK - 2);
      expect(batchesAtKill).toBeLessThan(BATCHES - 2);

      const report = await run('apply', { reportCsv: join(dataDir, 'apply.csv') });
      expect(report.resumed).toBe(true);
      // The whole import, the part before the kill included, as one uninterrupted run reports it.
      expect(report.byFault).toEqual(EXPECTED_FAULTS);
      expect(stepSummary(report)).toEqual(EXPECTED_STEPS);
      expect(report.totals).toEqual({ read: 1293, new: 1282, unchanged: 0, heldBack: 14 });
      expect(report.newLogEntries).toBeLessThan(41);
      expect(await count(targets.erp.database, 'import_log')).toBe(20);
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

    it('into the embedded databases (PGlite) as well: applied once, then nothing new', async () => {
      const embedded = await mkdtemp(join(tmpdir(), 'tributary-import-harsha-embedded-'));
      try {
        const first = await run('apply', { dataDir: embedded, env: {} });
        expect(first.totals).toEqual({ read: 1293, new: 1282, unchanged: 0, heldBack: 14 });
        expect(first.ledgerCheck).toEqual({ batches: 398, consistent: 398, inconsistent: [] });
        expect((await readdir(embedded)).sort()).toEqual(['erp', 'gateway', 'sync']);
        const again = await run('apply', { dataDir: embedded, env: {} });
        expect(again.totals).toEqual({ read: 1293, new: 0, unchanged: 1282, heldBack: 14 });
        expect(again.newLogEntries).toBe(0);
      } finally {
        await rm(embedded, { recursive: true, force: true });
      }
    }, 180_000);

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
