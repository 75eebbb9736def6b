import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { bearer, createUser, gatewayBed, login, postRoute, startGateway, tokenFor, type TestGateway, type Upstream } from './support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: edge (TLS, concurrency, bad input)`, () => {
    const bed = gatewayBed(target);
    let gw: TestGateway;
    let orders: Upstream;
    let dir: string;
    let url: string;

    beforeAll(async () => {
      dir = bed.closing(mkdtempSync(join(tmpdir(), 'gateway-tls-')), async (made) => rmSync(made, { recursive: true, force: true }));
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
        ],
        { stdio: 'ignore' },
      );
      orders = await bed.upstream('orders');
      gw = await bed.gateway({
        peers: { orders: orders.url },
        env: { TLS_CERT_FILE: join(dir, 'cert.pem'), TLS_KEY_FILE: join(dir, 'key.pem'), TLS_PORT: '0', HOST: '127.0.0.1' },
      });
      url = await gw.app.listen({ host: '127.0.0.1', port: 0 });
      await createUser(gw, 'officer', 'GRANDPASS-OFFICER');
    });

    it('terminates TLS when a certificate is configured, with the same routes and auth', async () => {
      const port = gw.tls?.port();
      expect(port).toBeGreaterThan(0);
      const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
      const jwks = await request(`https://127.0.0.1:${port}/.well-known/jwks.json`, { dispatcher });
      expect(jwks.statusCode).toBe(200);
      expect(((await jwks.body.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
      const token = await tokenFor(gw, 'officer');
      const routed = await request(`https://127.0.0.1:${port}/order`, { dispatcher, headers: bearer(token) });
      expect(routed.statusCode).toBe(200);
      expect(((await routed.body.json()) as { identity: { user: string } }).identity.user).toBe('usr_officer');
      const plain = await request(`${url}/order`, { headers: bearer(token) });
      expect(plain.statusCode).toBe(200);
      await plain.body.dump();
      await dispatcher.close();
    });

    it('speaks TLS 1.3 only: a TLS 1.2 client is refused', async () => {
      const port = gw.tls!.port()!;
      const handshake = (maxVersion: 'TLSv1.2' | 'TLSv1.3') =>
        new Promise<string>((resolve) => {
          const socket: TLSSocket = connect(
            { host: '127.0.0.1', port, rejectUnauthorized: false, maxVersion, minVersion: 'TLSv1.2' },
            () => {
              const version = socket.getProtocol() ?? 'none';
              socket.end();
              resolve(version);
            },
          );
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(`refused: ${error.code ?? error.message}`));
        });
      expect(await handshake('TLSv1.3')).toBe('TLSv1.3');
      expect(await handshake('TLSv1.2')).toMatch(/^refused: /);
    });

    it('exposes gateway metrics per route template, method and status class, without user or path labels', async () => {
      const token = await tokenFor(gw, 'officer');
      await gw.app.inject({ method: 'GET', url: '/order', headers: bearer(token) });
      await gw.app.inject({ method: 'GET', url: '/order' });
      await gw.app.inject({ method: 'GET', url: '/no/such/route/usr_officer' });
      const text = (await gw.app.inject({ method: 'GET', url: '/metrics' })).body;
      const orders = (decision: string, statusClass: string) =>
        `gateway_requests_total{service="orders",decision="${decision}",route="/order",method="GET",status_class="${statusClass}"}`;
      const value = (series: string) =>
        Number(
          text
            .split('\n')
            .find((line) => line.startsWith(`${series} `))
            ?.split(' ')[1] ?? 0,
        );
      expect(value(orders('allowed', '2xx'))).toBeGreaterThan(0);
      expect(value(orders('denied_auth', '4xx'))).toBeGreaterThan(0);
      // Forwarded requests are timed upstream; refused ones never reached it.
      expect(value('gateway_upstream_latency_seconds_count{service="orders",route="/order",method="GET"}')).toBeGreaterThan(0);
      // A path no route matches is one series, however many such paths arrive.
      expect(
        value('gateway_requests_total{service="gateway",decision="not_found",route="unmatched",method="GET",status_class="4xx"}'),
      ).toBeGreaterThan(0);
      expect(text).not.toContain('/no/such/route');
      expect(text).toContain('gateway_circuit_state{upstream="orders",service="gateway"} 0');
      expect(text).toContain('gateway_audit_buffered');
      expect(text).not.toContain('usr_officer');
    });

    it.skipIf(target.dialect !== 'pglite')(
      'a single replica on PGlite keeps the revocation version in process and still revokes at once',
      async () => {
        const solo = await startGateway(bed.handle, { peers: { orders: orders.url }, env: { REVOCATION_STORE: 'auto' } });
        try {
          const token = await tokenFor(solo, 'officer');
          expect((await solo.app.inject({ method: 'GET', url: '/order', headers: bearer(token) })).statusCode).toBe(200);
          const jti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti as string;
          await solo.deps.auth.revokeToken(jti, 'test');
          expect((await solo.app.inject({ method: 'GET', url: '/order', headers: bearer(token) })).json().code).toBe('TOKEN_REVOKED');
        } finally {
          await solo.app.close();
        }
      },
    );

    it('lets exactly one of two concurrent refreshes win and revokes the family', async () => {
      const pair = (await login(gw, 'officer')).json();
      const [r1, r2] = await Promise.all([
        gw.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: pair.refreshToken } }),
        gw.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: pair.refreshToken } }),
      ]);
      const statuses = [r1.statusCode, r2.statusCode].sort();
      expect(statuses).toEqual([200, 401]);
      const winner = (r1.statusCode === 200 ? r1 : r2).json();
      // The loser's attempt is reuse: the winner's tokens die with the family.
      expect((await gw.app.inject({ method: 'GET', url: '/order', headers: bearer(winner.accessToken) })).statusCode).toBe(401);
    });

    it('refuses bad input with 4xx and stable codes, changing nothing', async () => {
      const before = await bed.handle.database.db
        .selectFrom('jwt_tokens')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      const cases = [
        { payload: '{"username": "officer", "password":', type: 'application/json', status: 400, code: 'REQUEST_BODY_INVALID_JSON' },
        { payload: JSON.stringify({ username: 'officer', password: 'x'.repeat(300) }), type: 'application/json', status: 400 },
        {
          payload: JSON.stringify({ username: "officer' or 1=1 --", password: 'whatever-long' }),
          type: 'application/json',
          status: 401,
          code: 'INVALID_CREDENTIALS',
        },
        { payload: JSON.stringify({ username: { a: 1 }, password: 'x' }), type: 'application/json', status: 400 },
        {
          payload: JSON.stringify({ username: 'officer', password: 'correct-horse-battery', admin: true }),
          type: 'application/json',
          status: 400,
        },
        { payload: JSON.stringify({ username: ['officer'], password: 'correct-horse-battery' }), type: 'application/json', status: 400 },
      ];
      for (const c of cases) {
        const response = await gw.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': c.type },
          payload: c.payload,
          remoteAddress: '10.77.0.1',
        });
        expect(response.statusCode, response.body).toBe(c.status);
        if (c.code) expect(response.json().code).toBe(c.code);
      }
      const after = await bed.handle.database.db
        .selectFrom('jwt_tokens')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
      const admin = await createUser(gw, 'root', 'administrator', 'unlimited').then(() => tokenFor(gw, 'root'));
      const badRoute = await postRoute(gw, admin, {
        pathPattern: '/x',
        httpMethod: 'TRACE',
        serviceName: 'x',
        upstreamUrl: 'http://x',
        routeName: 'x',
      });
      expect(badRoute.statusCode).toBe(400);
      const badKey = await gw.app.inject({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        headers: bearer(admin),
        payload: { userId: 'usr_nobody', name: 'k', scopes: ['a:b'] },
      });
      expect(badKey.json().code).toBe('USER_NOT_FOUND');
    });
  });
}
