import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from '../../shared/redis.js';

/**
 * Makes fixed-window counters: in memory for one replica, in Redis (one atomic Lua call per
 * check) for many. One counter store per (prefix, window): rate-limiter-flexible fixes the
 * points per instance while limits differ per consumer, so the store counts without a ceiling
 * and the caller compares with the consumer's own limit. A tier change therefore keeps the
 * count of the current window.
 */
export class LimiterFactory {
  private readonly limiters = new Map<string, RateLimiterAbstract>();

  constructor(
    private readonly redis: RedisClient | undefined,
    private readonly namespace = 'tributary:gateway',
  ) {}

  get shared(): boolean {
    return this.redis !== undefined;
  }

  /** `points` caps the store itself; counters use `counter()` and compare limits themselves. */
  limiter(prefix: string, points: number, durationSeconds: number): RateLimiterAbstract {
    const id = `${prefix}|${points}|${durationSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const keyPrefix = `${this.namespace}:${prefix}`;
      limiter = this.redis
        ? new RateLimiterRedis({ storeClient: this.redis, useRedisPackage: true, keyPrefix, points, duration: durationSeconds })
        : new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

const UNCAPPED = 2 ** 31 - 1;

/** The shared counter for a window; see consumeOne for the comparison with a limit. */
export function counter(factory: LimiterFactory, prefix: string, durationSeconds: number): RateLimiterAbstract {
  return factory.limiter(prefix, UNCAPPED, durationSeconds);
}

export interface WindowOutcome {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetMs: number;
  /** Null when the store failed and the check failed open. */
  failed?: boolean;
}

/** Counts one request and compares with `limit`; a refusal is data. Store errors are rethrown. */
export async function consumeOne(limiter: RateLimiterAbstract, key: string, limit: number): Promise<WindowOutcome> {
  let res: RateLimiterRes;
  try {
    res = await limiter.consume(key, 1);
  } catch (thrown) {
    if (!(thrown instanceof RateLimiterRes)) throw thrown;
    res = thrown;
  }
  const allowed = res.consumedPoints <= limit;
  return { allowed, limit, remaining: Math.max(0, limit - res.consumedPoints), resetMs: res.msBeforeNext };
}
