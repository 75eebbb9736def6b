import { sql, type Kysely } from 'kysely';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import type { GatewayDatabase } from '../../db/schema.js';
import type { LimiterFactory } from '../limits/store.js';

export interface LoginGuardSettings {
  lockoutMaxFailures: number;
  lockoutSeconds: number;
  loginIpMaxFailures: number;
  loginIpWindowSeconds: number;
}

export interface LockState {
  locked: boolean;
  lockedUntil: Date | null;
}

/** Expired rows are swept every this many failures (per process), so the table stays small under a spray. */
const SWEEP_EVERY = 256;

/**
 * The login policy.
 *
 * - Lockout is per account *and* address (`login_failures`): five wrong passwords within the
 *   lockout period from one address lock that address out of that account for the period,
 *   and nobody else, so nobody can lock a user out from elsewhere.
 * - An unknown user name is an account like any other (keyed by the name), so it locks the
 *   same way after the same number of failures: the answers do not tell names apart.
 * - The per-address throttle counts failures of every name from the address (limiter store);
 *   once over, it refuses only wrong passwords, so another user's correct login from the same
 *   address (an office behind one NAT) still works. The guessing bound stays the per-account
 *   lockout plus the anonymous per-address rate limit.
 * - An administrator's unlock deletes the account's rows: its locks end on every address.
 */
export class LoginGuard {
  private readonly addresses: RateLimiterAbstract;
  private failuresSinceSweep = 0;

  constructor(
    private readonly db: Kysely<GatewayDatabase>,
    limiters: LimiterFactory,
    private readonly settings: LoginGuardSettings,
  ) {
    this.addresses = limiters.limiter('login-ip', settings.loginIpMaxFailures, settings.loginIpWindowSeconds);
  }

  /** The account part of the key: the user when the name is known, else the name itself. */
  static account(userId: string | undefined, login: string): string {
    return userId ? `u:${userId}` : `n:${login.trim().toLowerCase().slice(0, 296)}`;
  }

  async state(account: string, ip: string, now: Date): Promise<LockState> {
    const row = await this.db
      .selectFrom('login_failures')
      .select('locked_until')
      .where('account', '=', account)
      .where('client_ip', '=', ip)
      .executeTakeFirst();
    const until = row?.locked_until ? new Date(row.locked_until) : null;
    return until && until > now ? { locked: true, lockedUntil: until } : { locked: false, lockedUntil: null };
  }

  /** Counts a wrong password; returns the lock state after it and whether the address is over its budget. */
  async failure(account: string, ip: string, now: Date): Promise<LockState & { addressThrottled: boolean; addressMsLeft: number }> {
    const { lockoutMaxFailures: max, lockoutSeconds } = this.settings;
    const windowStart = new Date(now.getTime() - lockoutSeconds * 1000);
    const lockEnd = new Date(now.getTime() + lockoutSeconds * 1000);
    // A failure after the counting window or after a lock ended starts a new count.
    const fresh = sql<boolean>`(login_failures.first_failure_at <= ${windowStart} or (login_failures.locked_until is not null and login_failures.locked_until <= ${now}))`;
    const failures = sql<number>`case when ${fresh} then 1 else login_failures.failures + 1 end`;
    const row = await this.db
      .insertInto('login_failures')
      .values({ account, client_ip: ip, failures: 1, first_failure_at: now, locked_until: max <= 1 ? lockEnd : null })
      .onConflict((oc) =>
        oc.columns(['account', 'client_ip']).doUpdateSet({
          failures,
          first_failure_at: sql`case when ${fresh} then ${now}::timestamptz else login_failures.first_failure_at end`,
          locked_until: sql`case when ${failures} >= ${max} then ${lockEnd}::timestamptz when ${fresh} then null else login_failures.locked_until end`,
        }),
      )
      .returning(['locked_until'])
      .executeTakeFirstOrThrow();
    if (++this.failuresSinceSweep >= SWEEP_EVERY) await this.sweep(now);
    const until = row.locked_until ? new Date(row.locked_until) : null;
    const address = await consume(this.addresses, ip);
    return {
      locked: until !== null && until > now,
      lockedUntil: until,
      addressThrottled: address.consumedPoints > this.settings.loginIpMaxFailures,
      addressMsLeft: address.msBeforeNext,
    };
  }

  async success(account: string, ip: string): Promise<void> {
    await this.db.deleteFrom('login_failures').where('account', '=', account).where('client_ip', '=', ip).execute();
  }

  async unlock(userId: string): Promise<number> {
    const result = await this.db.deleteFrom('login_failures').where('account', '=', LoginGuard.account(userId, '')).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  private async sweep(now: Date): Promise<void> {
    this.failuresSinceSweep = 0;
    const before = new Date(now.getTime() - this.settings.lockoutSeconds * 1000);
    await this.db
      .deleteFrom('login_failures')
      .where('first_failure_at', '<=', before)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
      .execute();
  }
}

/** rate-limiter-flexible rejects with the result when over its points; both are data here. */
async function consume(limiter: RateLimiterAbstract, key: string): Promise<RateLimiterRes> {
  try {
    return await limiter.consume(key, 1);
  } catch (thrown) {
    if (thrown instanceof Error) throw thrown;
    return thrown as RateLimiterRes;
  }
}
