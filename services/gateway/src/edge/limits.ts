import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '@tributary/platform/core';
import type { IdentifierType } from '../features/limits/limiter.js';
import { rateLimitedError } from '../features/limits/limiter.js';
import { TIER_LIMITS, type WindowLimits } from '../features/limits/tiers.js';
import { carriesHandshakeToken } from '../features/realtime/handshake.js';
import type { RouteConfig } from '../features/routing/route-table.js';
import type { GatewayConfig } from '../config.js';
import type { RateLimitService } from '../features/limits/limiter.js';
import { authenticateClient, type ClientAuthDeps } from './client-auth.js';
import { ANONYMOUS, type Consumer } from './consumer.js';

/** What authenticating a client and applying its limits use. */
export interface EdgeAuthDeps extends ClientAuthDeps {
  config: Pick<GatewayConfig, 'IP_LIMIT_PER_MINUTE' | 'IP_LIMIT_PER_HOUR' | 'IP_LIMIT_PER_DAY'>;
  limits: RateLimitService;
}

function identify(deps: EdgeAuthDeps, consumer: Consumer, ip: string): { type: IdentifierType; value: string; limits: WindowLimits } {
  if (consumer.apiKeyId)
    return {
      type: 'api_key',
      value: consumer.apiKeyId,
      limits: consumer.tier === 'unlimited' ? TIER_LIMITS.unlimited : (consumer.limits ?? TIER_LIMITS[consumer.tier]),
    };
  if (consumer.userId) return { type: 'user_id', value: consumer.userId, limits: TIER_LIMITS[consumer.tier] };
  const { IP_LIMIT_PER_MINUTE: minute, IP_LIMIT_PER_HOUR: hour, IP_LIMIT_PER_DAY: day } = deps.config;
  return { type: 'ip_address', value: ip, limits: { minute, hour, day } };
}

/**
 * Keys are limited per key, users per user, anonymous callers per address. A route's
 * override replaces the limits and counts separately, so a tight route cannot eat the
 * consumer's general budget.
 */
export async function applyLimits(
  deps: EdgeAuthDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  consumer: Consumer,
  route?: RouteConfig,
): Promise<void> {
  const id = identify(deps, consumer, request.ip);
  let { value, limits } = id;
  if (route?.limitOverride && consumer.tier !== 'unlimited') {
    limits = { minute: route.limitOverride.minute ?? 0, hour: route.limitOverride.hour ?? 0, day: route.limitOverride.day ?? 0 };
    value = `${value}@${route.routeId}`;
  }
  const decision = await deps.limits.check(id.type, value, limits);
  request.edge.limited = { type: id.type, value: id.value, limit: decision.minuteLimit };
  reply.headers(decision.headers);
  if (!decision.allowed) {
    request.edge.rateLimited = true;
    request.edge.rateLimitReason = `${id.type} per ${decision.window}`;
    throw rateLimitedError(decision, id.type);
  }
}

/** Does the request carry any credential? Requests without one are limited per address at once. */
export function presentsCredential(request: FastifyRequest): boolean {
  const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
  return (
    request.headers.authorization !== undefined ||
    request.headers['x-api-key'] !== undefined ||
    /[?&]X-Amz-Signature=/i.test(query) ||
    carriesHandshakeToken(request.url)
  );
}

/**
 * Unauthenticated traffic is limited per address before anything else runs (login, refresh,
 * unknown paths, public routes), with the `IP_LIMIT_PER_*` windows: 429 RATE_LIMIT_EXCEEDED
 * with Retry-After.
 */
export async function limitAnonymous(deps: EdgeAuthDeps, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await applyLimits(deps, request, reply, ANONYMOUS);
}

/**
 * Client authentication at the edge. A credential that fails counts against the address like
 * no credential at all, so forged or expired tokens are not a way around the anonymous limit.
 */
export async function authenticateAtEdge(
  deps: EdgeAuthDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  authenticate: () => Promise<Consumer> = () => authenticateClient(deps, request),
): Promise<Consumer> {
  try {
    return await authenticate();
  } catch (error) {
    if (isAppError(error) && (error.category === 'unauthenticated' || error.category === 'invalid'))
      await limitAnonymous(deps, request, reply);
    throw error;
  }
}
