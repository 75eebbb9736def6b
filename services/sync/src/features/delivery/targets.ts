import { createHmac } from 'node:crypto';
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
}

const RETRYABLE = new Set([404, 408, 425, 429]);

/**
 * One HTTP client per target (keep-alive pool and circuit breaker each). Tributary services
 * get the envelope signed with SigV4 at `POST /internal/events`; external webhooks get it
 * unsigned by SigV4 but with an HMAC of the body when the configuration has a secret.
 */
export class Targets {
  private readonly clients = new Map<string, ServiceClient>();

  constructor(private readonly options: TargetsOptions) {}

  async deliver(targetSystem: string, target: Target | undefined, request: DeliveryRequest): Promise<DeliveryOutcome> {
    const resolved = target ?? { kind: 'service' as const, service: targetSystem };
    let client: ServiceClient;
    let path: string;
    const headers: Record<string, string> = {};
    if (resolved.kind === 'service') {
      const baseUrl = this.options.peers[resolved.service];
      if (!baseUrl)
        return { kind: 'retryable', message: `No URL configured for service "${resolved.service}"`, details: { target: targetSystem } };
      client = this.client(`service:${resolved.service}`, baseUrl, true);
      path = INTERNAL_EVENTS_PATH;
    } else {
      if (!resolved.url) return { kind: 'permanent', message: 'Webhook target has no URL', details: { target: targetSystem } };
      const url = new URL(resolved.url);
      client = this.client(`webhook:${url.origin}`, url.origin, false);
      path = `${url.pathname}${url.search}`;
      Object.assign(headers, resolved.headers ?? {});
      if (resolved.secret)
        headers['x-tributary-signature'] =
          `sha256=${createHmac('sha256', resolved.secret).update(JSON.stringify(request.envelope)).digest('hex')}`;
    }
    if (request.force) headers[SYNC_FORCE_HEADER] = 'true';
    if (request.resolution) headers[SYNC_RESOLUTION_HEADER] = request.resolution;
    if (request.conflictId) headers[SYNC_CONFLICT_HEADER] = request.conflictId;
    try {
      const response = await client.request<unknown>({
        method: 'POST',
        path,
        body: request.envelope,
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
