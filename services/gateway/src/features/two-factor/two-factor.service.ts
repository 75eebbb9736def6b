import { randomBytes, randomUUID } from 'node:crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';
import type { Clock } from '@tributary/platform/core';
import { sha256Hex, type SecretBox } from '../../crypto.js';
import { GatewayError } from '../../errors.js';
import type { AuthService, ClientInfo, SecondFactorGate, SessionOptions, TokenPair } from '../auth/auth.service.js';
import type { UserRow, UsersRepository } from '../auth/users.repository.js';
import type { TwoFactorRepository, TwoFactorRow } from './two-factor.repository.js';

export interface TwoFactorDeps {
  repo: TwoFactorRepository;
  box: SecretBox;
  users: UsersRepository;
  clock: Clock;
  issuer: string;
}

const RECOVERY_CODES = 10;
const CHALLENGE_SECONDS = 300;
const CHALLENGE_ATTEMPTS = 5;
/** One 30 s step either side: a phone a little out of step still works, a code stays good for at most 90 s. */
const TOLERANCE_SECONDS = 30;

/** Recovery codes are compared by hash in any spelling the user types them back. */
function normalisedRecovery(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, '');
}

/**
 * TOTP (RFC 6238) second factor: enrolment confirmed by a first code, a second login step, ten
 * single-use recovery codes, and disabling with a code. The secret is sealed with the gateway's
 * secret box like its other secrets; recovery codes are kept only as hashes.
 */
export class TwoFactorService implements SecondFactorGate {
  /** Set once the auth service exists (it needs this gate, this needs it to finish a login). */
  auth: AuthService | undefined;

  constructor(private readonly deps: TwoFactorDeps) {}

  private now(): Date {
    return new Date(this.deps.clock.now());
  }

  private authService(): AuthService {
    if (!this.auth) throw new Error('two-factor service used before the auth service was attached');
    return this.auth;
  }

  required(userId: string): Promise<boolean> {
    return this.deps.repo.isEnabled(userId);
  }

  async challenge(userId: string, session: SessionOptions, now: Date): Promise<string> {
    const challengeId = randomUUID();
    await this.deps.repo.createChallenge({
      challenge_id: challengeId,
      user_id: userId,
      application: session.application ?? null,
      remember_me: session.rememberMe === true,
      attempts: 0,
      expires_at: new Date(now.getTime() + CHALLENGE_SECONDS * 1000),
    });
    return challengeId;
  }

  async status(userId: string): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
    const row = await this.deps.repo.find(userId);
    return { enabled: row?.enabled === true, recoveryCodesLeft: row?.enabled ? row.recovery_hashes.length : 0 };
  }

  async enrol(user: UserRow): Promise<{ secret: string; otpauthUrl: string }> {
    const secret = generateSecret();
    if (!(await this.deps.repo.savePending(user.user_id, this.deps.box.seal(secret), this.now())))
      throw GatewayError.TWO_FACTOR_ALREADY_ENABLED('Two-factor authentication is already enabled; disable it first');
    return { secret, otpauthUrl: generateURI({ issuer: this.deps.issuer, label: user.username, secret }) };
  }

  async confirm(userId: string, code: string, client: ClientInfo): Promise<{ recoveryCodes: string[] }> {
    const row = await this.deps.repo.find(userId);
    if (!row || row.enabled) throw GatewayError.TWO_FACTOR_NOT_PENDING('There is no two-factor enrolment waiting for a code');
    await this.authService().assertNotLocked(userId, client.ip);
    const step = this.totpStep(row, code);
    if (step === undefined) return this.authService().secondFactorFailed(userId, client.ip);
    const codes = Array.from({ length: RECOVERY_CODES }, () =>
      randomBytes(10)
        .toString('hex')
        .replace(/(.{5})(?!$)/g, '$1-'),
    );
    if (
      !(await this.deps.repo.enable(
        userId,
        codes.map((c) => sha256Hex(normalisedRecovery(c))),
        step,
        this.now(),
      ))
    )
      throw GatewayError.TWO_FACTOR_NOT_PENDING('There is no two-factor enrolment waiting for a code');
    return { recoveryCodes: codes };
  }

  /** The second login step: a TOTP or recovery code against the challenge the password step gave. */
  async verifyLogin(
    challengeId: string,
    code: string,
    client: ClientInfo,
  ): Promise<TokenPair & { user: UserRow; session: SessionOptions }> {
    const { repo, users } = this.deps;
    const challenge = await repo.findChallenge(challengeId, this.now());
    if (!challenge) throw GatewayError.TWO_FACTOR_CHALLENGE_INVALID('The login challenge is unknown or has expired; log in again');
    const auth = this.authService();
    await auth.assertNotLocked(challenge.user_id, client.ip);
    const row = await repo.find(challenge.user_id);
    if (!row?.enabled || !(await this.accepts(row, code))) {
      await repo.failChallenge(challengeId, CHALLENGE_ATTEMPTS);
      return auth.secondFactorFailed(challenge.user_id, client.ip);
    }
    await repo.deleteChallenge(challengeId);
    const user = await users.findById(challenge.user_id);
    if (!user || !user.is_active || !user.api_access_enabled) throw GatewayError.ACCOUNT_DISABLED('This account is disabled');
    const session: SessionOptions = {
      ...(challenge.application ? { application: challenge.application as SessionOptions['application'] } : {}),
      ...(challenge.remember_me ? { rememberMe: true } : {}),
    };
    return { ...(await auth.completeLogin(user, client, session)), session };
  }

  async disable(userId: string, code: string, client: ClientInfo): Promise<void> {
    const row = await this.deps.repo.find(userId);
    if (!row?.enabled) throw GatewayError.TWO_FACTOR_NOT_PENDING('Two-factor authentication is not enabled');
    const auth = this.authService();
    await auth.assertNotLocked(userId, client.ip);
    if (!(await this.accepts(row, code))) return auth.secondFactorFailed(userId, client.ip);
    await this.deps.repo.remove(userId);
  }

  /** A current TOTP code not used before, or an unspent recovery code (spent by this call). */
  private async accepts(row: TwoFactorRow, code: string): Promise<boolean> {
    const step = this.totpStep(row, code);
    if (step !== undefined) return this.deps.repo.acceptStep(row.user_id, step);
    if (!/^[0-9a-f]{20}$/.test(normalisedRecovery(code))) return false;
    return this.deps.repo.spendRecovery(row.user_id, sha256Hex(normalisedRecovery(code)));
  }

  private totpStep(row: TwoFactorRow, code: string): number | undefined {
    if (!/^\d{6}$/.test(code)) return undefined;
    const result = verifySync({
      secret: this.deps.box.open(row.secret_ciphertext),
      token: code,
      epoch: Math.floor(this.deps.clock.now() / 1000),
      epochTolerance: TOLERANCE_SECONDS,
    });
    return result.valid && 'timeStep' in result ? result.timeStep : undefined;
  }
}
