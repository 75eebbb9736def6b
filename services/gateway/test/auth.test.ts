import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@tributary/platform/core';
import { testDatabases } from '@tributary/platform/testing';
import { RoutesRepository } from '../src/features/routing/routes.repository.js';
import { bearer, createUser, login, gatewayBed, PASSWORD, seedRoutes, tokenFor, type TestGateway, type Upstream } from './support.js';
import { asTables } from '@tributary/platform/db';
import type { GatewayDatabase } from '../src/db/schema.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: users and tokens`, () => {
    const bed = gatewayBed(target);
    let clock: ManualClock;
    let a: TestGateway;
    let b: TestGateway;
    let orders: Upstream;

    beforeAll(async () => {
      await seedRoutes(new RoutesRepository(asTables<GatewayDatabase>(bed.handle.database.db)));
      orders = await bed.upstream('orders');
      clock = new ManualClock(Date.now());
      const env = { LOGIN_IP_MAX_FAILURES: '8' };
      // Two replicas on one database: revocations must reach the other one at once.
      a = await bed.gateway({ peers: { orders: orders.url }, clock, env });
      b = await bed.gateway({ peers: { orders: orders.url }, clock, env });
      await createUser(a, 'officer', 'GRANDPASS-OFFICER');
      await createUser(a, 'locky', 'GRANDPASS-OFFICER');
      await createUser(a, 'victim', 'GRANDPASS-OFFICER');
      await createUser(a, 'root', 'administrator', 'unlimited');
    });

    const getOrders = (gw: TestGateway, token: string) => gw.app.inject({ method: 'GET', url: '/order', headers: bearer(token) });
    const postAs = (token: string, url: string, payload: Record<string, unknown>) =>
      a.app.inject({ method: 'POST', url, headers: bearer(token), payload });

    it('logs in, reaches a routed service with the token, and reads the profile', async () => {
      const response = await login(a, 'officer');
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.tokenType).toBe('Bearer');
      expect(body.expiresIn).toBe(900);
      expect(body.refreshExpiresIn).toBe(7 * 24 * 3600);
      expect(body.user).toMatchObject({ username: 'officer', role: 'GRANDPASS-OFFICER' });
      expect(body.user.passwordHash).toBeUndefined();
      const routed = await getOrders(b, body.accessToken);
      expect(routed.statusCode).toBe(200);
      expect(routed.json().identity).toMatchObject({ principal: 'gateway', user: 'usr_officer', roles: ['GRANDPASS-OFFICER'] });
      const profile = await a.app.inject({ method: 'GET', url: '/api/v1/auth/profile', headers: bearer(body.accessToken) });
      expect(profile.json().username).toBe('officer');
    });

    it('refuses a wrong password and an unknown user with the same code', async () => {
      const wrong = await login(a, 'officer', 'nope-nope-nope', '10.9.9.1');
      const unknown = await login(a, 'nobody', PASSWORD, '10.9.9.1');
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
      expect(unknown.json().code).toBe('INVALID_CREDENTIALS');
    });

    it('locks an account after 5 failures from one address for 30 minutes, only for that address', async () => {
      for (let i = 0; i < 4; i++) expect((await login(a, 'locky', 'wrong-password-x', '10.1.0.1')).json().code).toBe('INVALID_CREDENTIALS');
      const fifth = await login(a, 'locky', 'wrong-password-x', '10.1.0.1');
      expect(fifth.statusCode).toBe(403);
      expect(fifth.json().code).toBe('ACCOUNT_LOCKED');
      expect(Number(fifth.headers['retry-after'])).toBe(1800);
      // Even the right password is refused from that address while locked, on the other replica too.
      const locked = await login(b, 'locky', PASSWORD, '10.1.0.1');
      expect(locked.statusCode).toBe(403);
      expect(locked.json().code).toBe('ACCOUNT_LOCKED');
      // The owner from any other address is not locked out: failures elsewhere are no denial of service.
      expect((await login(b, 'locky', PASSWORD, '10.1.0.2')).statusCode).toBe(200);
      clock.advance(29 * 60 * 1000);
      expect((await login(a, 'locky', PASSWORD, '10.1.0.1')).json().code).toBe('ACCOUNT_LOCKED');
      clock.advance(61 * 1000);
      const after = await login(a, 'locky', PASSWORD, '10.1.0.1');
      expect(after.statusCode).toBe(200);
      // The counter starts again from zero after a success (two more stay under the address throttle of 8).
      for (let i = 0; i < 2; i++) expect((await login(a, 'locky', 'wrong-password-x', '10.1.0.1')).json().code).toBe('INVALID_CREDENTIALS');
    });

    it("an administrator unlock ends the account's locks on every address", async () => {
      await createUser(a, 'unlockme', 'GRANDPASS-OFFICER');
      for (const ip of ['10.2.0.1', '10.2.0.2']) for (let i = 0; i < 5; i++) await login(a, 'unlockme', 'wrong-password-x', ip);
      expect((await login(a, 'unlockme', PASSWORD, '10.2.0.1')).json().code).toBe('ACCOUNT_LOCKED');
      const root = await tokenFor(a, 'root');
      const unlocked = await a.app.inject({
        method: 'PATCH',
        url: '/api/v1/admin/users/usr_unlockme',
        headers: bearer(root),
        payload: { unlock: true },
      });
      expect(unlocked.statusCode).toBe(200);
      expect((await login(b, 'unlockme', PASSWORD, '10.2.0.1')).statusCode).toBe(200);
      expect((await login(b, 'unlockme', PASSWORD, '10.2.0.2')).statusCode).toBe(200);
    });

    it('answers an unknown user name exactly like a known one, lockout included (no enumeration)', async () => {
      const answers = async (username: string, ip: string) => {
        const out = [];
        for (let i = 0; i < 6; i++) {
          const response = await login(a, username, 'wrong-password-x', ip);
          const { requestId: _ignored, ...body } = response.json();
          out.push({ status: response.statusCode, retryAfter: response.headers['retry-after'], body });
        }
        return out;
      };
      const known = await answers('officer', '10.3.0.1');
      const unknown = await answers('no-such-user', '10.3.0.2');
      expect(unknown).toEqual(known);
      expect(known.map((answer) => answer.status)).toEqual([401, 401, 401, 401, 403, 403]);
      expect(known[5]!.body.code).toBe('ACCOUNT_LOCKED');
      // A disabled account is told apart only to someone who knows its password.
      await createUser(a, 'disabled', 'GRANDPASS-OFFICER');
      const root = await tokenFor(a, 'root');
      await a.app.inject({ method: 'PATCH', url: '/api/v1/admin/users/usr_disabled', headers: bearer(root), payload: { isActive: false } });
      expect((await login(a, 'disabled', 'wrong-password-x', '10.3.0.3')).json().code).toBe('INVALID_CREDENTIALS');
      expect((await login(a, 'disabled', PASSWORD, '10.3.0.3')).json().code).toBe('ACCOUNT_DISABLED');
    });

    it("throttles wrong guesses from one address without blocking another user's correct login there", async () => {
      const attacker = '203.0.113.7';
      let throttled = 0;
      for (let i = 0; i < 10; i++) {
        const response = await login(a, `ghost-${i}`, 'guess-guess-guess', attacker);
        if (response.statusCode === 429) throttled++;
      }
      expect(throttled).toBe(2);
      const guess = await login(a, 'victim', 'guess-guess-guess', attacker);
      expect(guess.statusCode).toBe(429);
      expect(guess.json().code).toBe('LOGIN_THROTTLED');
      expect(Number(guess.headers['retry-after'])).toBeGreaterThan(0);
      // A colleague behind the same address logs in with the right password.
      expect((await login(a, 'victim', PASSWORD, attacker)).statusCode).toBe(200);
      // And from their own address, guessing never touched their account.
      expect((await login(a, 'victim', PASSWORD, '198.51.100.20')).statusCode).toBe(200);
    });

    it('rotates refresh tokens; replaying a rotated one revokes the whole family', async () => {
      const first = (await login(a, 'officer')).json();
      const second = (
        await a.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: first.refreshToken } })
      ).json();
      expect(second.refreshToken).not.toBe(first.refreshToken);
      // The rotation ended the earlier access token of this session.
      expect((await getOrders(b, first.accessToken)).json().code).toBe('TOKEN_REVOKED');
      expect((await getOrders(b, second.accessToken)).statusCode).toBe(200);

      const replay = await b.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: first.refreshToken } });
      expect(replay.statusCode).toBe(401);
      expect(replay.json().code).toBe('REFRESH_TOKEN_REUSED');
      // Everyone holding this family is out: the legitimate new pair too.
      expect((await getOrders(a, second.accessToken)).json().code).toBe('TOKEN_REVOKED');
      const refreshAgain = await a.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: second.refreshToken },
      });
      expect(refreshAgain.statusCode).toBe(401);
      // Other sessions of the same user are untouched.
      const other = await tokenFor(a, 'officer');
      expect((await getOrders(a, other)).statusCode).toBe(200);
    });

    it('refuses malformed and unknown refresh tokens', async () => {
      expect((await a.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: 'x' } })).json().code).toBe(
        'REFRESH_TOKEN_INVALID',
      );
      const fake = `00000000-0000-4000-8000-000000000000.${'A'.repeat(43)}`;
      expect((await a.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: fake } })).json().code).toBe(
        'REFRESH_TOKEN_INVALID',
      );
      expect((await a.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: {} })).statusCode).toBe(400);
    });

    it('a revoked access token is refused on the very next request, on another replica', async () => {
      const token = await tokenFor(a, 'officer');
      expect((await getOrders(b, token)).statusCode).toBe(200); // b has cached "valid"
      const admin = await tokenFor(a, 'root');
      const jti = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti as string;
      const revoke = await a.app.inject({ method: 'POST', url: `/api/v1/admin/tokens/${jti}/revoke`, headers: bearer(admin) });
      expect(revoke.json()).toEqual({ revoked: 1 });
      const next = await getOrders(b, token);
      expect(next.statusCode).toBe(401);
      expect(next.json().code).toBe('TOKEN_REVOKED');
    });

    it("revokes all of a user's tokens, and every token on password change", async () => {
      const t1 = await tokenFor(a, 'victim');
      const t2 = await tokenFor(b, 'victim');
      const admin = await tokenFor(a, 'root');
      expect((await getOrders(b, t1)).statusCode).toBe(200);
      const all = await a.app.inject({ method: 'POST', url: '/api/v1/admin/users/usr_victim/revoke-tokens', headers: bearer(admin) });
      expect(all.json().revoked).toBeGreaterThanOrEqual(4);
      expect((await getOrders(b, t1)).statusCode).toBe(401);
      expect((await getOrders(a, t2)).statusCode).toBe(401);

      const fresh = await tokenFor(a, 'victim');
      const weak = await postAs(fresh, '/api/v1/auth/change-password', { currentPassword: PASSWORD, newPassword: 'short' });
      expect(weak.json().code).toBe('PASSWORD_POLICY_VIOLATION');
      const wrong = await postAs(fresh, '/api/v1/auth/change-password', {
        currentPassword: 'not-it-at-all',
        newPassword: 'another-long-password',
      });
      expect(wrong.json().code).toBe('PASSWORD_INCORRECT');
      const changed = await postAs(fresh, '/api/v1/auth/change-password', {
        currentPassword: PASSWORD,
        newPassword: 'another-long-password',
      });
      expect(changed.statusCode).toBe(200);
      expect((await getOrders(b, fresh)).json().code).toBe('TOKEN_REVOKED');
      expect((await login(a, 'victim')).statusCode).toBe(401);
      expect((await login(a, 'victim', 'another-long-password')).statusCode).toBe(200);
    });

    it('logout ends the session, or every session with allSessions', async () => {
      const token = await tokenFor(a, 'officer');
      const other = await tokenFor(a, 'officer');
      const out = await postAs(token, '/api/v1/auth/logout', {});
      expect(out.json().revoked).toBe(2);
      expect((await getOrders(b, token)).statusCode).toBe(401);
      expect((await getOrders(b, other)).statusCode).toBe(200);
      const third = await tokenFor(a, 'officer');
      const all = await postAs(third, '/api/v1/auth/logout', { allSessions: true });
      expect(all.json().revoked).toBeGreaterThanOrEqual(4);
      expect((await getOrders(b, other)).statusCode).toBe(401);
    });

    it('issues tokens any JWKS-aware client can verify', async () => {
      const token = await tokenFor(a, 'officer');
      const jwks = createLocalJWKSet((await a.app.inject({ method: 'GET', url: '/api/v1/auth/jwks' })).json());
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        issuer: 'tributary-gateway',
        audience: 'tributary',
        currentDate: new Date(clock.now()),
      });
      expect(protectedHeader.alg).toBe('ES256');
      expect(payload).toMatchObject({ sub: 'usr_officer', typ: 'access', role: 'GRANDPASS-OFFICER' });
      expect((payload.exp as number) - (payload.iat as number)).toBe(900);
    });

    it('access tokens expire after 15 minutes', async () => {
      const token = await tokenFor(a, 'officer');
      clock.advance(14 * 60 * 1000);
      expect((await getOrders(a, token)).statusCode).toBe(200);
      clock.advance(2 * 60 * 1000);
      const expired = await getOrders(a, token);
      expect(expired.statusCode).toBe(401);
      expect(expired.json().code).toBe('TOKEN_EXPIRED');
    });

    it('publishes the JWKS and rotates signing keys without ending live sessions', async () => {
      const before = await tokenFor(a, 'officer');
      const oldKid = decodeProtectedHeader(before).kid;
      const admin = await tokenFor(a, 'root');
      const rotated = await a.app.inject({ method: 'POST', url: '/api/v1/admin/signing-keys/rotate', headers: bearer(admin) });
      const newKid = rotated.json().kid as string;
      expect(newKid).not.toBe(oldKid);
      const jwks = (await b.app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      expect(jwks.keys.map((k: { kid: string }) => k.kid)).toEqual(expect.arrayContaining([oldKid, newKid]));
      expect(JSON.stringify(jwks)).not.toContain('"d"');
      // b has not reloaded yet: it learns the new kid on first sight.
      const after = await tokenFor(a, 'officer');
      expect(decodeProtectedHeader(after).kid).toBe(newKid);
      clock.advance(6_000);
      expect((await getOrders(b, after)).statusCode).toBe(200);
      expect((await getOrders(b, before)).statusCode).toBe(200);
    });

    it('refuses garbage credentials with 401 and anonymous calls to protected routes', async () => {
      expect((await a.app.inject({ method: 'GET', url: '/order', headers: { authorization: 'Bearer abc.def.ghi' } })).json().code).toBe(
        'TOKEN_INVALID',
      );
      expect((await a.app.inject({ method: 'GET', url: '/order' })).json().code).toBe('AUTH_REQUIRED');
      expect((await a.app.inject({ method: 'GET', url: '/order', headers: { authorization: 'Basic Zm9vOmJhcg==' } })).json().code).toBe(
        'AUTH_FAILED',
      );
      expect((await a.app.inject({ method: 'GET', url: '/api/v1/auth/profile' })).statusCode).toBe(401);
      expect((await a.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x' } })).statusCode).toBe(400);
    });
  });
}
