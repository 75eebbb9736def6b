import Fastify, { type FastifyInstance } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { bearer, createUser, gatewayBed, postRoute, tokenFor, type TestGateway } from './support.js';

/**
 * One client's bad requests must not open the breaker for everyone (issue: five
 * `GET /order?order_code=%00` answered 500 and every user got 503 for a minute).
 */
for (const target of testDatabases({ dialects: ['pglite'] })) {
  describe(`${target.label}: breaker counts only unreachable or overloaded upstreams`, () => {
    const bed = gatewayBed(target);
    let gw: TestGateway;
    let upstream: FastifyInstance;
    let url: string;
    let hits = 0;

    beforeAll(async () => {
      // A real upstream that fails the way the probe found (500 on one odd value, 400 on a bad
      // number); the odd value is no longer a NUL, which the kernel's edge now refuses itself.
      upstream = bed.closing(Fastify(), (app) => app.close());
      upstream.get('/*', async (request, reply) => {
        hits++;
        const code = (request.query as Record<string, string>).order_code ?? '';
        if (code === 'crash') return reply.code(500).send({ code: 'INTERNAL_ERROR' });
        if (code === 'bad') return reply.code(400).send({ code: 'VALIDATION_FAILED' });
        if (code === 'busy') return reply.code(503).send({ code: 'UNAVAILABLE' });
        return { ok: true };
      });
      url = await upstream.listen({ host: '127.0.0.1', port: 0 });
      gw = await bed.gateway();
      await createUser(gw, 'root', 'administrator', 'unlimited');
      await createUser(gw, 'mallory', 'analyst', 'unlimited');
      await createUser(gw, 'alice', 'analyst', 'unlimited');
      await createUser(gw, 'carol', 'analyst', 'unlimited');
      const admin = await tokenFor(gw, 'root');
      const created = await postRoute(gw, admin, {
        pathPattern: '/svc/*',
        httpMethod: 'GET',
        serviceName: 'svc',
        routeName: 'svc',
        upstreamUrl: url,
        upstreamAuth: 'none',
        authorizationRoles: ['analyst'],
        failureThreshold: 5,
        retryAttempts: 0,
      });
      expect(created.statusCode, created.body).toBe(201);
    });

    const breaker = () => gw.deps.upstreams.breakerSnapshots().find((s) => s.name === 'svc');

    it('5 × 500 and 5 × 400 from one user (and 30 more) leave the breaker closed and every other user served', async () => {
      const mallory = await tokenFor(gw, 'mallory');
      const alice = await tokenFor(gw, 'alice');
      const statuses: number[] = [];
      // Enough for both trip rules: 5 consecutive, and ≥ 50 % of ≥ 20 calls in the window.
      for (let i = 0; i < 20; i++) {
        statuses.push((await gw.app.inject({ method: 'GET', url: '/svc/order?order_code=crash', headers: bearer(mallory) })).statusCode);
        statuses.push((await gw.app.inject({ method: 'GET', url: '/svc/order?order_code=bad', headers: bearer(mallory) })).statusCode);
      }
      expect(new Set(statuses)).toEqual(new Set([500, 400]));
      expect(breaker()?.state).toBe('closed');
      expect(gw.deps.upstreams.targetSnapshots().every((t) => !t.ejected)).toBe(true);
      const before = hits;
      const served = await gw.app.inject({ method: 'GET', url: '/svc/order?order_code=A1', headers: bearer(alice) });
      expect(served.statusCode).toBe(200);
      expect(hits).toBe(before + 1);
    });

    it('an overloaded upstream (503) opens the breaker, but only on the failures of more than one consumer', async () => {
      const mallory = await tokenFor(gw, 'mallory');
      const alice = await tokenFor(gw, 'alice');
      const busy = (token: string) => gw.app.inject({ method: 'GET', url: '/svc/order?order_code=busy', headers: bearer(token) });
      // A 503 can be provoked by the request itself: one consumer's alone never opens it.
      for (let i = 0; i < 8; i++) expect((await busy(mallory)).statusCode).toBe(503);
      expect(breaker()?.state).toBe('closed');
      expect((await gw.app.inject({ method: 'GET', url: '/svc/order?order_code=A1', headers: bearer(alice) })).statusCode).toBe(200);
      // The upstream overloaded for everyone: the failures of several consumers open it.
      const carol = await tokenFor(gw, 'carol');
      for (let i = 0; i < 6 && breaker()?.state === 'closed'; i++) expect((await busy(i % 2 === 0 ? alice : carol)).statusCode).toBe(503);
      expect(breaker()?.state).toBe('open');
      const refused = await gw.app.inject({ method: 'GET', url: '/svc/order?order_code=A1', headers: bearer(mallory) });
      expect(refused.json().code).toBe('UPSTREAM_CIRCUIT_OPEN');
    });
  });
}
