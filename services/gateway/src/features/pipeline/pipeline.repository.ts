import { ordersApi, outboxFeed, processingApi, type OutboxFeed, type OutboxFeedPage } from '@tributary/contracts';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import type { PipelineDeps } from '../../deps.js';

export interface PipelineCounts {
  lotsReceived: number;
  batchesInQc: number;
  traderPending: number;
  ready: number;
  dispatched: number;
  accepted: number;
}

/** One followed outbox: its name (for the log) and its reader. */
export interface PipelineFeedSource {
  name: string;
  read(after: string, page: { limit: number; waitMs: number }, signal: AbortSignal): Promise<OutboxFeedPage>;
}

/**
 * Every call the pipeline dashboard makes: the counts from orders and processing through their
 * contract clients, and the two services' outbox feeds, which say when a count may have moved.
 */
export class PipelineSources {
  private readonly clients: ServiceClient[];
  readonly feeds: PipelineFeedSource[];
  private readonly orders: ReturnType<typeof ordersApi>;
  private readonly processing: ReturnType<typeof processingApi>;

  constructor(deps: Pick<PipelineDeps, 'peers' | 'credentials' | 'scope'>) {
    const client = (name: 'orders' | 'processing') => {
      const baseUrl = deps.peers[name];
      if (!baseUrl) throw new Error(`the pipeline dashboard needs the ${name} service's URL`);
      // Its own breaker: a held long-poll or a dashboard read must not trip the proxy's.
      return createServiceClient({ name: `pipeline:${name}`, baseUrl, credentials: deps.credentials, scope: deps.scope, connections: 4 });
    };
    const orders = client('orders');
    const processing = client('processing');
    this.clients = [orders, processing];
    this.orders = ordersApi(orders);
    this.processing = processingApi(processing);
    const follow = (name: string, feed: OutboxFeed): PipelineFeedSource => ({
      name,
      read: (after, page, signal) => feed.read(after, page, { signal }),
    });
    this.feeds = [follow('orders', outboxFeed(orders)), follow('processing', outboxFeed(processing))];
  }

  async counts(signal: AbortSignal): Promise<PipelineCounts> {
    const [shipments, materials] = await Promise.all([this.orders.pipelineCounts({ signal }), this.processing.pipelineCounts({ signal })]);
    return { ...materials, ...shipments };
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
  }
}
