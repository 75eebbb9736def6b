import { sql, type Kysely, type Selectable } from 'kysely';
import {
  FieldCipher,
  loadMasterKeys,
  masterKeyFilePath,
  masterKeysFromSecret,
  reencryptAll,
  type EncryptedTable,
  type MasterKeys,
  type ServiceEncryption,
} from '@tributary/platform/crypto';
import { dbErrorKind } from '@tributary/platform/db';
import type { ServiceContext } from '@tributary/platform/service';
import { GatewayError } from '../../errors.js';
import type { ApiUsersTable, GatewayDatabase, RateLimitTier } from '../../db/schema.js';

/** A user as the rest of the gateway sees it: personal fields in plaintext, no blind index. */
export type UserRow = Omit<Selectable<ApiUsersTable>, 'email_bidx'>;

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

const EMAIL = { table: 'api_users', column: 'email' };
const FULL_NAME = { table: 'api_users', column: 'full_name' };

/** What the re-encryption pass and the key rotation command walk in the gateway. */
export const GATEWAY_ENCRYPTED_TABLES: readonly EncryptedTable[] = [
  { table: 'api_users', key: 'user_id', columns: [{ name: 'email', blindIndex: 'email_bidx' }, { name: 'full_name' }] },
];

/** Searching personal fields means decrypting; a user search reads at most this many rows. */
const SEARCH_SCAN_LIMIT = 10_000;

/**
 * The gateway's master keys: the key file when TRIBUTARY_MASTER_KEY_FILE is set, otherwise a
 * key derived from the secret that already seals the gateway's signing keys (its replicas
 * share it). See docs/operations.md, "Encryption at rest".
 */
export async function gatewayMasterKeys(context: Pick<ServiceContext, 'env' | 'credentials'>): Promise<MasterKeys> {
  if (context.env.TRIBUTARY_MASTER_KEY_FILE) return loadMasterKeys(context.env);
  return masterKeysFromSecret(context.env.GATEWAY_SECRET_KEY ?? context.credentials.secretAccessKey, 'gateway:api_users');
}

/** For `tributary keys rotate --service gateway`. */
export const encryption: ServiceEncryption = {
  tables: GATEWAY_ENCRYPTED_TABLES,
  masterKeys: ({ env, secret }) => gatewayMasterKeys({ env, credentials: { accessKeyId: '', secretAccessKey: secret } }),
  masterKeyFile: ({ env }) => (env.TRIBUTARY_MASTER_KEY_FILE ? masterKeyFilePath(env).path : undefined),
};

export async function gatewayFieldCipher(context: Pick<ServiceContext, 'env' | 'credentials' | 'database'>): Promise<FieldCipher> {
  // One process owns a PGlite directory, so no other process can rotate under it: no need to re-read the active key.
  const ttl = context.database.dialect === 'pglite' ? { activeKeyTtlMs: Number.POSITIVE_INFINITY } : {};
  return new FieldCipher({ db: context.database.db, masterKeys: await gatewayMasterKeys(context), ...ttl });
}

/**
 * api_users with `email` and `full_name` encrypted at rest (ADR 0010). Callers see plaintext;
 * every cipher call happens outside a transaction the caller may hold, except in `create`
 * (sealing needs no database once the keys are loaded, which `ready()` ensures).
 */
export class UsersRepository {
  constructor(
    private readonly db: Kysely<GatewayDatabase>,
    private readonly cipher: FieldCipher,
  ) {}

  /** Loads the keys (creating the first data key) so later calls never query inside a caller's transaction. */
  async ready(): Promise<void> {
    await this.cipher.prepare();
  }

  /** Encrypts rows written before the columns were encrypted (run at start-up, before serving). */
  async encryptExisting(): Promise<number> {
    await this.ready();
    return (await reencryptAll(this.db, this.cipher, GATEWAY_ENCRYPTED_TABLES, { encryptPlaintext: true })).rewritten;
  }

  async findByLogin(login: string): Promise<UserRow | undefined> {
    const lower = login.toLowerCase();
    const index = await this.cipher.blindIndex(login, EMAIL);
    const row = await this.db
      .selectFrom('api_users')
      .selectAll()
      .where((eb) => eb.or([eb(sql`lower(username)`, '=', lower), eb('email_bidx', '=', index)]))
      .executeTakeFirst();
    return row && this.open(row);
  }

  /** Active administrators, oldest first: whether the gateway still needs its first one, and who for the banner. */
  async administrators(limit: number): Promise<{ username: string; createdBy: string | null }[]> {
    const rows = await this.db
      .selectFrom('api_users')
      .select(['username', 'created_by'])
      .where('role', '=', 'administrator')
      .where('is_active', '=', true)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ username: row.username, createdBy: row.created_by }));
  }

  async findById(userId: string): Promise<UserRow | undefined> {
    const row = await this.db.selectFrom('api_users').selectAll().where('user_id', '=', userId).executeTakeFirst();
    return row && this.open(row);
  }

  async create(user: NewUser, db: Kysely<GatewayDatabase> = this.db): Promise<UserRow> {
    const [email, emailIndex, fullName] = await Promise.all([
      this.cipher.encrypt(user.email, EMAIL),
      this.cipher.blindIndex(user.email, EMAIL),
      this.cipher.encrypt(user.fullName, FULL_NAME),
    ]);
    try {
      const row = await db
        .insertInto('api_users')
        .values({
          user_id: user.userId,
          username: user.username,
          email,
          email_bidx: emailIndex,
          password_hash: user.passwordHash,
          full_name: fullName,
          role: user.role,
          user_type: user.userType ?? 'internal',
          department: user.department ?? null,
          rate_limit_tier: user.tier ?? 'standard',
          created_by: user.createdBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return await this.open(row);
    } catch (error) {
      if (dbErrorKind(error) === 'unique')
        throw GatewayError.USER_ALREADY_EXISTS('A user with this user id, username or email already exists');
      throw error;
    }
  }

  /**
   * Counts a failure and locks when the limit is reached, atomically, so parallel guesses
   * cannot slip past the limit. A lock that has already run out starts a fresh count.
   */
  async recordFailure(
    userId: string,
    now: Date,
    maxFailures: number,
    lockSeconds: number,
  ): Promise<{ attempts: number; lockedUntil: Date | null }> {
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
    changes: {
      fullName?: string;
      role?: string;
      department?: string | null;
      isActive?: boolean;
      isVerified?: boolean;
      tier?: RateLimitTier;
      unlock?: boolean;
    },
    by: string,
    now: Date,
  ): Promise<UserRow | undefined> {
    const fullName = changes.fullName !== undefined ? await this.cipher.encrypt(changes.fullName, FULL_NAME) : undefined;
    const row = await this.db
      .updateTable('api_users')
      .set({
        ...(fullName !== undefined ? { full_name: fullName } : {}),
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.department !== undefined ? { department: changes.department } : {}),
        ...(changes.isActive !== undefined ? { is_active: changes.isActive } : {}),
        ...(changes.isVerified !== undefined ? { is_verified: changes.isVerified } : {}),
        ...(changes.tier !== undefined ? { rate_limit_tier: changes.tier } : {}),
        ...(changes.unlock ? { is_locked: false, account_locked_until: null, failed_login_attempts: 0 } : {}),
        updated_at: now,
        updated_by: by,
      })
      .where('user_id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    return row && this.open(row);
  }

  /**
   * Erasure of a person (privacy): the row keeps its place for the records that name it, but
   * its e-mail and name become the pseudonym (still encrypted, so the row reads like any other),
   * the blind index stops matching the old address, and the account can never sign in again.
   */
  async forget(userId: string, pseudonym: string, db: Kysely<GatewayDatabase> = this.db): Promise<void> {
    const email = `${pseudonym}@erased.invalid`;
    const [sealedEmail, emailIndex, sealedName] = await Promise.all([
      this.cipher.encrypt(email, EMAIL),
      this.cipher.blindIndex(email, EMAIL),
      this.cipher.encrypt(pseudonym, FULL_NAME),
    ]);
    await db
      .updateTable('api_users')
      .set({
        email: sealedEmail,
        email_bidx: emailIndex,
        full_name: sealedName,
        department: null,
        password_hash: '!',
        is_active: false,
        api_access_enabled: false,
      })
      .where('user_id', '=', userId)
      .execute();
  }

  /**
   * Without `search`, one page straight from SQL. With it, email and full name are encrypted,
   * so the candidates (other filters applied, at most SEARCH_SCAN_LIMIT) are decrypted and
   * matched here; an exact email also matches through the blind index.
   */
  async list(
    filters: {
      role?: string;
      isActive?: boolean;
      userType?: string;
      search?: string;
      sortBy?: 'created_at' | 'updated_at' | 'username' | 'role' | 'last_login_at';
      sortOrder?: 'asc' | 'desc';
    },
    page: number,
    limit: number,
  ): Promise<{ items: UserRow[]; total: number }> {
    let query = this.db.selectFrom('api_users');
    if (filters.role) query = query.where('role', '=', filters.role);
    if (filters.isActive !== undefined) query = query.where('is_active', '=', filters.isActive);
    if (filters.userType) query = query.where('user_type', '=', filters.userType);
    const direction = filters.sortOrder ?? 'desc';
    const ordered = query
      .selectAll()
      .orderBy(filters.sortBy ?? 'created_at', direction)
      .orderBy('id', direction);
    if (filters.search) {
      const needle = filters.search.toLowerCase();
      const candidates = await Promise.all((await ordered.limit(SEARCH_SCAN_LIMIT).execute()).map((row) => this.open(row)));
      const matches = candidates.filter((user) =>
        [user.username, user.email, user.full_name].some((value) => value.toLowerCase().includes(needle)),
      );
      return { items: matches.slice((page - 1) * limit, page * limit), total: matches.length };
    }
    const [rows, count] = await Promise.all([
      ordered
        .limit(limit)
        .offset((page - 1) * limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: await Promise.all(rows.map((row) => this.open(row))), total: Number(count.n) };
  }

  private async open(row: Selectable<ApiUsersTable>): Promise<UserRow> {
    const { email_bidx: _index, ...user } = row;
    const [email, fullName] = await Promise.all([this.cipher.decrypt(row.email, EMAIL), this.cipher.decrypt(row.full_name, FULL_NAME)]);
    return { ...user, email, full_name: fullName };
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
