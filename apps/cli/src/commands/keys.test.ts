import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, ManualClock } from '@tributary/platform/core';
import { loadMasterKeys, parseCiphertext } from '@tributary/platform/crypto';
import { sql } from '@tributary/platform/db';
import type { HttpApp } from '@tributary/platform/http';
import { signedInject, testKeyring, testServiceContext } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';
import { openServiceDatabase, pgliteTemplateOnce } from '../databases.js';
import { keysRotateCommand } from './keys.js';
import { migrateCommand } from './migrate.js';
import { loadService } from '../services.js';

const logger = silentLogger();

/** Opens erp's embedded database in the data directory, runs `work` against its app, closes it. */
async function withErp<T>(
  dataDir: string,
  work: (
    call: (method: 'GET' | 'POST', url: string, body?: unknown) => Promise<{ statusCode: number; json(): any }>,
    rawEmails: () => Promise<string[]>,
  ) => Promise<T>,
): Promise<T> {
  const { database } = await openServiceDatabase('erp', dataDir, {}, logger, pgliteTemplateOnce());
  // Through the service definition, as `tributary up` builds it.
  const definition = (await loadService('erp'))!;
  const keyring = testKeyring();
  // No key file and no TRIBUTARY_DATA_DIR (`tributary --data-dir X up`): the keys sit beside erp's PGlite directory.
  const app = (await definition.buildApp(
    testServiceContext('erp', database, { clock: new ManualClock(Date.parse('2026-03-10T06:30:00Z')), keyring, logger }),
  )) as HttpApp;
  try {
    const rawEmails = async () =>
      (await sql<{ email_id: string }>`select email_id from "tabCustomer" order by name`.execute(database.db)).rows.map((r) => r.email_id);
    return await work(
      (method, url, body) =>
        signedInject(app, { method, url, ...(body === undefined ? {} : { body }), identity: { user: 'ops', roles: ['manager'] } }),
      rawEmails,
    );
  } finally {
    await app.close();
    await database.close();
  }
}

describe('tributary keys rotate', () => {
  it('erp: a new data key re-encrypts every value; a master key rotation re-wraps; the service reads everything after', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'trb-keys-'));
    await migrateCommand('erp', { dataDir, env: {} }, logger);
    const oldKey = await withErp(dataDir, async (call, rawEmails) => {
      for (let i = 0; i < 5; i++)
        expect(
          (await call('POST', '/customers', { name: `C-${i}`, customer_name: `C ${i}`, email_id: `c${i}@example.in` })).statusCode,
        ).toBe(201);
      return parseCiphertext((await rawEmails())[0]!)!.keyId;
    });

    const data = await keysRotateCommand({ service: 'erp', dataDir, env: {}, master: false, batchSize: 2 }, logger);
    expect(data).toMatchObject({ kind: 'data', rewritten: 5, remaining: 0, retired: [oldKey] });

    const before = await loadMasterKeys({ TRIBUTARY_DATA_DIR: dataDir });
    const master = await keysRotateCommand({ service: 'erp', dataDir, env: {}, master: true, batchSize: 100 }, logger);
    expect(master).toMatchObject({ kind: 'master', rewrapped: 3 });
    const after = await loadMasterKeys({ TRIBUTARY_DATA_DIR: dataDir });
    expect(after.active).not.toBe(before.active);
    expect([...after.keys.keys()]).toContain(before.active);
    expect(await readFile(join(dataDir, 'master-keys.json'), 'utf8')).not.toContain('enc:v1');

    await withErp(dataDir, async (call, rawEmails) => {
      for (const value of await rawEmails()) expect(parseCiphertext(value)!.keyId).toBe(data.kind === 'data' ? data.newKeyId : '');
      const customer = (await call('GET', '/customers/C-3')).json();
      expect(customer.email_id).toBe('c3@example.in');
      expect((await call('GET', '/customers?email_id=c4%40example.in')).json().data).toHaveLength(1);
    });
  }, 300_000);

  it('refuses a service without encrypted fields, and a master rotation of a derived key', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'trb-keys-'));
    await expect(keysRotateCommand({ service: 'orders', dataDir, env: {}, master: false, batchSize: 10 }, logger)).rejects.toThrow(
      /no encrypted fields/,
    );
    await expect(keysRotateCommand({ service: 'gateway', dataDir, env: {}, master: true, batchSize: 10 }, logger)).rejects.toThrow(
      /derived from its service secret/,
    );
  });
});
