import type { Kysely } from 'kysely';
import { readOutboxWaiting } from '@tributary/platform/outbox';
import type { SyncDatabase } from '../../db/schema.js';
import type { FeedPage } from './feed-client.js';

/**
 * Sync's own outbox, read from its own database: its scheduler's job outcomes (`job.failed`, …)
 * go through capture like every other service's, so they reach notification channels. Polled
 * slowly while idle: nothing in it is urgent enough to keep the database busy for.
 */
export class LocalFeed {
  constructor(
    private readonly db: Kysely<SyncDatabase>,
    private readonly intervalMs = 1000,
  ) {}

  read(after: string, limit: number, waitMs: number, signal: AbortSignal): Promise<FeedPage> {
    return readOutboxWaiting(this.db, after, limit, { waitMs, intervalMs: this.intervalMs, signal });
  }

  async close(): Promise<void> {}
}
