import type { ColumnType, Kysely } from 'kysely';
import { asTables, type AnyKysely } from '../db/schema.js';
import { IDEMPOTENCY_TABLE } from './migration.js';

/** int8 columns arrive as strings (see db/create.ts); they are written and compared as numbers. */
type Int8 = ColumnType<string | number, number, number>;

interface IdempotencyTables {
  [IDEMPOTENCY_TABLE]: {
    scope: string;
    idem_key: string;
    request_hash: string;
    state: 'pending' | 'done';
    status_code: number | null;
    content_type: string | null;
    response_body: string | null;
    created_at: Int8;
    expires_at: Int8;
  };
}

export interface StoredResponse {
  requestHash: string;
  state: 'pending' | 'done';
  statusCode: number | null;
  contentType: string | null;
  body: string | null;
  createdAt: number;
  expiresAt: number;
}

/** Turns a stored response body into ciphertext and back (a service's field cipher). */
export interface ResponseSealer {
  seal(body: string): Promise<string>;
  open(sealed: string): Promise<string>;
}

/** The repository for idempotency keys: the only place that touches their table. */
export class IdempotencyStore {
  private readonly db: Kysely<IdempotencyTables>;

  constructor(
    db: AnyKysely,
    private readonly sealer?: ResponseSealer,
  ) {
    this.db = asTables<IdempotencyTables>(db);
  }

  /** Claims the key for this request; false when another request already holds it. */
  async claim(scope: string, key: string, requestHash: string, now: number, ttlMs: number): Promise<boolean> {
    const row = { scope, idem_key: key, request_hash: requestHash, state: 'pending' as const, created_at: now, expires_at: now + ttlMs };
    const isMysql = !this.db.getExecutor().adapter.supportsReturning;
    const insert = isMysql
      ? this.db.insertInto(IDEMPOTENCY_TABLE).ignore().values(row)
      : this.db
          .insertInto(IDEMPOTENCY_TABLE)
          .values(row)
          .onConflict((c) => c.columns(['scope', 'idem_key']).doNothing());
    const result = await insert.executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async find(scope: string, key: string): Promise<StoredResponse | undefined> {
    const row = await this.db
      .selectFrom(IDEMPOTENCY_TABLE)
      .selectAll()
      .where('scope', '=', scope)
      .where('idem_key', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      requestHash: row.request_hash,
      state: row.state,
      statusCode: row.status_code === null ? null : Number(row.status_code),
      contentType: row.content_type,
      body: row.response_body === null || !this.sealer ? row.response_body : await this.sealer.open(row.response_body),
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }

  async complete(scope: string, key: string, statusCode: number, contentType: string | undefined, body: string): Promise<void> {
    const stored = this.sealer ? await this.sealer.seal(body) : body;
    await this.db
      .updateTable(IDEMPOTENCY_TABLE)
      .set({ state: 'done', status_code: statusCode, content_type: contentType ?? null, response_body: stored })
      .where('scope', '=', scope)
      .where('idem_key', '=', key)
      .execute();
  }

  /** Takes over a stale pending claim (its request died) only if nobody else did meanwhile. */
  async takeOver(scope: string, key: string, previousCreatedAt: number, now: number, ttlMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable(IDEMPOTENCY_TABLE)
      .set({ created_at: now, expires_at: now + ttlMs })
      .where('scope', '=', scope)
      .where('idem_key', '=', key)
      .where('state', '=', 'pending')
      .where('created_at', '=', previousCreatedAt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async release(scope: string, key: string): Promise<void> {
    await this.db
      .deleteFrom(IDEMPOTENCY_TABLE)
      .where('scope', '=', scope)
      .where('idem_key', '=', key)
      .where('state', '=', 'pending')
      .execute();
  }

  async removeExpired(scope: string, key: string, now: number): Promise<void> {
    await this.db
      .deleteFrom(IDEMPOTENCY_TABLE)
      .where('scope', '=', scope)
      .where('idem_key', '=', key)
      .where('expires_at', '<=', now)
      .execute();
  }

  async purgeExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom(IDEMPOTENCY_TABLE).where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
