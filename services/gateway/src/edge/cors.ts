import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors.js';

const ALLOWED_HEADERS =
  'authorization, content-type, x-api-key, x-request-id, idempotency-key, traceparent, x-amz-date, x-amz-content-sha256, x-amz-security-token';
const EXPOSED_HEADERS = 'x-request-id, ratelimit-limit, ratelimit-remaining, ratelimit-reset, ratelimit-policy, retry-after, x-cache';

export function originAllowed(origin: string, allowlist: readonly string[] | null): boolean {
  if (!allowlist || allowlist.length === 0) return false;
  return allowlist.includes('*') || allowlist.includes(origin);
}

/** Answers a preflight at the edge: no upstream sees OPTIONS, and a refused origin learns nothing else. */
export function answerPreflight(
  request: FastifyRequest,
  reply: FastifyReply,
  allowlist: readonly string[] | null,
  methods: string[],
): FastifyReply {
  const origin = request.headers.origin ?? '';
  if (!originAllowed(origin, allowlist)) throw GatewayError.CORS_ORIGIN_NOT_ALLOWED('Origin is not allowed for this route');
  return reply
    .code(204)
    .header('access-control-allow-origin', origin)
    .header('vary', 'Origin')
    .header('access-control-allow-methods', methods.join(', '))
    .header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? ALLOWED_HEADERS)
    .header('access-control-allow-credentials', 'true')
    .header('access-control-max-age', '600')
    .send();
}

/** On actual requests: echo an allowed origin; say nothing for others (the browser then blocks the read). */
export function decorateCors(request: FastifyRequest, reply: FastifyReply, allowlist: readonly string[] | null): void {
  const origin = request.headers.origin;
  if (!origin || !originAllowed(origin, allowlist)) return;
  reply
    .header('access-control-allow-origin', origin)
    .header('vary', 'Origin')
    .header('access-control-allow-credentials', 'true')
    .header('access-control-expose-headers', EXPOSED_HEADERS);
}
