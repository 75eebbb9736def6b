import { randomUUID } from 'node:crypto';
import { testDatabases } from '@tributary/platform/testing';
import { describe, expect, it } from 'vitest';
import { MTP_GROUPS } from '../src/domain.js';
import { lastSequence, useOrders } from './support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: /admin/user and /admin/group`, () => {
    const h = useOrders(target);

    it('maps users to groups, lists and removes them, with outbox events', async () => {
      const before = await lastSequence(h);
      const sub = randomUUID();
      const created = await h.as('MASTER-ADMIN', 'POST', '/admin/user', { username: 'nimal', group: 'SEEDUWA-OFFICER', sub });
      expect(created.statusCode).toBe(200);
      expect(created.json()).toEqual({ sub, username: 'nimal', group: 'SEEDUWA-OFFICER' });
      const generated = await h.as('MASTER-ADMIN', 'POST', '/admin/user', { username: 'kamala', group: 'GRANDPASS-GATEPASS' });
      expect(generated.json().sub).toMatch(/^[0-9a-f-]{36}$/);
      expect((await h.as('GRANDPASS-ADMIN', 'GET', '/admin/user')).json()).toEqual([generated.json(), created.json()]);
      const deleted = await h.as('MASTER-ADMIN', 'DELETE', `/admin/user?sub=${sub}`);
      expect(deleted.json()).toEqual({ success: true });
      expect((await h.as('SEEDUWA-ADMIN', 'GET', '/admin/user')).json()).toEqual([generated.json()]);
      expect((await h.outboxAfter(before)).map((e) => e.type)).toEqual([
        'orders.user.created',
        'orders.user.created',
        'orders.user.deleted',
      ]);
    });

    it('lists the ten MTP groups', async () => {
      const response = await h.as('MASTER-ADMIN', 'GET', '/admin/group');
      expect(response.json()).toEqual([...MTP_GROUPS]);
      expect(response.json()).toHaveLength(10);
    });

    it('refuses bad users with stable codes and writes nothing', async () => {
      await h.as('MASTER-ADMIN', 'POST', '/admin/user', { username: 'taken', group: 'TRADER-OFFICER' });
      const before = await h.counts();
      const cases: [string, string, unknown, number, string][] = [
        ['POST', '/admin/user', { username: 'pw', group: 'TRADER-OFFICER', password: 'Secret123!' }, 400, 'ADMIN_USER_PASSWORD_REFUSED'],
        ['POST', '/admin/user', { username: 'x', group: 'SUPER-USER' }, 400, 'REQUEST_VALIDATION_FAILED'],
        ['POST', '/admin/user', { username: 'has space', group: 'TRADER-OFFICER' }, 400, 'REQUEST_VALIDATION_FAILED'],
        ['POST', '/admin/user', { username: 'y', group: 'TRADER-OFFICER', sub: 'not-a-uuid' }, 400, 'REQUEST_VALIDATION_FAILED'],
        ['POST', '/admin/user', { username: 'taken', group: 'TRADER-SUPERVISOR' }, 409, 'USER_USERNAME_TAKEN'],
        ['DELETE', `/admin/user?sub=${randomUUID()}`, undefined, 404, 'USER_NOT_FOUND'],
        ['DELETE', '/admin/user?sub=1', undefined, 400, 'REQUEST_VALIDATION_FAILED'],
      ];
      for (const [method, url, body, status, code] of cases) {
        const response = await h.as('MASTER-ADMIN', method as 'POST' | 'DELETE', url, body);
        expect([url, JSON.stringify(body), response.statusCode, response.json().code]).toEqual([url, JSON.stringify(body), status, code]);
      }
      expect(await h.counts()).toEqual(before);
    });

    it('lets only admins in, and only MASTER-ADMIN change users (403)', async () => {
      const before = await h.counts();
      for (const group of MTP_GROUPS.filter((g) => !g.endsWith('-ADMIN'))) {
        expect((await h.as(group, 'GET', '/admin/user')).statusCode).toBe(403);
        expect((await h.as(group, 'GET', '/admin/group')).statusCode).toBe(403);
      }
      for (const group of ['GRANDPASS-ADMIN', 'SEEDUWA-ADMIN', 'GRANDPASS-OFFICER']) {
        expect((await h.as(group, 'POST', '/admin/user', { username: 'z', group: 'MASTER-ADMIN' })).json().code).toBe('ROLE_FORBIDDEN');
        expect((await h.as(group, 'DELETE', `/admin/user?sub=${randomUUID()}`)).statusCode).toBe(403);
      }
      expect((await h.asService('processing', 'GET', '/admin/user')).statusCode).toBe(403);
      expect(await h.counts()).toEqual(before);
    });

    it('replays a create retried with the same Idempotency-Key', async () => {
      const body = { username: 'retry', group: 'GRANDPASS-OFFICER' };
      const first = await h.as('MASTER-ADMIN', 'POST', '/admin/user', body, { 'idempotency-key': 'user-1' });
      const retry = await h.as('MASTER-ADMIN', 'POST', '/admin/user', body, { 'idempotency-key': 'user-1' });
      expect(first.statusCode).toBe(200);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
    });
  });
}
