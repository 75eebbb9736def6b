import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@tributary/platform/core';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../common/command.js';
import { fillErp, fillGateway, fillSync } from './harsha.dataset.js';
import { summarise } from './harsha.expected.js';
import { harshaImporter } from './harsha.js';
import { createOriginals, ERP_DDL, GATEWAY_DDL, SYNC_DDL } from './harsha.originals.js';

const [mariadb] = testDatabases({ dialects: ['mysql'] });
const [postgres] = testDatabases({ dialects: ['postgres'] });

/** The embedded targets (PGlite under the data directory), as `tributary up` runs them: a small data set, applied twice. */
describe.skipIf(!mariadb || !postgres)('tributary import harsha into the embedded databases (PGlite)', () => {
  const opened: TestDatabase[] = [];
  let urls: { erpUrl: string; gatewayUrl: string; syncUrl: string };
  let dataDir: string;

  beforeAll(async () => {
    const [erp, gateway, sync] = [await mariadb!.create(), await postgres!.create(), await postgres!.create()];
    opened.push(erp, gateway, sync);
    await createOriginals(erp.database, ERP_DDL);
    await createOriginals(gateway.database, GATEWAY_DDL);
    await createOriginals(sync.database, SYNC_DDL);
    await fillErp(erp.database, 14);
    await fillGateway(gateway.database);
    await fillSync(sync.database);
    urls = { erpUrl: erp.url, gatewayUrl: gateway.url, syncUrl: sync.url };
    dataDir = await mkdtemp(join(tmpdir(), 'tributary-import-harsha-embedded-'));
  }, 120_000);

  afterAll(async () => {
    for (const database of opened) await database.destroy().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('applies once with a clean ledger, then finds every row unchanged', async () => {
    const options = {
      dataDir,
      env: {},
      logger: createLogger({ name: 'import-test', level: 'warn' }),
      apply: true,
      chunkSize: 5,
      progress: false,
    };
    const first = await runImport(harshaImporter(urls), options);
    expect((await readdir(dataDir)).sort()).toEqual(['erp', 'gateway', 'sync']);
    expect(summarise(first).tables['tabHD Batch Master']).toEqual([14, 12, 0, 5, 6, 1]);
    expect(first.checks.find((c) => c.name === 'erp batch ledger')).toMatchObject({ ok: true, data: { batches: 12, consistent: 12 } });
    const again = await runImport(harshaImporter(urls), options);
    const { totals } = summarise(again);
    expect([totals.new, totals.unchanged]).toEqual([0, summarise(first).totals.new]);
  }, 240_000);
});
