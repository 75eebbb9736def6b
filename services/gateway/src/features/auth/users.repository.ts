import { sql, type Kysely, type Selectable } from 'kysely';
import { conflict } from '@tributary/platform/core';
import { dbErrorKind } from '@tributary/platform/db';
import { GatewayError } from '../../errors.js';
import type { ApiUsersTable, GatewayDatabase, RateLimitTier } from '../../db/schema.js';

export type UserRow = Selectable<ApiUsersTable>;

export interface NewUser {
  userId: string;
  username: string;
  email: string;
  passwordHash: string;
  fullName: string;
  role: string;
  userType?: 'internal' | 'external' | 'service';
  department?: string | null;
  tier?: RateLimitTier;
  createdBy: string;
}

export class UsersRepository {
  constructor(private readonly db: Kysely<GatewayDatabase>) {}

  findByLogin(login: string): Promise<UserRow | undefined> {
    const lower = login.toLowerCase();
    return this.db
      .selectFrom('api_users')
      .selectAll()
      .where((eb) => eb.or([eb(sql`lower(username)`, '=', lower), eb(sql`lower(email)`, '=', lower)]))
      .executeTakeFirst();
  }

  findById(userId: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('api_users').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  async create(user: NewUser, db: Kysely<GatewayDatabase> = this.db): Promise<UserRow> {
    try {
      return await db
        .insertInto('api_users')
        .values({
          user_id: user.userId,
          username: user.username,
          email: user.email,
          password_hash: user.passwordHash,
          full_name: user.fullName,
          role: user.role,
          user_type: user.userType ?? 'internal',
          department: user.department ?? null,
          rate_limit_tier: user.tier ?? 'standard',
          created_by: user.createdBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (dbErrorKind(error) === 'unique') throw conflict(GatewayError.UserExists, 'A user with this user id, username or email already exists');
      throw error;
    }
  }

  /**
   * Counts a failure and locks when the limit is reached, atomically, so parallel guesses
   * cannot slip past the limit. A lock that has already run out starts a fresh count.
   */
  async recordFailure(userId: string, now: Date, maxFailures: number, lockSeconds: number): Promise<{ attempts: number; lockedUntil: Date | null }> {
    const row = await this.db
      .updateTable('api_users')
      .set((eb) => {
        const expired = sql<boolean>`(account_locked_until is not null and account_locked_until <= ${now})`;
        const attempts = sql<number>`case when ${expired} then 1 else failed_login_attempts + 1 end`;
        return {
          failed_login_attempts: attempts,
          account_locked_until: sql`case when ${attempts} >= ${maxFailures} then ${new Date(now.getTime() + lockSeconds * 1000)}::timestamptz when ${expired} then null else account_locked_until end`,
          is_locked: sql`(${attempts} >= ${maxFailures})`,
          updated_at: eb.val(now),
        };
      })
      .where('user_id', '=', userId)
      .returning(['failed_login_attempts', 'account_locked_until'])
      .executeTakeFirst();
    return { attempts: row?.failed_login_attempts ?? 0, lockedUntil: row?.account_locked_until ?? null };
  }

  async recordSuccess(userId: string, now: Date, newHash?: string): Promise<void> {
    await this.db
      .updateTable('api_users')
      .set({
        failed_login_attempts: 0,
        is_locked: false,
        account_locked_until: null,
        last_login_at: now,
        ...(newHash ? { password_hash: newHash } : {}),
      })
      .where('user_id', '=', userId)
      .execute();
  }

  async setPassword(userId: string, hash: string, now: Date, by: string): Promise<void> {
    await this.db
      .updateTable('api_users')
      .set({ password_hash: hash, password_changed_at: now, updated_at: now, updated_by: by })
      .where('user_id', '=', userId)
      .execute();
  }

  async update(
    userId: string,
    changes: { fullName?: string; role?: string; department?: string | null; isActive?: boolean; tier?: RateLimitTier; unlock?: boolean },
    by: string,
    now: Date,
  ): Promise<UserRow | undefined> {
    return this.db
      .updateTable('api_users')
      .set({
        ...(changes.fullName !== undefined ? { full_name: changes.fullName } : {}),
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.department !== undefined ? { department: changes.department } : {}),
        ...(changes.isActive !== undefined ? { is_active: changes.isActive } : {}),
        ...(changes.tier !== undefined ? { rate_limit_tier: changes.tier } : {}),
        ...(changes.unlock ? { is_locked: false, account_locked_until: null, failed_login_attempts: 0 } : {}),
        updated_at: now,
        updated_by: by,
      })
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
  }

  async list(filters: { role?: string; isActive?: boolean; userType?: string; search?: string }, page: number, limit: number): Promise<{ items: UserRow[]; total: number }> {
    let query = this.db.selectFrom('api_users');
    if (filters.role) query = query.where('role', '=', filters.role);
    if (filters.isActive !== undefined) query = query.where('is_active', '=', filters.isActive);
    if (filters.userType) query = query.where('user_type', '=', filters.userType);
    if (filters.search) {
      const like = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) => eb.or([eb('username', 'ilike', like), eb('email', 'ilike', like), eb('full_name', 'ilike', like)]));
    }
    const [items, count] = await Promise.all([
      query.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).offset((page - 1) * limit).execute(),
      query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }
}

export function publicUser(row: UserRow) {
  return {
    userId: row.user_id,
    username: row.username,
    email: row.email,
    fullName: row.full_name,
    role: row.role,
    userType: row.user_type,
    department: row.department,
    isActive: row.is_active,
    isLocked: row.account_locked_until !== null && new Date(row.account_locked_until).getTime() > Date.now(),
    failedLoginAttempts: row.failed_login_attempts,
    rateLimitTier: row.rate_limit_tier,
    lastLoginAt: row.last_login_at ? new Date(row.last_login_at).toISOString() : null,
    passwordChangedAt: new Date(row.password_changed_at).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
  };
}
