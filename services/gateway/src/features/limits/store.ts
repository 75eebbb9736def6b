import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from '../../shared/redis.js';

/**
 * Makes fixed-window counters: in memory for one replica, in Redis (one atomic Lua call per
 * check) for many. Limiters are cached per (prefix, points, window) because
 * rate-limiter-flexible fixes the points per instance while tiers differ per consumer; the
 * stored counter does not depend on the points, so all tiers share the same keys.
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

export interface WindowOutcome {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetMs: number;
  /** Null when the store failed and the check failed open. */
  failed?: boolean;
}

/** Consumes one point; a refusal is data, not an exception. Store errors are rethrown. */
export async function consumeOne(limiter: RateLimiterAbstract, key: string, limit: number): Promise<WindowOutcome> {
  try {
    const res = await limiter.consume(key, 1);
    return { allowed: true, limit, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
  } catch (thrown) {
    if (thrown instanceof RateLimiterRes) return { allowed: false, limit, remaining: 0, resetMs: thrown.msBeforeNext };
    throw thrown;
  }
}
