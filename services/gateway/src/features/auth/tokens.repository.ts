import type { Kysely, Selectable } from 'kysely';
import type { GatewayDatabase, JwtTokensTable } from '../../db/schema.js';

export type TokenRow = Selectable<JwtTokensTable>;

export interface NewToken {
  tokenId: string;
  userId: string;
  hash: string;
  type: 'access' | 'refresh';
  familyId: string;
  issuedAt: Date;
  expiresAt: Date;
  clientIp: string | null;
  userAgent: string | null;
  /** The original client's application and remember-me choice, carried across refreshes. */
  session?: { application?: string; rememberMe?: boolean };
}

export class TokensRepository {
  constructor(private readonly db: Kysely<GatewayDatabase>) {}

  async insert(tokens: NewToken[], db: Kysely<GatewayDatabase> = this.db): Promise<void> {
    await db
      .insertInto('jwt_tokens')
      .values(
        tokens.map((t) => ({
          token_id: t.tokenId,
          user_id: t.userId,
          token_hash: t.hash,
          token_type: t.type,
          family_id: t.familyId,
          scope: JSON.stringify(
            t.type === 'access'
              ? { permissions: ['read', 'write'], resources: ['api'], ...t.session }
              : { permissions: ['refresh'], resources: ['auth'], ...t.session },
          ),
          issued_at: t.issuedAt,
          expires_at: t.expiresAt,
          client_ip: t.clientIp,
          user_agent: t.userAgent,
        })),
      )
      .execute();
  }

  find(tokenId: string, db: Kysely<GatewayDatabase> = this.db): Promise<TokenRow | undefined> {
    return db.selectFrom('jwt_tokens').selectAll().where('token_id', '=', tokenId).executeTakeFirst();
  }

  /** What the per-request check needs: is this access token still good, and is its user. */
  async accessStatus(
    tokenId: string,
  ): Promise<
    { revoked: boolean; expiresAt: Date; userActive: boolean; familyId: string; role: string; tier: string; username: string } | undefined
  > {
    const row = await this.db
      .selectFrom('jwt_tokens')
      .innerJoin('api_users', 'api_users.user_id', 'jwt_tokens.user_id')
      .select([
        'jwt_tokens.is_revoked',
        'jwt_tokens.expires_at',
        'jwt_tokens.family_id',
        'api_users.is_active',
        'api_users.api_access_enabled',
        'api_users.role',
        'api_users.rate_limit_tier',
        'api_users.username',
      ])
      .where('jwt_tokens.token_id', '=', tokenId)
      .where('jwt_tokens.token_type', '=', 'access')
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      revoked: row.is_revoked,
      expiresAt: new Date(row.expires_at),
      userActive: row.is_active && row.api_access_enabled,
      familyId: row.family_id,
      role: row.role,
      tier: row.rate_limit_tier,
      username: row.username,
    };
  }

  /** Marks a live refresh token as rotated; false when it was no longer live (a concurrent or replayed use). */
  async markRotated(tokenId: string, replacedBy: string, now: Date, db: Kysely<GatewayDatabase>): Promise<boolean> {
    const result = await db
      .updateTable('jwt_tokens')
      .set({ is_revoked: true, revoked_at: now, revocation_reason: 'rotated', replaced_by: replacedBy })
      .where('token_id', '=', tokenId)
      .where('is_revoked', '=', false)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async revoke(
    where: { tokenId?: string; familyId?: string; userId?: string; type?: 'access' | 'refresh'; exceptFamilyId?: string },
    reason: string,
    by: string,
    now: Date,
    db: Kysely<GatewayDatabase> = this.db,
  ): Promise<number> {
    // An empty selector would match every live token of every user: never let a caller's blank
    // id (an empty path segment) get that far.
    const selectors = [where.tokenId, where.familyId, where.userId];
    if (!selectors.some((value) => value !== undefined && value !== '') || selectors.some((value) => value === '')) {
      throw new Error('revoke needs a non-empty token, family or user id');
    }
    let query = db
      .updateTable('jwt_tokens')
      .set({ is_revoked: true, revoked_at: now, revoked_by: by, revocation_reason: reason })
      .where('is_revoked', '=', false)
      .where('expires_at', '>', now);
    if (where.tokenId !== undefined) query = query.where('token_id', '=', where.tokenId);
    if (where.familyId !== undefined) query = query.where('family_id', '=', where.familyId);
    if (where.userId !== undefined) query = query.where('user_id', '=', where.userId);
    if (where.type) query = query.where('token_type', '=', where.type);
    if (where.exceptFamilyId !== undefined) query = query.where('family_id', '<>', where.exceptFamilyId);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async deleteExpired(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('jwt_tokens').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
