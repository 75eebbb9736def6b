import {
  INTERNAL_EVENTS_PATH,
  SYNC_CONFLICT_HEADER,
  SYNC_FORCE_HEADER,
  SYNC_RESOLUTION_HEADER,
  SYNC_VERSION_CONFLICT,
  type EventEnvelope,
} from '@tributary/contracts';
import type { SigningCredentials, SigningScope } from '@tributary/platform/auth';
import { isAppError } from '@tributary/platform/core';
import type { CallCorrelation } from '@tributary/platform/http';
import { createServiceClient, type ServiceClient } from '@tributary/platform/resilience';
import type { Target } from '../configurations/configurations.schemas.js';
import type { ChannelTarget } from '../configurations/route.js';
import { signWebhook } from './standard-webhooks.js';

export type DeliveryOutcome =
  | { kind: 'delivered'; ack: string }
  | { kind: 'conflict'; targetVersion: string; targetData: unknown }
  /** Worth trying again later (down, overloaded, timed out). */
  | { kind: 'retryable'; message: string; details: unknown }
  /** The target refused the event itself; retrying cannot help. */
  | { kind: 'permanent'; message: string; details: unknown }
  /** Never reached the target (its circuit is open): not an attempt. */
  | { kind: 'deferred'; message: string; retryAfterMs: number };

export interface DeliveryRequest {
  envelope: EventEnvelope;
  /** The event's request id and a child span of its trace, sent as x-request-id and traceparent. */
  correlation: CallCorrelation;
  idempotencyKey: string;
  force: boolean;
  resolution?: string;
  conflictId?: string;
}

export interface TargetsOptions {
  peers: Record<string, string>;
  credentials: SigningCredentials;
  scope: SigningScope;
  timeoutMs: number;
  breakerOpenMs: number;
  /** Sends to notification channels; without it their deliveries wait (retryable). */
  channels?: ChannelSender;
  now?: () => number;
}

/** Sends to notification channels (the notifications feature implements it). */
export interface ChannelSender {
  deliver(
    channelId: string,
    request: DeliveryRequest,
    postWebhook: (post: WebhookPost) => Promise<DeliveryOutcome>,
  ): Promise<DeliveryOutcome>;
  close(): Promise<void>;
}

export interface WebhookPost {
  url: string;
  body: unknown;
  secret: string | undefined;
  headers?: Record<string, string>;
}

const RETRYABLE = new Set([404, 408, 425, 429]);

/**
 * One HTTP client per target (keep-alive pool and circuit breaker each). Tributary services
 * get the envelope signed with SigV4 at `POST /internal/events`; external webhooks get it
 * signed by the Standard Webhooks scheme when the configuration has a secret; notification
 * channels get a notification (webhook) or an e-mail.
 */
export class Targets {
  private readonly clients = new Map<string, ServiceClient>();

  constructor(private readonly options: TargetsOptions) {}

  async deliver(targetSystem: string, target: Target | ChannelTarget | undefined, request: DeliveryRequest): Promise<DeliveryOutcome> {
    const resolved = target ?? { kind: 'service' as const, service: targetSystem };
    if (resolved.kind === 'channel') {
      if (!this.options.channels)
        return { kind: 'retryable', message: 'Notification channels are not wired in this process', details: null };
      return this.options.channels.deliver(resolved.channelId, request, (post) => this.postWebhook(post, request));
    }
    if (resolved.kind === 'webhook') {
      if (!resolved.url) return { kind: 'permanent', message: 'Webhook target has no URL', details: { target: targetSystem } };
      return this.postWebhook(
        {
          url: resolved.url,
          body: request.envelope,
          secret: resolved.secret,
          headers: { ...(resolved.headers ?? {}), ...syncHeaders(request) },
        },
        request,
      );
    }
    const baseUrl = this.options.peers[resolved.service];
    if (!baseUrl)
      return { kind: 'retryable', message: `No URL configured for service "${resolved.service}"`, details: { target: targetSystem } };
    return this.send(
      this.client(`service:${resolved.service}`, baseUrl, true),
      INTERNAL_EVENTS_PATH,
      request.envelope,
      syncHeaders(request),
      request,
    );
  }

  /**
   * POSTs `body` to an external URL; with a secret, signed by the Standard Webhooks scheme. The
   * id is the delivery's idempotency key, the same on every retry of it, so receivers deduplicate.
   */
  postWebhook(post: WebhookPost, request: DeliveryRequest): Promise<DeliveryOutcome> {
    const url = new URL(post.url);
    const headers: Record<string, string> = { ...(post.headers ?? {}) };
    if (post.secret) {
      const now = this.options.now?.() ?? Date.now();
      // The client sends JSON.stringify(body), so these are the bytes signed.
      Object.assign(headers, signWebhook(post.secret, request.idempotencyKey, now, JSON.stringify(post.body)));
    }
    return this.send(this.client(`webhook:${url.origin}`, url.origin, false), `${url.pathname}${url.search}`, post.body, headers, request);
  }

  private async send(
    client: ServiceClient,
    path: string,
    body: unknown,
    headers: Record<string, string>,
    request: DeliveryRequest,
  ): Promise<DeliveryOutcome> {
    try {
      const response = await client.request<unknown>({
        method: 'POST',
        path,
        body,
        headers,
        correlation: request.correlation,
        idempotencyKey: request.idempotencyKey,
      });
      return classify(response.status, response.body);
    } catch (error) {
      if (isAppError(error) && error.code === 'UPSTREAM_CIRCUIT_OPEN') {
        const retryAfter = Number(error.headers?.['Retry-After'] ?? 1) * 1000;
        return { kind: 'deferred', message: error.message, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter : 1000 };
      }
      return {
        kind: 'retryable',
        message: (error as Error).message,
        details: isAppError(error) ? { code: error.code, ...error.details } : null,
      };
    }
  }

  async close(): Promise<void> {
    await this.options.channels?.close();
    await Promise.all([...this.clients.values()].map((client) => client.close()));
    this.clients.clear();
  }

  private client(name: string, baseUrl: string, signed: boolean): ServiceClient {
    let client = this.clients.get(name);
    if (!client) {
      client = createServiceClient({
        name,
        baseUrl,
        ...(signed ? { credentials: this.options.credentials, scope: this.options.scope } : {}),
        timeoutMs: this.options.timeoutMs,
        // The worker owns retries (with backoff persisted in sync_status); one attempt per claim.
        retry: { maxAttempts: 1, baseMs: 0, capMs: 0 },
        breaker: { halfOpenAfterMs: this.options.breakerOpenMs },
        connections: 32,
      });
      this.clients.set(name, client);
    }
    return client;
  }
}

function syncHeaders(request: DeliveryRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  if (request.force) headers[SYNC_FORCE_HEADER] = 'true';
  if (request.resolution) headers[SYNC_RESOLUTION_HEADER] = request.resolution;
  if (request.conflictId) headers[SYNC_CONFLICT_HEADER] = request.conflictId;
  return headers;
}

function classify(status: number, body: unknown): DeliveryOutcome {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (status >= 200 && status < 300) return { kind: 'delivered', ack: typeof record.status === 'string' ? record.status : 'applied' };
  if (status === 409 && record.code === SYNC_VERSION_CONFLICT) {
    const details = (record.details ?? {}) as Record<string, unknown>;
    return { kind: 'conflict', targetVersion: String(details.targetVersion ?? ''), targetData: details.targetData ?? null };
  }
  const details = { status, code: record.code, message: record.message };
  const message = `Target answered ${status}${typeof record.code === 'string' ? ` ${record.code}` : ''}`;
  // A redelivery racing the first attempt (expired lease) finds the key still in progress.
  if (status === 409 && record.code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS') return { kind: 'retryable', message, details };
  if (status >= 500 || RETRYABLE.has(status)) return { kind: 'retryable', message, details };
  return { kind: 'permanent', message, details };
}
