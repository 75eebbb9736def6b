import { LRUCache } from 'lru-cache';

export interface CachedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * GET response cache, keyed per consumer (APISIX's consumer isolation): a response fetched
 * for one user is never served to another. Responses with Set-Cookie or Cache-Control
 * private / no-store / no-cache are never stored. Bounded by bytes, not entries.
 */
export class ResponseCache {
  private readonly cache: LRUCache<string, CachedResponse> | undefined;

  constructor(maxBytes: number, now: () => number) {
    this.cache =
      maxBytes > 0
        ? new LRUCache<string, CachedResponse>({
            maxSize: maxBytes,
            sizeCalculation: (value) => Math.max(1, value.body.length + 512),
            ttlAutopurge: false,
            // Read the clock on every check: a cached 'now' would let entries outlive their TTL.
            ttlResolution: 0,
            perf: { now },
          })
        : undefined;
  }

  static key(routeId: string, consumer: string, pathAndQuery: string, accept: string | undefined): string {
    return `${routeId}\n${consumer}\n${pathAndQuery}\n${accept ?? ''}`;
  }

  get(key: string): CachedResponse | undefined {
    return this.cache?.get(key);
  }

  /** Returns whether it was stored. */
  offer(key: string, response: CachedResponse, routeTtlSeconds: number): boolean {
    if (!this.cache || response.status !== 200) return false;
    if (response.headers['set-cookie'] !== undefined) return false;
    const control = (response.headers['cache-control'] ?? '').toLowerCase();
    if (/(^|[,\s])(private|no-store|no-cache)([,\s=]|$)/.test(control)) return false;
    if ((response.headers.vary ?? '').includes('*')) return false;
    let ttl = routeTtlSeconds;
    const maxAge = /(?:s-maxage|max-age)=(\d+)/.exec(control);
    if (maxAge) ttl = Math.min(ttl, Number(maxAge[1]));
    if (ttl <= 0) return false;
    this.cache.set(key, response, { ttl: ttl * 1000 });
    return true;
  }

  clear(): void {
    this.cache?.clear();
  }

  get size(): number {
    return this.cache?.size ?? 0;
  }
}
