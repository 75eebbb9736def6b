import { ordersApi, outboxFeed, processingApi, type OutboxFeed, type OutboxFeedPage } from '@tributary/contracts';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import type { PipelineDeps } from '../../deps.js';
import { GatewayError } from '../../errors.js';

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
  private readonly orders: ReturnType<typeof ordersApi> | undefined;
  private readonly processing: ReturnType<typeof processingApi> | undefined;

  constructor(deps: Pick<PipelineDeps, 'peers' | 'credentials' | 'scope'>) {
    // A gateway may run without these peers (alone, or in front of other services): it still
    // starts, and the dashboard answers 503 UPSTREAM_NOT_CONFIGURED when opened.
    const client = (name: 'orders' | 'processing'): ServiceClient | undefined => {
      const baseUrl = deps.peers[name];
      // Its own breaker: a held long-poll or a dashboard read must not trip the proxy's.
      return baseUrl
        ? createServiceClient({ name: `pipeline:${name}`, baseUrl, credentials: deps.credentials, scope: deps.scope, connections: 4 })
        : undefined;
    };
    const orders = client('orders');
    const processing = client('processing');
    this.clients = [orders, processing].filter((one): one is ServiceClient => one !== undefined);
    this.orders = orders && ordersApi(orders);
    this.processing = processing && processingApi(processing);
    const follow = (name: string, feed: OutboxFeed | undefined): PipelineFeedSource => ({
      name,
      read: (after, page, signal) => (feed ?? notConfigured(name)).read(after, page, { signal }),
    });
    this.feeds = [follow('orders', orders && outboxFeed(orders)), follow('processing', processing && outboxFeed(processing))];
  }

  async counts(signal: AbortSignal): Promise<PipelineCounts> {
    const orders = this.orders ?? notConfigured('orders');
    const processing = this.processing ?? notConfigured('processing');
    const [shipments, materials] = await Promise.all([orders.pipelineCounts({ signal }), processing.pipelineCounts({ signal })]);
    return { ...materials, ...shipments };
  }

  async close(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.close()));
  }
}

function notConfigured(name: string): never {
  throw GatewayError.UPSTREAM_NOT_CONFIGURED(`The pipeline dashboard needs the ${name} service, which this gateway has no address for`);
}
