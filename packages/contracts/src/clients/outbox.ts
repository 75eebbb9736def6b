import type { ServiceClient } from '@tributary/platform/resilience';
import { callParts, type CallOptions } from './call.js';

/** One page of a service's `GET /internal/outbox` (the kernel's feed), as far as a follower needs it. */
export interface OutboxFeedPage {
  events: Array<{ sequence: string; type: string; aggregateType: string; aggregateId: string }>;
  /** The cursor to pass as `after` next time (unchanged when nothing new). */
  next: string;
  hasMore: boolean;
}

/**
 * A signed reader of any service's outbox feed, for followers that only need to know that
 * something changed and where they are (the sync service keeps its own reader, which also
 * stores what it reads).
 */
export function outboxFeed(client: ServiceClient) {
  return {
    /** Events after `after`; with `waitMs`, the service holds the call until one commits or the wait ends. */
    read(after: string, page: { limit: number; waitMs: number }, options?: CallOptions): Promise<OutboxFeedPage> {
      return client.json<OutboxFeedPage>({
        method: 'GET',
        path: '/internal/outbox',
        query: { after, limit: page.limit, wait: page.waitMs },
        // The call outlives the wait by a margin, so a held long-poll is not taken for a slow upstream.
        timeoutMs: page.waitMs + 5_000,
        ...callParts(options),
      });
    },
  };
}
export type OutboxFeed = ReturnType<typeof outboxFeed>;
