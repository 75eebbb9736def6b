import { sql, type Kysely, type Selectable } from 'kysely';
import type { AccessKeysTable, ApiKeysTable, GatewayDatabase, RateLimitTier } from '../../db/schema.js';

export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AccessKeyRow = Selectable<AccessKeysTable>;

/** What an administrator may change on an API key (expiry is typed by each layer). */
export interface ApiKeyChanges {
  name?: string;
  scopes?: string[];
  ipAllowlist?: string[] | null;
  domainAllowlist?: string[] | null;
  tier?: RateLimitTier;
}

export class KeysRepository {
  constructor(private readonly db: Kysely<GatewayDatabase>) {}

  async insertApiKey(row: {
    keyId: string;
    hash: string;
    name: string;
    description: string | null;
    prefix: string;
    userId: string;
    serviceName: string | null;
    scopes: string[];
    ipAllowlist: string[] | null;
    domainAllowlist?: string[] | null;
    tier: RateLimitTier;
    limits: { minute: number; hour: number; day: number };
    expiresAt: Date | null;
    createdBy: string;
  }): Promise<ApiKeyRow> {
    return this.db
      .insertInto('api_keys')
      .values({
        key_id: row.keyId,
        api_key_hash: row.hash,
        key_name: row.name,
        key_description: row.description,
        key_prefix: row.prefix,
        user_id: row.userId,
        service_name: row.serviceName,
        permissions: JSON.stringify(row.scopes),
        ip_whitelist: row.ipAllowlist ? JSON.stringify(row.ipAllowlist) : null,
        domain_whitelist: row.domainAllowlist ? JSON.stringify(row.domainAllowlist) : null,
        rate_limit_tier: row.tier,
        requests_per_minute: row.limits.minute,
        requests_per_hour: row.limits.hour,
        requests_per_day: row.limits.day,
        expires_at: row.expiresAt,
        created_by: row.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** By primary lookup id: one indexed row, never a scan over hashes. */
  findApiKey(keyId: string): Promise<(ApiKeyRow & { owner_active: boolean; owner_role: string }) | undefined> {
    return this.db
      .selectFrom('api_keys')
      .innerJoin('api_users', 'api_users.user_id', 'api_keys.user_id')
      .selectAll('api_keys')
      .select(['api_users.is_active as owner_active', 'api_users.role as owner_role'])
      .where('api_keys.key_id', '=', keyId)
      .executeTakeFirst();
  }

  updateApiKey(
    keyId: string,
    changes: ApiKeyChanges & { limits?: { minute: number; hour: number; day: number }; expiresAt?: Date | null },
    by: string,
    now: Date,
  ): Promise<ApiKeyRow | undefined> {
    return this.db
      .updateTable('api_keys')
      .set({
        ...(changes.name !== undefined ? { key_name: changes.name } : {}),
        ...(changes.scopes !== undefined ? { permissions: JSON.stringify(changes.scopes) } : {}),
        ...(changes.ipAllowlist !== undefined ? { ip_whitelist: changes.ipAllowlist ? JSON.stringify(changes.ipAllowlist) : null } : {}),
        ...(changes.domainAllowlist !== undefined
          ? { domain_whitelist: changes.domainAllowlist ? JSON.stringify(changes.domainAllowlist) : null }
          : {}),
        ...(changes.tier !== undefined ? { rate_limit_tier: changes.tier } : {}),
        ...(changes.limits
          ? { requests_per_minute: changes.limits.minute, requests_per_hour: changes.limits.hour, requests_per_day: changes.limits.day }
          : {}),
        ...(changes.expiresAt !== undefined ? { expires_at: changes.expiresAt } : {}),
        updated_at: now,
        updated_by: by,
      })
      .where('key_id', '=', keyId)
      .returningAll()
      .executeTakeFirst();
  }

  async deactivateApiKey(keyId: string, by: string, now: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ is_active: false, updated_at: now, updated_by: by })
      .where('key_id', '=', keyId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async listApiKeys(filters: { userId?: string; serviceName?: string; isActive?: boolean }, page: number, limit: number) {
    let query = this.db.selectFrom('api_keys');
    if (filters.userId) query = query.where('user_id', '=', filters.userId);
    if (filters.serviceName) query = query.where('service_name', '=', filters.serviceName);
    if (filters.isActive !== undefined) query = query.where('is_active', '=', filters.isActive);
    const [items, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit)
        .offset((page - 1) * limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  /** Usage counters, applied in batches from memory. */
  async addUsage(keyId: string, total: number, ok: number, failed: number, lastUsed: Date): Promise<void> {
    await this.db
      .updateTable('api_keys')
      .set({
        total_requests: sql`total_requests + ${total}`,
        successful_requests: sql`successful_requests + ${ok}`,
        failed_requests: sql`failed_requests + ${failed}`,
        last_used_at: sql`greatest(coalesce(last_used_at, ${lastUsed}), ${lastUsed})`,
      })
      .where('key_id', '=', keyId)
      .execute();
  }

  insertAccessKey(row: {
    accessKeyId: string;
    userId: string;
    secretCiphertext: string;
    sessionTokenCiphertext: string | null;
    scopes: string[] | null;
    description: string | null;
    expiresAt: Date | null;
    createdBy: string;
  }): Promise<AccessKeyRow> {
    return this.db
      .insertInto('access_keys')
      .values({
        access_key_id: row.accessKeyId,
        user_id: row.userId,
        secret_ciphertext: row.secretCiphertext,
        session_token_ciphertext: row.sessionTokenCiphertext,
        scopes: row.scopes ? JSON.stringify(row.scopes) : null,
        description: row.description,
        expires_at: row.expiresAt,
        created_by: row.createdBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  findAccessKey(
    accessKeyId: string,
  ): Promise<
    (AccessKeyRow & { owner_active: boolean; owner_role: string; owner_tier: RateLimitTier; owner_username: string }) | undefined
  > {
    return this.db
      .selectFrom('access_keys')
      .innerJoin('api_users', 'api_users.user_id', 'access_keys.user_id')
      .selectAll('access_keys')
      .select([
        'api_users.is_active as owner_active',
        'api_users.role as owner_role',
        'api_users.rate_limit_tier as owner_tier',
        'api_users.username as owner_username',
      ])
      .where('access_keys.access_key_id', '=', accessKeyId)
      .executeTakeFirst();
  }

  /** Never the secret or session token: the listing selects the public columns only. */
  async listAccessKeys(filters: { userId?: string; isActive?: boolean }, page: number, limit: number) {
    let query = this.db.selectFrom('access_keys');
    if (filters.userId) query = query.where('user_id', '=', filters.userId);
    if (filters.isActive !== undefined) query = query.where('is_active', '=', filters.isActive);
    const [items, count] = await Promise.all([
      query
        .select(['access_key_id', 'user_id', 'scopes', 'description', 'is_active', 'created_at', 'expires_at', 'last_used_at'])
        .select((eb) => eb('session_token_ciphertext', 'is not', null).as('temporary'))
        .orderBy('created_at', 'desc')
        .orderBy('access_key_id')
        .limit(limit)
        .offset((page - 1) * limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }

  async expireAccessKey(accessKeyId: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('access_keys')
      .set({ expires_at: at })
      .where('access_key_id', '=', accessKeyId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async deactivateAccessKey(accessKeyId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('access_keys')
      .set({ is_active: false })
      .where('access_key_id', '=', accessKeyId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
