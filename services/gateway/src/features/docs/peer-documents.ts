import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import type { ServiceContext } from '@tributary/platform/service';
import type { RouteConfig } from '../routing/route-table.js';
import { resolveUpstream } from '../routing/upstreams.js';
import type { OpenApiDocument } from './merged-document.js';

/**
 * Each routed service's own /openapi.json, fetched (signed when the route signs) and kept for
 * `ttlMs`; a service that cannot answer keeps its last good document, or none.
 */
export class PeerDocuments {
  private readonly clients = new Map<string, ServiceClient>();
  private readonly cached = new Map<string, { doc: OpenApiDocument; at: number }>();
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly context: Pick<ServiceContext, 'clock' | 'logger' | 'peers' | 'credentials' | 'scope'>,
    private readonly ttlMs: number,
  ) {}

  /** The documents of the services these routes reach; refreshed together when any is stale. */
  async documents(routes: readonly RouteConfig[]): Promise<ReadonlyMap<string, OpenApiDocument>> {
    const now = this.context.clock.now();
    const wanted = new Map<string, RouteConfig>();
    for (const route of routes) if (!wanted.has(route.serviceName)) wanted.set(route.serviceName, route);
    const stale = [...wanted.keys()].some((name) => {
      const entry = this.cached.get(name);
      return entry === undefined || now - entry.at >= this.ttlMs;
    });
    if (stale) {
      // Concurrent readers share one refresh instead of each fetching every service.
      this.inFlight ??= this.refresh(wanted, now).finally(() => (this.inFlight = undefined));
      await this.inFlight;
    }
    const result = new Map<string, OpenApiDocument>();
    for (const name of wanted.keys()) {
      const entry = this.cached.get(name);
      if (entry) result.set(name, entry.doc);
    }
    return result;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }

  private async refresh(wanted: ReadonlyMap<string, RouteConfig>, now: number): Promise<void> {
    await Promise.all(
      [...wanted].map(async ([name, route]) => {
        const client = this.clientFor(name, route);
        if (!client) return;
        try {
          const doc = await client.json<OpenApiDocument>({ method: 'GET', path: '/openapi.json', timeoutMs: 5_000 });
          if (doc && typeof doc === 'object' && typeof doc.paths === 'object') this.cached.set(name, { doc, at: now });
        } catch (error) {
          this.context.logger.warn({ err: error, service: name }, 'OpenAPI document of a routed service unavailable; keeping the last one');
        }
      }),
    );
  }

  private clientFor(name: string, route: RouteConfig): ServiceClient | undefined {
    const existing = this.clients.get(name);
    if (existing) return existing;
    const baseUrl = route.servers.map((server) => resolveUpstream(server.url, this.context.peers)).find((url) => url !== undefined);
    if (!baseUrl) return undefined;
    const signing = route.upstreamAuth === 'sigv4' ? { credentials: this.context.credentials, scope: this.context.scope } : {};
    const client = createServiceClient({ name: `docs:${name}`, baseUrl, retry: { maxAttempts: 1, baseMs: 0, capMs: 0 }, ...signing });
    this.clients.set(name, client);
    return client;
  }
}
