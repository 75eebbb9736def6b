import { randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, type JWTPayload } from 'jose';
import type { Kysely } from 'kysely';
import { AppError, type Clock, type Logger } from '@tributary/platform/core';
import { sha256Hex } from '../../crypto.js';
import type { GatewayDatabase } from '../../db/schema.js';
import type { Consumer } from '../../edge/consumer.js';
import { GatewayError } from '../../errors.js';
import type { VersionedCache, VersionSource } from '../../shared/versions.js';
import type { LimiterFactory } from '../limits/store.js';
import { isApplication, mayUseApplication, type Application } from './applications.js';
import { checkPolicy, type PasswordHasher, type PasswordPolicy } from './passwords.js';
import { LoginGuard } from './login-guard.js';
import type { SigningKeys } from './signing-keys.js';
import type { TokensRepository } from './tokens.repository.js';
import type { UserRow, UsersRepository } from './users.repository.js';

export interface AuthSettings {
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  /** Refresh lifetime of a session opened with the original client's `rememberMe`. */
  rememberMeRefreshTtlSeconds: number;
  lockoutMaxFailures: number;
  lockoutSeconds: number;
  loginIpMaxFailures: number;
  loginIpWindowSeconds: number;
  policy: PasswordPolicy;
}

/** The second login step, when the account has one; kept apart so the auth service stays about passwords and tokens. */
export interface SecondFactorGate {
  required(userId: string): Promise<boolean>;
  challenge(userId: string, session: SessionOptions, now: Date): Promise<string>;
}

export interface AuthDeps {
  db: Kysely<GatewayDatabase>;
  secondFactor: SecondFactorGate;
  users: UsersRepository;
  tokens: TokensRepository;
  keys: SigningKeys;
  hasher: PasswordHasher;
  versions: VersionSource;
  cache: VersionedCache<unknown>;
  limiters: LimiterFactory;
  clock: Clock;
  logger: Logger;
  settings: AuthSettings;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshExpiresIn: number;
}

/** How a session was opened: the original clients name their application and may ask to be remembered. */
export interface SessionOptions {
  application?: Application;
  rememberMe?: boolean;
}

export type LoginResult =
  (TokenPair & { user: UserRow; requiresTwoFactor?: undefined }) | { requiresTwoFactor: true; challenge: string; user: UserRow };

export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

interface AccessStatus {
  ok: boolean;
  /** Why the token no longer works; the catalogue decides the status. */
  code?: 'TOKEN_INVALID' | 'TOKEN_REVOKED' | 'ACCOUNT_DISABLED';
  /** Current role and tier from the user row: a role change applies without waiting for a new token. */
  role?: string;
  tier?: Consumer['tier'];
  username?: string;
}

const REFRESH_FORMAT = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

export class AuthService {
  /**
   * Tokens whose signature and claims already verified, by the exact token string: the
   * signature check is pure computation, so repeating it per request buys nothing. Expiry is
   * re-checked on every use; revocation is checked separately on every use.
   */
  private readonly verifiedTokens = new Map<string, JWTPayload>();

  private readonly guard: LoginGuard;

  constructor(private readonly deps: AuthDeps) {
    this.guard = new LoginGuard(deps.db, deps.limiters, deps.settings);
  }

  private async verified(token: string): Promise<JWTPayload> {
    const cached = this.verifiedTokens.get(token);
    if (cached && typeof cached.exp === 'number' && cached.exp * 1000 > this.deps.clock.now()) return cached;
    if (cached) this.verifiedTokens.delete(token);
    const payload = await this.deps.keys.verify(token);
    if (this.verifiedTokens.size >= VERIFIED_CACHE_MAX) this.verifiedTokens.clear();
    this.verifiedTokens.set(token, payload);
    return payload;
  }

  private now(): Date {
    return new Date(this.deps.clock.now());
  }

  /**
   * Login under the policy of LoginGuard. Known and unknown names take the same steps (one
   * lookup, one lock check, one password hash) and get the same answers; an account's
   * disabled state is told only to someone who proved the password.
   */
  async login(login: string, password: string, client: ClientInfo, session: SessionOptions = {}): Promise<LoginResult> {
    const { users, hasher } = this.deps;
    const user = await users.findByLogin(login);
    const account = LoginGuard.account(user?.user_id, login);
    const now = this.now();
    const lock = await this.guard.state(account, client.ip, now);
    if (lock.lockedUntil) throw lockedError(lock.lockedUntil, now);

    const valid = user ? await hasher.verify(user.password_hash, password) : (await hasher.burn(password), false);
    if (!user || !valid) {
      const after = await this.guard.failure(account, client.ip, now);
      // Nothing is written to the user row here: a known name would then cost one write more
      // than an unknown one, a difference in time that tells them apart.
      if (after.locked && after.lockedUntil) throw lockedError(after.lockedUntil, now);
      if (after.addressThrottled) {
        throw GatewayError.LOGIN_THROTTLED('Too many failed logins from this address; try again later', {
          headers: { 'Retry-After': String(Math.max(1, Math.ceil(after.addressMsLeft / 1000))) },
        });
      }
      throw GatewayError.INVALID_CREDENTIALS('Invalid username or password');
    }
    if (!user.is_active || !user.api_access_enabled) throw GatewayError.ACCOUNT_DISABLED('This account is disabled');
    if (session.application && !mayUseApplication(user, session.application))
      throw GatewayError.APP_ACCESS_DENIED(`This account may not sign in to the ${session.application} application`);
    const rehash = hasher.needsRehash(user.password_hash) ? await hasher.hash(password) : undefined;
    if (rehash) await users.setPassword(user.user_id, rehash, new Date(user.password_changed_at), user.user_id);
    // The password alone proves nothing yet for an account with a second factor: the lockout
    // count stays until the code is right too.
    if (await this.deps.secondFactor.required(user.user_id))
      return { requiresTwoFactor: true, challenge: await this.deps.secondFactor.challenge(user.user_id, session, now), user };
    return this.completeLogin(user, client, session);
  }

  /** Issues the session once every factor is proven; the failure counts of the account on this address end. */
  async completeLogin(user: UserRow, client: ClientInfo, session: SessionOptions = {}): Promise<TokenPair & { user: UserRow }> {
    const now = this.now();
    await this.guard.success(LoginGuard.account(user.user_id, user.username), client.ip);
    await this.deps.users.recordSuccess(user.user_id, now);
    const pair = await this.issue(user, randomUUID(), client, this.deps.db, session);
    return { ...pair, user };
  }

  /**
   * A wrong second-factor code counts as a failed login of the account from this address, so
   * codes cannot be guessed faster than passwords.
   */
  async secondFactorFailed(userId: string, ip: string): Promise<never> {
    const now = this.now();
    const after = await this.guard.failure(LoginGuard.account(userId, userId), ip, now);
    if (after.locked && after.lockedUntil) throw lockedError(after.lockedUntil, now);
    throw GatewayError.TWO_FACTOR_CODE_INVALID('The code is not valid');
  }

  /** Whether the account is locked on this address right now (checked before a code is tried). */
  async assertNotLocked(userId: string, ip: string): Promise<void> {
    const now = this.now();
    const lock = await this.guard.state(LoginGuard.account(userId, userId), ip, now);
    if (lock.lockedUntil) throw lockedError(lock.lockedUntil, now);
  }

  /** An administrator's unlock: the account's lockouts end on every address. */
  async unlock(userId: string): Promise<number> {
    return this.guard.unlock(userId);
  }

  private async issue(
    user: UserRow,
    familyId: string,
    client: ClientInfo,
    db: Kysely<GatewayDatabase>,
    session: SessionOptions = {},
  ): Promise<TokenPair> {
    const { settings, keys, tokens } = this.deps;
    const now = this.now();
    const refreshTtl = session.rememberMe ? settings.rememberMeRefreshTtlSeconds : settings.refreshTtlSeconds;
    const accessId = randomUUID();
    const refreshId = randomUUID();
    const accessToken = await keys.sign(
      {
        sub: user.user_id,
        jti: accessId,
        typ: 'access',
        username: user.username,
        role: user.role,
        tier: user.rate_limit_tier,
        sid: familyId,
        ...(session.application ? { app: session.application } : {}),
      },
      settings.accessTtlSeconds,
    );
    const refreshToken = `${refreshId}.${randomBytes(32).toString('base64url')}`;
    await tokens.insert(
      [
        {
          tokenId: accessId,
          userId: user.user_id,
          hash: sha256Hex(accessToken),
          type: 'access',
          familyId,
          issuedAt: now,
          expiresAt: new Date(now.getTime() + settings.accessTtlSeconds * 1000),
          clientIp: client.ip,
          userAgent: client.userAgent,
        },
        {
          tokenId: refreshId,
          userId: user.user_id,
          hash: sha256Hex(refreshToken),
          type: 'refresh',
          familyId,
          issuedAt: now,
          expiresAt: new Date(now.getTime() + refreshTtl * 1000),
          clientIp: client.ip,
          userAgent: client.userAgent,
          session,
        },
      ],
      db,
    );
    return {
      accessToken,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: settings.accessTtlSeconds,
      refreshExpiresIn: refreshTtl,
    };
  }

  /**
   * Rotates a refresh token. A token that was already rotated and comes back means two
   * parties hold it (one of them a thief): the whole family is revoked, and both must log in.
   */
  async refresh(refreshToken: string, client: ClientInfo): Promise<TokenPair & { session: SessionOptions }> {
    const { tokens, users, db } = this.deps;
    const match = REFRESH_FORMAT.exec(refreshToken);
    if (!match) throw GatewayError.REFRESH_TOKEN_INVALID('Refresh token is malformed');
    const row = await tokens.find(match[1]!);
    if (!row || row.token_type !== 'refresh' || row.token_hash !== sha256Hex(refreshToken)) {
      throw GatewayError.REFRESH_TOKEN_INVALID('Refresh token is not recognised');
    }
    const now = this.now();
    if (row.is_revoked) {
      if (row.revocation_reason === 'rotated') await this.reuseDetected(row.family_id, row.user_id);
      throw GatewayError.TOKEN_REVOKED('Refresh token has been revoked');
    }
    if (new Date(row.expires_at) <= now) throw GatewayError.TOKEN_EXPIRED('Refresh token has expired');
    const user = await users.findById(row.user_id);
    if (!user || !user.is_active || !user.api_access_enabled) throw GatewayError.ACCOUNT_DISABLED('This account is disabled');

    const session = sessionOf(row.scope);
    const pair = await db.transaction().execute(async (trx) => {
      const replacement = randomUUID();
      if (!(await tokens.markRotated(row.token_id, replacement, now, trx))) return undefined;
      // The session's earlier access tokens end with the rotation.
      await tokens.revoke({ familyId: row.family_id, type: 'access' }, 'refreshed', row.user_id, now, trx);
      return this.issue(user, row.family_id, client, trx, session);
    });
    if (!pair) {
      // Lost a race with another use of the same token: that is reuse too.
      await this.reuseDetected(row.family_id, row.user_id);
      throw GatewayError.REFRESH_TOKEN_REUSED('Refresh token was already used; the session has been revoked');
    }
    await this.deps.versions.bump('auth');
    return { ...pair, session };
  }

  private async reuseDetected(familyId: string, userId: string): Promise<never> {
    const revoked = await this.deps.tokens.revoke({ familyId }, 'refresh token reuse detected', 'gateway', this.now());
    await this.deps.versions.bump('auth');
    this.deps.logger.warn({ userId, familyId, revoked }, 'refresh token reuse detected; token family revoked');
    throw GatewayError.REFRESH_TOKEN_REUSED('Refresh token was already used; the session has been revoked');
  }

  async logout(consumer: Consumer, all: boolean): Promise<number> {
    if (!consumer.userId) return 0;
    const now = this.now();
    let revoked = 0;
    if (all) revoked = await this.deps.tokens.revoke({ userId: consumer.userId }, 'User logout (all sessions)', consumer.userId, now);
    else if (consumer.tokenId) {
      const token = await this.deps.tokens.find(consumer.tokenId);
      if (token) revoked = await this.deps.tokens.revoke({ familyId: token.family_id }, 'User logout', consumer.userId, now);
    }
    await this.deps.versions.bump('auth');
    return revoked;
  }

  async revokeToken(tokenId: string, by: string): Promise<number> {
    const revoked = await this.deps.tokens.revoke({ tokenId }, 'Revoked by administrator', by, this.now());
    await this.deps.versions.bump('auth');
    return revoked;
  }

  async revokeUser(userId: string, by: string, reason = 'Bulk revocation of all tokens'): Promise<number> {
    const revoked = await this.deps.tokens.revoke({ userId }, reason, by, this.now());
    await this.deps.versions.bump('auth');
    return revoked;
  }

  /** With `keepTokenId`, the session that made the change stays (the original clients expect that); every other ends. */
  async changePassword(userId: string, current: string, next: string, keepTokenId?: string): Promise<number> {
    const { users, hasher, settings, tokens } = this.deps;
    const user = await users.findById(userId);
    if (!user) throw GatewayError.TOKEN_INVALID('User no longer exists');
    if (!(await hasher.verify(user.password_hash, current))) throw GatewayError.PASSWORD_INCORRECT('Current password is incorrect');
    checkPolicy(next, settings.policy);
    await users.setPassword(userId, await hasher.hash(next), this.now(), userId);
    const kept = keepTokenId ? (await tokens.find(keepTokenId))?.family_id : undefined;
    if (!kept) return this.revokeUser(userId, userId, 'Password changed');
    const revoked = await tokens.revoke({ userId, exceptFamilyId: kept }, 'Password changed', userId, this.now());
    await this.deps.versions.bump('auth');
    return revoked;
  }

  /** Verifies signature and claims, then asks the revocation store (cached per version). */
  async authenticateAccessToken(token: string, arrivedAt?: number): Promise<Consumer> {
    let payload;
    try {
      payload = await this.verified(token);
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw GatewayError.TOKEN_EXPIRED('Access token has expired');
      throw GatewayError.TOKEN_INVALID('Access token is invalid');
    }
    if (payload.typ !== 'access' || typeof payload.jti !== 'string' || typeof payload.sub !== 'string') {
      throw GatewayError.TOKEN_INVALID('Access token is invalid');
    }
    const cacheKey = `jti:${payload.jti}`;
    const version = await this.deps.cache.sync(arrivedAt);
    let status = this.deps.cache.get(cacheKey) as AccessStatus | undefined;
    if (!status) {
      const row = await this.deps.tokens.accessStatus(payload.jti);
      status = !row
        ? { ok: false, code: GatewayError.TOKEN_INVALID.code }
        : row.revoked
          ? { ok: false, code: GatewayError.TOKEN_REVOKED.code }
          : !row.userActive
            ? { ok: false, code: GatewayError.ACCOUNT_DISABLED.code }
            : { ok: true, role: row.role, tier: row.tier as Consumer['tier'], username: row.username };
      this.deps.cache.set(cacheKey, status, version);
    }
    if (!status.ok) throw GatewayError[status.code ?? 'TOKEN_INVALID']('Access token is no longer valid');
    return {
      method: 'jwt',
      userId: payload.sub,
      username: status.username ?? '',
      roles: status.role ? [status.role] : [],
      tokenId: payload.jti,
      tier: status.tier ?? 'standard',
      ...(isApplication(payload.app) ? { application: payload.app } : {}),
    };
  }
}

const VERIFIED_CACHE_MAX = 20_000;

function sessionOf(scope: unknown): SessionOptions {
  const value = (scope ?? {}) as { application?: unknown; rememberMe?: unknown };
  return {
    ...(isApplication(value.application) ? { application: value.application } : {}),
    ...(value.rememberMe === true ? { rememberMe: true } : {}),
  };
}

function lockedError(until: Date, now: Date): AppError {
  return GatewayError.ACCOUNT_LOCKED('Account is locked after too many failed logins', {
    details: { lockedUntil: until.toISOString() },
    headers: { 'Retry-After': String(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))) },
  });
}
