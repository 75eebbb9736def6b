import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflict } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import { createHttpApp, type HttpApp } from '../http/index.js';
import { migrateToLatest } from '../migrate/migrate.js';
import { testDatabases, type TestDatabase } from '../testing/databases.js';
import { signedInject, testAuth } from '../testing/signed.js';
import { idempotencyMigration } from './migration.js';
import { registerIdempotency } from './plugin.js';

for (const target of testDatabases()) {
  describe(`${target.label}: idempotency keys`, () => {
    let handle: TestDatabase;
    let app: HttpApp;
    let created = 0;
    let failNext = false;
    let release: (() => void) | undefined;

    beforeAll(async () => {
      handle = await target.create();
      await migrateToLatest(handle.database, [idempotencyMigration]);
      app = await createHttpApp({ name: 'idem-test', logger: silentLogger(), auth: testAuth() });
      registerIdempotency(app, { db: handle.database.db });
      app.post('/things', { schema: { body: Type.Object({ name: Type.String({ minLength: 1 }) }) } }, async (request, reply) => {
        if (failNext) {
          failNext = false;
          throw new Error('database exploded');
        }
        if (request.body.name === 'taken') throw conflict('THING_TAKEN', 'That name is taken');
        if (request.body.name === 'slow') await new Promise<void>((resolve) => (release = resolve));
        created += 1;
        return reply.code(201).send({ id: created, name: request.body.name });
      });
      await app.ready();
    });
    afterAll(async () => {
      await app.close();
      await handle.destroy();
    });

    const post = (body: unknown, key?: string, user = 'alice') =>
      signedInject(app, {
        method: 'POST',
        url: '/things',
        body,
        identity: { user, roles: ['operator'] },
        ...(key ? { headers: { 'idempotency-key': key } } : {}),
      });

    it('replays the stored response for the same key and body', async () => {
      const first = await post({ name: 'a' }, 'key-1');
      const second = await post({ name: 'a' }, 'key-1');
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
      expect(second.json()).toEqual(first.json());
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(created).toBe(1);
    });

    it('refuses the same key with a different body (422)', async () => {
      const response = await post({ name: 'b' }, 'key-1');
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
      expect(created).toBe(1);
    });

    it('scopes keys per caller', async () => {
      const response = await post({ name: 'a' }, 'key-1', 'bob');
      expect(response.statusCode).toBe(201);
      expect(response.headers['idempotent-replayed']).toBeUndefined();
      expect(created).toBe(2);
    });

    it('stores 4xx answers but lets a 5xx be retried', async () => {
      const refused = await post({ name: 'taken' }, 'key-409');
      expect(refused.statusCode).toBe(409);
      const replayed = await post({ name: 'taken' }, 'key-409');
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(replayed.json().code).toBe('THING_TAKEN');
      // Schema validation refuses before anything runs: nothing is claimed or stored.
      expect((await post({ name: '' }, 'key-invalid')).statusCode).toBe(400);
      expect((await post({ name: 'ok-now' }, 'key-invalid')).statusCode).toBe(201);
      failNext = true;
      const failed = await post({ name: 'c' }, 'key-5xx');
      expect(failed.statusCode).toBe(500);
      const retried = await post({ name: 'c' }, 'key-5xx');
      expect(retried.statusCode).toBe(201);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
    });

    it('answers 409 while the first request is still running', async () => {
      const slow = post({ name: 'slow' }, 'key-slow');
      while (!release) await new Promise((resolve) => setTimeout(resolve, 5));
      const concurrent = await post({ name: 'slow' }, 'key-slow');
      expect(concurrent.statusCode).toBe(409);
      expect(concurrent.json().code).toBe('IDEMPOTENCY_REQUEST_IN_PROGRESS');
      expect(concurrent.headers['retry-after']).toBe('1');
      release();
      expect((await slow).statusCode).toBe(201);
    });

    it('rejects malformed keys', async () => {
      const response = await post({ name: 'x' }, 'x'.repeat(201));
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('IDEMPOTENCY_KEY_INVALID');
    });

    it('runs a request without a key every time', async () => {
      const before = created;
      await post({ name: 'n' });
      await post({ name: 'n' });
      expect(created).toBe(before + 2);
    });
  });
}
