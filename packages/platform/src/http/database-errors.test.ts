import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { createDatabase, sql, type Database } from '../db/index.js';
import { testDatabases } from '../testing/databases.js';
import { buildApp } from './test-support.js';

async function appOver(database: Database) {
  return buildApp({}, (app) => {
    app.get('/count', async () => {
      await sql`select 1`.execute(database.db);
      return { ok: true };
    });
  });
}

describe('an unreachable database answers 503 DATABASE_UNAVAILABLE, not 500', () => {
  it('when the server refuses connections', async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    const database = await createDatabase('postgres://nobody@127.0.0.1:1/none', { poolSize: 1 });
    try {
      const app = await appOver(database);
      const response = await app.inject({ method: 'GET', url: '/count' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
      expect(response.headers['retry-after']).toBe('1');
    } finally {
      await database.close();
    }
  });

  it('when the driver has already been closed (a request outliving shutdown)', async () => {
    // Kysely refuses every query once destroy() ran, whatever the dialect; no server is needed.
    const database = await createDatabase('postgres://nobody@127.0.0.1:1/none', { poolSize: 1 });
    await database.close();
    const app = await appOver(database);
    const response = await app.inject({ method: 'GET', url: '/count' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
  });
});

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: a value the database refuses as data answers 400 INPUT_NOT_STORABLE, not 500`, () => {
    it('text compared with an integer column, and a number out of its range', async () => {
      const test = await target.create();
      try {
        const app = await buildApp({}, (instance) => {
          // A deliberately loose schema: the kind of gap the safety net is for.
          instance.get('/cast', { schema: { querystring: Type.Object({ value: Type.String() }) } }, async (request) => {
            await sql`select ${request.query.value}::integer as n`.execute(test.database.db);
            return { ok: true };
          });
        });
        for (const value of ['abc', '99999999999']) {
          const response = await app.inject({ method: 'GET', url: `/cast?value=${value}` });
          expect(response.statusCode, value).toBe(400);
          expect(response.json()).toMatchObject({ code: 'INPUT_NOT_STORABLE' });
        }
        expect((await app.inject({ method: 'GET', url: '/cast?value=12' })).statusCode).toBe(200);
      } finally {
        await test.destroy();
      }
    });
  });
}
