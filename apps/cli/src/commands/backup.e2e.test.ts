import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@tributary/platform/core';
import { createDatabase, type DialectName } from '@tributary/platform/db';
import { migrateToLatest } from '@tributary/platform/migrate';
import { testDatabases, testKeyring, testServiceContext, type TestDatabase, type TestDatabaseTarget } from '@tributary/platform/testing';
import { openServiceDatabase, pgliteTemplateOnce } from '../databases.js';
import { loadService } from '../services.js';
import { backupCommand } from './backup.js';
import { reconcileMtpCommand } from './reconcile.js';
import { shipmentFlow, startMtpPair, type MtpPair } from './reconcile-mtp.support.js';
import { restoreCommand } from './restore.js';

/**
 * backup → wipe → restore on each kind of database, with real pg_dump / mariadb-dump and real
 * files: the restored databases match the manifest (counts, table digests, migration level) and
 * the MTP pair reconciles at zero on them.
 */
const logger = silentLogger();
const keyring = testKeyring();
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tributary-backup-'));
  await writeFile(join(root, 'keyring.json'), JSON.stringify(keyring), { mode: 0o600 });
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** Hands startMtpPair the databases `open` gives for orders, then processing, in turn. */
function targetOf(dialect: DialectName, open: (service: string) => Promise<TestDatabase>): TestDatabaseTarget {
  let n = 0;
  return { dialect, label: dialect, create: () => open(n++ % 2 === 0 ? 'orders' : 'processing') };
}

/** Differences of the MTP reconciliation of a running pair, as `tributary reconcile mtp` reports them. */
async function reconcile(mtp: MtpPair) {
  const env = {
    ORDERS_PORT: new URL(mtp.orders.url).port,
    PROCESSING_PORT: new URL(mtp.processing.url).port,
    TRIBUTARY_KEYRING_FILE: join(root, 'keyring.json'),
  };
  return (await reconcileMtpCommand({ dataDir: root, env, pageSize: 100, maxDifferences: 10, progress: false })).summary;
}

/** One shipped order across the pair, reconciled at zero before the backup. */
async function fillMtp(target: TestDatabaseTarget, tag: string): Promise<void> {
  const mtp = await startMtpPair(target);
  try {
    await shipmentFlow(mtp, tag, () => mtp.sync());
    expect(await reconcile(mtp)).toMatchObject({ shipments: 1, differences: 0 });
  } finally {
    await mtp.close();
  }
}

async function reconcileRestored(target: TestDatabaseTarget): Promise<void> {
  const mtp = await startMtpPair(target);
  try {
    expect(await reconcile(mtp)).toMatchObject({ shipments: 1, allocationGroups: 1, differences: 0 });
  } finally {
    await mtp.close();
  }
}

const verified = (report: Awaited<ReturnType<typeof restoreCommand>>) => report.services.map((s) => [s.service, s.differences]);

describe('embedded: tributary backup / restore of PGlite directories', () => {
  it('round trip into an empty data directory, reconciled at zero; a non-empty target, a tampered and a partial backup are refused', async () => {
    const dataDir = join(root, 'embedded');
    const template = pgliteTemplateOnce();
    const target = targetOf('pglite', async (service) => {
      const { database } = await openServiceDatabase(service, dataDir, {}, logger, template);
      return { database, url: `pglite://${join(dataDir, service)}`, destroy: () => database.close() };
    });
    await fillMtp(target, 'EMB');

    const to = join(root, 'embedded-backup');
    const manifest = await backupCommand({ to, dataDir, env: {}, logger });
    expect(Object.keys(manifest.services)).toEqual(['orders', 'processing']);
    expect(manifest.services.orders!.tables.order_shipment?.rows).toBeGreaterThan(0);
    expect(Object.keys(manifest.files).sort()).toEqual(['orders.tar.gz', 'processing.tar.gz']);

    await rm(dataDir, { recursive: true });
    const report = await restoreCommand({ from: to, dataDir, env: {}, logger });
    expect(verified(report)).toEqual([
      ['orders', []],
      ['processing', []],
    ]);
    expect(report.services.map((s) => s.migration)).toEqual([
      manifest.services.orders!.migrations.at(-1),
      manifest.services.processing!.migrations.at(-1),
    ]);
    await reconcileRestored(target);

    await expect(restoreCommand({ from: to, dataDir, env: {}, logger })).rejects.toMatchObject({ code: 'TARGET_NOT_EMPTY', exitCode: 73 });

    const file = join(to, 'processing.tar.gz');
    const bytes = await readFile(file);
    const middle = bytes.length >> 1;
    bytes[middle] = bytes[middle]! ^ 0xff;
    await writeFile(file, bytes);
    const elsewhere = join(root, 'embedded-untouched');
    await expect(restoreCommand({ from: to, dataDir: elsewhere, env: {}, logger })).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
      exitCode: 65,
      message: expect.stringContaining('processing.tar.gz does not match its checksum'),
    });

    await rm(join(to, 'manifest.json'));
    await expect(restoreCommand({ from: to, dataDir: elsewhere, env: {}, logger })).rejects.toMatchObject({
      code: 'NOT_A_BACKUP',
      exitCode: 65,
    });
    // PGlite writes through to its directory files: this flow is several times slower than on a server.
  }, 180_000);
});

for (const base of testDatabases({ dialects: ['postgres'] })) {
  describe('postgres: tributary backup / restore with pg_dump and pg_restore', () => {
    const made: TestDatabase[] = [];
    const fresh = async () => {
      const handle = await base.create();
      made.push(handle);
      return handle;
    };
    afterAll(() => Promise.allSettled(made.map((handle) => handle.destroy())));

    it('round trip into empty databases, reconciled at zero; a non-empty target only with --force', async () => {
      // The pair closes its handles; the databases stay until the end of the suite.
      const [orders, processing] = [await fresh(), await fresh()];
      const original = { orders, processing } as Record<string, TestDatabase>;
      await fillMtp(
        targetOf('postgres', async (service) => ({ ...original[service]!, destroy: async () => undefined })),
        'PG',
      );
      const envOf = (o: TestDatabase, p: TestDatabase) => ({
        ORDERS_DATABASE_URL: o.url,
        PROCESSING_DATABASE_URL: p.url,
        DATABASE_WAIT_SECONDS: '0',
      });
      const to = join(root, 'postgres-backup');
      const dataDir = join(root, 'no-embedded');
      const manifest = await backupCommand({ to, dataDir, env: envOf(orders, processing), logger });
      expect(Object.keys(manifest.files).sort()).toEqual(['orders.pgdump', 'processing.pgdump']);
      expect(manifest.services.processing!.tool).toMatch(/^pg_dump/);

      const [orders2, processing2] = [await fresh(), await fresh()];
      const restored = { orders: orders2, processing: processing2 } as Record<string, TestDatabase>;
      expect(verified(await restoreCommand({ from: to, dataDir, env: envOf(orders2, processing2), logger }))).toEqual([
        ['orders', []],
        ['processing', []],
      ]);
      await reconcileRestored(
        targetOf('postgres', async (service) => {
          const database = await createDatabase(restored[service]!.url);
          return { database, url: restored[service]!.url, destroy: () => database.close() };
        }),
      );

      await expect(restoreCommand({ from: to, dataDir, env: envOf(orders, processing), logger })).rejects.toMatchObject({
        code: 'TARGET_NOT_EMPTY',
        exitCode: 73,
      });
      const forced = await restoreCommand({ from: to, dataDir, env: envOf(orders, processing), logger, force: true });
      expect(verified(forced)).toEqual([
        ['orders', []],
        ['processing', []],
      ]);
    });

    it('an unreachable database and a missing pg_dump are refused with their exit codes', async () => {
      const env = { ORDERS_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', DATABASE_WAIT_SECONDS: '0' };
      await expect(backupCommand({ to: join(root, 'unreachable'), dataDir: root, env, logger })).rejects.toMatchObject({
        code: 'DATABASE_UNREACHABLE',
        exitCode: 69,
      });
      const path = process.env.PATH;
      process.env.PATH = join(root, 'no-tools');
      try {
        await expect(backupCommand({ to: join(root, 'no-tool'), dataDir: root, env, logger })).rejects.toMatchObject({
          code: 'TOOL_MISSING',
          exitCode: 72,
          message: expect.stringContaining('pg_dump is not installed'),
        });
      } finally {
        process.env.PATH = path;
      }
    });
  });
}

for (const base of testDatabases({ dialects: ['mysql'] })) {
  describe('mariadb: tributary backup / restore of erp with mariadb-dump', () => {
    const made: TestDatabase[] = [];
    afterAll(() => Promise.allSettled(made.map((handle) => handle.destroy())));

    it('round trip into an empty database: same counts, digests and migration level', async () => {
      const [source, target] = [await base.create(), await base.create()];
      made.push(source, target);
      const erp = (await loadService('erp'))!;
      await migrateToLatest(source.database, erp.migrations);
      await erp.seed?.(testServiceContext('erp', source.database, { keyring }));
      const to = join(root, 'mariadb-backup');
      const dataDir = join(root, 'no-embedded');
      const manifest = await backupCommand({ to, dataDir, env: { ERP_DATABASE_URL: source.url }, logger });
      const entry = manifest.services.erp!;
      expect(entry.migrations).toEqual(erp.migrations.map((m) => m.name));
      expect(Object.values(entry.tables).some((t) => t.rows > 0)).toBe(true);

      const report = await restoreCommand({ from: to, dataDir, env: { ERP_DATABASE_URL: target.url }, logger });
      expect(verified(report)).toEqual([['erp', []]]);
      expect(report.services[0]!.migration).toBe(erp.migrations.at(-1)!.name);
    });
  });
}
