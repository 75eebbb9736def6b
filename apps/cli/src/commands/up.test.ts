import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@tributary/platform/core';
import { createHttpApp } from '@tributary/platform/http';
import type { Migration } from '@tributary/platform/migrate';
import { credentialsFor, keyringLookup, type ServiceDefinition } from '@tributary/platform/service';
import { signRequest } from '@tributary/platform/auth';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up } from './up.js';

const migrations: Migration[] = [
  {
    name: '0001_note',
    up: async (db) => {
      await db.schema
        .createTable('note')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .execute();
    },
  },
];

let seeds = 0;
const demo: ServiceDefinition = {
  name: 'demo',
  defaultPort: 0,
  migrations,
  seed: async ({ database }) => {
    seeds += 1;
    await database.db.insertInto('note').values({ id: 'seeded' }).execute();
  },
  buildApp: async (context) => {
    const app = await createHttpApp({
      name: 'demo',
      logger: silentLogger(),
      readiness: { database: () => context.database.ping() },
      auth: { ...context.scope, lookup: keyringLookup(context.keyring) },
    });
    app.get('/notes', async () => context.database.db.selectFrom('note').select('id').execute());
    return app;
  },
};

describe('tributary up', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tributary-up-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  const start = () => up({ dataDir, host: '127.0.0.1', seed: true, env: {}, logLevel: 'silent', definitions: [demo] });

  it('starts a service on its own embedded database, seeded once, behind signatures', async () => {
    const platform = await start();
    try {
      const [service] = platform.services;
      const ready = await request(`${service!.url}/health/ready`);
      expect(ready.statusCode).toBe(200);
      expect(await ready.body.json()).toMatchObject({ status: 'ok', checks: { database: 'ok' } });

      const unsigned = await request(`${service!.url}/notes`);
      expect(unsigned.statusCode).toBe(401);
      await unsigned.body.dump();

      const keyring = JSON.parse(await readFile(join(dataDir, 'keyring.json'), 'utf8'));
      expect((await stat(join(dataDir, 'keyring.json'))).mode & 0o777).toBe(0o600);
      const headers = await signRequest({ method: 'GET', url: `${service!.url}/notes`, headers: {} }, credentialsFor(keyring, 'cli'), {
        region: 'us-east-1',
        service: 'execute-api',
      });
      const signed = await request(`${service!.url}/notes`, { headers });
      expect(signed.statusCode).toBe(200);
      expect(await signed.body.json()).toEqual([{ id: 'seeded' }]);
    } finally {
      await platform.stop();
    }
    expect(seeds).toBe(1);
  });

  it('reopens the same data on the next start without seeding again', async () => {
    const platform = await start();
    try {
      expect(seeds).toBe(1);
      const keyring = JSON.parse(await readFile(join(dataDir, 'keyring.json'), 'utf8'));
      const url = `${platform.services[0]!.url}/notes`;
      const headers = await signRequest({ method: 'GET', url, headers: {} }, credentialsFor(keyring, 'cli'), {
        region: 'us-east-1',
        service: 'execute-api',
      });
      expect(await (await request(url, { headers })).body.json()).toEqual([{ id: 'seeded' }]);
    } finally {
      await platform.stop();
    }
  });
});
