import type { FastifyRequest } from 'fastify';
import type { AdminCaller } from '../features/admin/admin-guard.js';
import type { IdentifierType } from '../features/limits/limiter.js';
import type { RouteConfig } from '../features/routing/route-table.js';
import { ANONYMOUS, type Consumer } from './consumer.js';

/** What the edge learned about a request, for the audit record and usage counters. */
export interface EdgeContext {
  /** performance.now() when the request arrived: revocation reads must start after it. */
  arrivedAt: number;
  consumer: Consumer;
  route?: RouteConfig;
  upstreamUrl?: string;
  /** Seconds from forwarding to the upstream's answer headers (absent when nothing was forwarded). */
  upstreamSeconds?: number;
  decision: string;
  errorCode?: string;
  rateLimited: boolean;
  rateLimitReason?: string;
  cacheStatus?: 'HIT' | 'MISS' | 'BYPASS';
  limited?: { type: IdentifierType; value: string; limit: number };
  /** The caller is an original Harsha client: answers on the Harsha surface are enveloped (ADR 0408). */
  harsha?: boolean;
  /** Set by an admin route's access rule; the handler reads it with `adminOf`. */
  admin?: AdminCaller;
}

declare module 'fastify' {
  interface FastifyRequest {
    edge: EdgeContext;
  }
}

export function edgeOf(request: FastifyRequest): EdgeContext {
  return request.edge;
}

export function freshEdge(): EdgeContext {
  return { arrivedAt: performance.now(), consumer: ANONYMOUS, decision: 'allowed', rateLimited: false };
}
