import { sql, type Kysely } from 'kysely';
import type { GatewayDatabase } from '../db/schema.js';
import type { RedisClient } from './redis.js';

export type VersionName = 'auth' | 'routes';

/**
 * A monotonic counter every replica can read cheaply: bumping it tells all replicas to drop
 * their cached answers (revocations, key changes, route changes). Redis when configured,
 * otherwise the gateway_state row; a single replica may use 'local'.
 */
export interface VersionSource {
  current(name: VersionName): Promise<string>;
  bump(name: VersionName): Promise<void>;
}

export function dbVersions(db: Kysely<GatewayDatabase>): VersionSource {
  // Read on every request: compile the two queries once instead of per call.
  const queries = {
    auth: db.selectFrom('gateway_state').select('version').where('name', '=', 'auth').compile(),
    routes: db.selectFrom('gateway_state').select('version').where('name', '=', 'routes').compile(),
  };
  return {
    async current(name) {
      const { rows } = await db.executeQuery(queries[name]);
      return String(rows[0]?.version ?? '0');
    },
    async bump(name) {
      await db
        .updateTable('gateway_state')
        .set({ version: sql`version + 1` })
        .where('name', '=', name)
        .execute();
    },
  };
}

export function redisVersions(
  redis: RedisClient,
  db: Kysely<GatewayDatabase>,
  onFallback: (error: unknown) => void = () => undefined,
): VersionSource {
  const fallback = dbVersions(db);
  const key = (name: VersionName) => `tributary:gateway:version:${name}`;
  return {
    async current(name) {
      try {
        return `r${(await redis.get(key(name))) ?? '0'}`;
      } catch (error) {
        // Every bump also lands in PostgreSQL, so its counter is a correct (slower) substitute.
        onFallback(error);
        return `d${await fallback.current(name)}`;
      }
    },
    async bump(name) {
      // Both, so replicas configured either way see the change. While Redis is down the
      // readers fall back to PostgreSQL; the prefix switch on the way back clears every cache.
      await fallback.bump(name);
      try {
        await redis.incr(key(name));
      } catch (error) {
        onFallback(error);
      }
    },
  };
}

export function localVersions(): VersionSource {
  const versions = new Map<VersionName, number>();
  return {
    current: async (name) => String(versions.get(name) ?? 0),
    bump: async (name) => {
      versions.set(name, (versions.get(name) ?? 0) + 1);
    },
  };
}

const settled = (): void => undefined;

/**
 * A cache that forgets everything when the version moves. `check()` costs one version read
 * per call (a Redis GET or a one-row select), which is what makes a revocation effective on
 * the very next request on every replica.
 */
export class VersionedCache<V> {
  private seen: string | undefined;
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly versions: VersionSource,
    private readonly name: VersionName,
    private readonly maxEntries = 50_000,
  ) {}

  /**
   * Reads the version once per concurrent burst: a caller may share a read only if that read
   * started after the caller's request arrived (`notBefore`, from performance.now()), so a
   * revocation that completed before a request arrived is always seen. A caller that arrives
   * while an older read is in flight waits for the one read queued behind it, which every
   * caller arriving meanwhile shares: at most one read per round trip, however many requests.
   */
  async sync(notBefore: number = performance.now()): Promise<string> {
    const version = await this.read(notBefore);
    if (version !== this.seen) {
      this.entries.clear();
      this.seen = version;
    }
    return version;
  }

  private inflight: { startedAt: number; promise: Promise<string> } | undefined;
  private queued: Promise<string> | undefined;

  private read(notBefore: number): Promise<string> {
    const current = this.inflight;
    if (!current) return this.start();
    if (current.startedAt >= notBefore) return current.promise;
    this.queued ??= current.promise.then(settled, settled).then(() => {
      this.queued = undefined;
      return this.start();
    });
    return this.queued;
  }

  private start(): Promise<string> {
    const startedAt = performance.now();
    const promise = this.versions.current(this.name).finally(() => {
      if (this.inflight?.promise === promise) this.inflight = undefined;
    });
    this.inflight = { startedAt, promise };
    return promise;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /**
   * `version` is what sync() returned before the answer was looked up: an answer read under an
   * older version (a revocation may have landed meanwhile) is not kept.
   */
  set(key: string, value: V, version: string): void {
    if (version !== this.seen) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, value);
  }

  clear(): void {
    this.entries.clear();
  }
}
