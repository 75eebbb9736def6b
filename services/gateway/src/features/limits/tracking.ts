import { sql, type Kysely } from 'kysely';
import type { Logger } from '@tributary/platform/core';
import type { GatewayDatabase } from '../../db/schema.js';
import type { IdentifierType } from './limiter.js';

interface Counter {
  type: IdentifierType;
  value: string;
  windowStart: number;
  requests: number;
  successes: number;
  failures: number;
  blocked: number;
  limit: number;
  last: number;
}

/**
 * Aggregates per-minute usage in memory and upserts it in batches, so the request path never
 * waits for the database. A crash loses at most one flush interval of tracking rows; the
 * limits themselves live in the limiter store, not here.
 */
export class UsageTracker {
  private counters = new Map<string, Counter>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Kysely<GatewayDatabase>,
    private readonly logger: Logger,
    private readonly flushMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }

  record(type: IdentifierType, value: string, at: number, outcome: { status: number; blocked: boolean; limit: number }): void {
    const windowStart = Math.floor(at / 60_000) * 60_000;
    const key = `${type}|${value}|${windowStart}`;
    let counter = this.counters.get(key);
    if (!counter) {
      counter = {
        type,
        value: value.slice(0, 255),
        windowStart,
        requests: 0,
        successes: 0,
        failures: 0,
        blocked: 0,
        limit: outcome.limit,
        last: at,
      };
      this.counters.set(key, counter);
    }
    counter.requests++;
    if (outcome.blocked) counter.blocked++;
    else if (outcome.status < 400) counter.successes++;
    else counter.failures++;
    counter.last = Math.max(counter.last, at);
  }

  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.counters.size === 0) return;
    const batch = [...this.counters.values()];
    this.counters = new Map();
    this.flushing = (async () => {
      try {
        for (let i = 0; i < batch.length; i += 500) {
          const rows = batch.slice(i, i + 500).map((c) => ({
            identifier_type: c.type,
            identifier_value: c.value,
            window_start: new Date(c.windowStart),
            window_type: 'minute' as const,
            request_count: c.requests,
            successful_count: c.successes,
            failed_count: c.failures,
            blocked_count: c.blocked,
            limit_threshold: c.limit,
            last_request_at: new Date(c.last),
          }));
          await this.db
            .insertInto('rate_limit_tracking')
            .values(rows)
            .onConflict((oc) =>
              oc.constraint('uk_rate_limit_window').doUpdateSet({
                request_count: sql`rate_limit_tracking.request_count + excluded.request_count`,
                successful_count: sql`rate_limit_tracking.successful_count + excluded.successful_count`,
                failed_count: sql`rate_limit_tracking.failed_count + excluded.failed_count`,
                blocked_count: sql`rate_limit_tracking.blocked_count + excluded.blocked_count`,
                last_request_at: sql`greatest(rate_limit_tracking.last_request_at, excluded.last_request_at)`,
              }),
            )
            .execute();
        }
      } catch (error) {
        this.logger.warn({ err: error, rows: batch.length }, 'rate limit tracking flush failed; rows dropped');
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
