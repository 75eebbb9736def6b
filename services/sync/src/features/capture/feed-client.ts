import { Pool } from 'undici';
import { signRequest, type SigningCredentials, type SigningScope } from '@tributary/platform/auth';
import type { OutboxEvent, OutboxPage } from '@tributary/platform/outbox';
import { startClientSpan } from '@tributary/platform/tracing';
import { SyncError } from '../../errors.js';

/** What a source's `GET /internal/outbox` serves: the kernel's outbox page, as JSON. */
export type FeedEvent = OutboxEvent;
export type FeedPage = OutboxPage;

export interface FeedClientOptions {
  source: string;
  baseUrl: string;
  credentials: SigningCredentials;
  scope: SigningScope;
}

/**
 * A signed long-poll reader of one service's `GET /internal/outbox`. Not the kernel's service
 * client: a long-poll must be abortable at shutdown (the client's close waits for in-flight
 * requests, up to the whole wait) and must not feed a breaker with its idle waits.
 */
export class FeedClient {
  private readonly pool: Pool;
  private readonly base: URL;

  constructor(private readonly options: FeedClientOptions) {
    this.base = new URL(options.baseUrl);
    this.pool = new Pool(this.base.origin, { connections: 2 });
  }

  async read(after: string, limit: number, waitMs: number, signal: AbortSignal): Promise<FeedPage> {
    const path = `${this.base.pathname.replace(/\/$/, '')}/internal/outbox?after=${after}&limit=${limit}&wait=${waitMs}`;
    const url = `${this.base.origin}${path}`;
    const span = startClientSpan(() => ({
      name: `GET ${this.options.source} outbox`,
      attributes: { 'http.request.method': 'GET', 'server.address': this.base.hostname, 'peer.service': this.options.source },
    }));
    const headers = await signRequest(
      { method: 'GET', url, headers: { accept: 'application/json', ...(span ? { traceparent: span.traceparent } : {}) } },
      this.options.credentials,
      this.options.scope,
    );
    const timeout = AbortSignal.timeout(waitMs + 15_000);
    const response = await this.pool
      .request({ method: 'GET', path, headers, signal: AbortSignal.any([signal, timeout]) })
      .catch((error: unknown) => {
        span?.fail(error);
        if (signal.aborted) throw error;
        throw SyncError.SYNC_SOURCE_UNREACHABLE(`Outbox of "${this.options.source}" is unreachable`, {
          cause: error,
          details: { source: this.options.source },
        });
      });
    span?.end(response.statusCode);
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      throw SyncError.SYNC_SOURCE_FEED_FAILED(`Outbox of "${this.options.source}" answered ${response.statusCode}`, {
        details: { source: this.options.source, status: response.statusCode, body: text.slice(0, 500) },
      });
    }
    return JSON.parse(text) as FeedPage;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
