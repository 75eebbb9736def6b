import { generateSync } from 'otplib';
import { beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '@tributary/platform/testing';
import { createUser, gatewayBed, PASSWORD, type TestGateway } from './support.js';
import { harshaClient, type HarshaClient } from './harsha-support.js';

for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: TOTP two-factor`, () => {
    const bed = gatewayBed(target);
    let gateway: TestGateway;
    let client: HarshaClient;

    beforeAll(async () => {
      gateway = await bed.gateway({ env: { LOCKOUT_MAX_FAILURES: '3' } });
      client = await harshaClient(gateway);
      await createUser(gateway, 'tf-user', 'analyst');
      await createUser(gateway, 'tf-guessed', 'analyst');
      await createUser(gateway, 'tf-recovery', 'analyst');
    });

    /** The code an authenticator app shows now, from the secret alone; each test step moves to the next 30 s window. */
    const codeFor = (secret: string) => {
      gateway.clock.advance(30_000);
      return generateSync({ secret, epoch: Math.floor(gateway.clock.now() / 1000) });
    };
    const passwordStep = (username: string, password = PASSWORD) =>
      client.call('POST', '/api/v1/auth/login', { body: { email: `${username}@test.local`, password, application: 'b2c' } });
    const tokenOf = async (username: string) => {
      const answer = await passwordStep(username);
      return answer.body.data?.accessToken as string;
    };
    async function enrol(username: string): Promise<{ secret: string; recoveryCodes: string[]; token: string }> {
      const token = await tokenOf(username);
      const setup = await client.call('POST', '/api/v1/auth/2fa/setup', { token });
      expect(setup.status).toBe(200);
      const secret = setup.body.data?.secret as string;
      const enabled = await client.call('POST', '/api/v1/auth/2fa/enable', { token, body: { code: codeFor(secret) } });
      expect(enabled.status).toBe(200);
      return { secret, recoveryCodes: enabled.body.data?.recoveryCodes as string[], token };
    }

    it('enrols with a secret and otpauth URI, confirmed by a first code, and keeps the secret sealed', async () => {
      const token = await tokenOf('tf-user');
      const setup = await client.call('POST', '/api/v1/auth/2fa/setup', { token });
      expect(setup.body).toMatchObject({ success: true, data: { otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\/.*secret=/) } });
      const secret = setup.body.data?.secret as string;
      const stored = await gateway.deps.db
        .selectFrom('user_two_factor')
        .selectAll()
        .where('user_id', '=', 'usr_tf_user')
        .executeTakeFirstOrThrow();
      expect(stored.secret_ciphertext).not.toContain(secret);
      expect(stored.enabled).toBe(false);
      // Still a one-step login until a first code confirms the enrolment.
      expect((await passwordStep('tf-user')).body.data?.accessToken).toEqual(expect.any(String));
      const wrong = await client.call('POST', '/api/v1/auth/2fa/enable', { token, body: { code: '000000' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toMatchObject({ success: false, code: 'TWO_FACTOR_CODE_INVALID' });
      const enabled = await client.call('POST', '/api/v1/auth/2fa/enable', { token, body: { code: codeFor(secret) } });
      expect(enabled.status).toBe(200);
      const codes = enabled.body.data?.recoveryCodes as string[];
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      const row = await gateway.deps.db
        .selectFrom('user_two_factor')
        .selectAll()
        .where('user_id', '=', 'usr_tf_user')
        .executeTakeFirstOrThrow();
      expect(row.recovery_hashes).toHaveLength(10);
      expect(JSON.stringify(row.recovery_hashes)).not.toContain(codes[0]!.replace(/-/g, ''));
      const again = await client.call('POST', '/api/v1/auth/2fa/setup', { token });
      expect(again.body).toMatchObject({ success: false, code: 'TWO_FACTOR_ALREADY_ENABLED' });
      const off = await client.call('POST', '/api/v1/auth/2fa/disable', { token, body: { code: codes[0] } });
      expect(off.body).toMatchObject({ success: true, data: { enabled: false } });
    });

    it('asks for the second step at login and completes it with a current code, once', async () => {
      const { secret } = await enrol('tf-user');
      const first = await passwordStep('tf-user');
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ success: true, data: { requiresTwoFactor: true, challenge: expect.any(String) } });
      expect(first.body.data?.accessToken).toBeUndefined();
      const challenge = first.body.data?.challenge as string;
      const code = codeFor(secret);
      const done = await client.call('POST', '/api/v1/auth/2fa/verify', { body: { challenge, code } });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ success: true, data: { tokenType: 'Bearer', user: { username: 'tf-user' } } });
      const profile = await client.call('GET', '/api/v1/auth/profile', { token: done.body.data?.accessToken as string });
      expect(profile.status).toBe(200);
      // The challenge is spent, and the same code is not accepted twice.
      const replay = await client.call('POST', '/api/v1/auth/2fa/verify', { body: { challenge, code } });
      expect(replay.body).toMatchObject({ success: false, code: 'TWO_FACTOR_CHALLENGE_INVALID' });
      const next = (await passwordStep('tf-user')).body.data?.challenge as string;
      const reused = await client.call('POST', '/api/v1/auth/2fa/verify', { body: { challenge: next, code } });
      expect(reused.body).toMatchObject({ success: false, code: 'TWO_FACTOR_CODE_INVALID' });
      // The Tributary form of login asks for the second step as well.
      const plain = await client.call('POST', '/api/v1/auth/login', { body: { username: 'tf-user', password: PASSWORD } });
      expect(plain.body).toMatchObject({ requiresTwoFactor: true });
      expect(plain.body.accessToken).toBeUndefined();
    });

    it('accepts each recovery code once, in any spelling, and disables only with a code', async () => {
      const { secret, recoveryCodes } = await enrol('tf-recovery');
      const typed = recoveryCodes[0]!.toUpperCase().replace('-', ' ');
      const challenge = (await passwordStep('tf-recovery')).body.data?.challenge as string;
      const done = await client.call('POST', '/api/v1/auth/2fa/verify', { body: { challenge, code: typed } });
      expect(done.status).toBe(200);
      const token = done.body.data?.accessToken as string;
      const again = (await passwordStep('tf-recovery')).body.data?.challenge as string;
      const spent = await client.call('POST', '/api/v1/auth/2fa/verify', { body: { challenge: again, code: recoveryCodes[0] } });
      expect(spent.body).toMatchObject({ success: false, code: 'TWO_FACTOR_CODE_INVALID' });
      const status = await client.call('GET', '/api/v1/auth/2fa', { token });
      expect(status.body).toMatchObject({ success: true, data: { enabled: true, recoveryCodesLeft: 9 } });
      const noCode = await client.call('POST', '/api/v1/auth/2fa/disable', { token, body: {} });
      expect(noCode.status).toBe(400);
      const wrong = await client.call('POST', '/api/v1/auth/2fa/disable', { token, body: { code: '123456' } });
      expect(wrong.body).toMatchObject({ success: false, code: 'TWO_FACTOR_CODE_INVALID' });
      const off = await client.call('POST', '/api/v1/auth/2fa/disable', { token, body: { code: codeFor(secret) } });
      expect(off.body).toMatchObject({ success: true, data: { enabled: false } });
      expect((await passwordStep('tf-recovery')).body.data?.accessToken).toEqual(expect.any(String));
    });

    it('counts wrong codes as failed logins: the account locks on this address', async () => {
      const { secret } = await enrol('tf-guessed');
      const challenge = (await passwordStep('tf-guessed')).body.data?.challenge as string;
      const answers = [];
      for (const code of ['111111', '222222', '333333'])
        answers.push(await client.call('POST', '/api/v1/auth/2fa/verify', { body: { challenge, code } }));
      expect(answers.map((a) => a.body.code)).toEqual(['TWO_FACTOR_CODE_INVALID', 'TWO_FACTOR_CODE_INVALID', 'ACCOUNT_LOCKED']);
      const right = await client.call('POST', '/api/v1/auth/2fa/verify', { body: { challenge, code: codeFor(secret) } });
      expect(right.status).toBe(403);
      expect(right.body).toMatchObject({ success: false, code: 'ACCOUNT_LOCKED' });
    });
  });
}
