import type { FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '@tributary/platform/core';
import { routeLabel, UNMATCHED_ROUTE, type HttpApp, type HttpAppOptions } from '@tributary/platform/http';
import type { EdgeDeps } from '../deps.js';
import { freshEdge, type EdgeContext } from './context.js';
import { answerPreflight } from './cors.js';
import { limitAnonymous, presentsCredential } from './limits.js';
import { createGatewayMetrics } from './metrics.js';

/**
 * Query values the audit log never keeps: credentials, and personal data that is encrypted at
 * rest where it lives (an `?email_id=` lookup would otherwise leave the address in clear here).
 */
const SECRET_QUERY =
  /^(x-amz-signature|x-amz-security-token|x-amz-credential|token|access_token|api_key|apikey|e-?mail(_id)?|mobile(_no)?|phone|tax_id|primary_address|password)$/i;
/** The Fastify route every proxied path arrives on (app.ts). */
export const PROXY_ROUTE = '/*';
const OWN_PREFIXES = ['/api/v1/auth', '/api/v1/admin', '/.well-known'];

function decisionFor(status: number, code: string | undefined, current: string): string {
  if (!code) return current;
  if (status === 429) return 'rate_limited';
  if (status === 401) return 'denied_auth';
  if (status === 403) return 'denied_policy';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'error';
  return 'rejected';
}

function redactedQuery(query: unknown): Record<string, unknown> | null {
  if (!query || typeof query !== 'object') return null;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) out[key] = SECRET_QUERY.test(key) ? '[redacted]' : value;
  return Object.keys(out).length > 0 ? out : null;
}

/**
 * A proxied request is counted under the service route it matched; the gateway's own routes
 * under their Fastify template. The catch-all proxy route alone means no service route matched.
 */
function metricsRoute(request: FastifyRequest, edge: EdgeContext): string {
  if (edge.route) return edge.route.pathPattern;
  const own = routeLabel(request);
  return own === PROXY_ROUTE ? UNMATCHED_ROUTE : own;
}

/** Edge context per request, preflight at the edge, and one audit record per request. */
export function registerEdgeHooks(app: HttpApp, deps: EdgeDeps): NonNullable<HttpAppOptions['onRefusedBeforeRouting']> {
  app.decorateRequest('edge', null as never);
  const metrics = createGatewayMetrics(app.metrics, deps);
  const ownOrigins = deps.config.CORS_ORIGINS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

  // A callback hook: a request with a credential and no preflight (nearly all of them) has
  // nothing to wait for here, and an async hook cost it a promise.
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    request.edge = freshEdge();
    const path = request.url.split('?', 1)[0] ?? '/';
    const limited = !presentsCredential(request) && !path.startsWith('/health/') && path !== '/metrics';
    const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined;
    if (!limited && !preflight) return done();
    // A preflight is answered here: the rest of the chain must not run after it.
    edgeArrival(request, reply, path, limited, preflight).then(() => {
      if (!reply.sent) done();
    }, done);
  });

  async function edgeArrival(
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    limited: boolean,
    preflight: boolean,
  ): Promise<void> {
    if (limited) await limitAnonymous(deps, request, reply);
    if (!preflight) return;
    const wanted = String(request.headers['access-control-request-method']).toUpperCase();
    if (OWN_PREFIXES.some((prefix) => path.startsWith(prefix))) {
      answerPreflight(request, reply, ownOrigins, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
      return;
    }
    const routes = deps.routes
      .matchAnyMethod(path)
      .filter((route) => route.method === 'ANY' || route.method === wanted || (wanted === 'HEAD' && route.method === 'GET'));
    const first = routes[0];
    answerPreflight(request, reply, first?.corsOrigins ?? null, first ? [first.method === 'ANY' ? wanted : first.method] : []);
  }

  app.addHook('onError', async (request, _reply, error) => {
    if (request.edge) request.edge.errorCode = isAppError(error) ? error.code : 'INTERNAL_ERROR';
  });

  // A callback hook: recording is synchronous, and an async hook costs a promise per request.
  app.addHook('onResponse', (request, reply, done) => {
    record(request, reply);
    done();
  });

  /** One audit row (and decision metric) per answered request, whoever refused it. */
  function record(request: FastifyRequest, reply: FastifyReply): void {
    // A request the kernel's edge refused before our onRequest hook ran has no edge context yet;
    // it is audited all the same (an attacker's malformed requests are the ones worth keeping).
    const edge = request.edge ?? freshEdge();
    const path = request.url.split('?', 1)[0] ?? '/';
    if (path.startsWith('/health/') || path === '/metrics') return;
    const now = deps.clock.now();
    const status = reply.statusCode;
    const elapsed = Number.isFinite(reply.elapsedTime) ? Math.round(reply.elapsedTime) : 0;
    const { consumer } = edge;
    const length = reply.getHeader('content-length');
    const decision = decisionFor(status, edge.errorCode, edge.decision);
    metrics.answered(
      { service: edge.route?.serviceName ?? 'gateway', decision, route: metricsRoute(request, edge), method: request.method, status },
      edge.upstreamSeconds,
    );
    deps.audit.push({
      request_id: request.id,
      http_method: request.method,
      path: path.slice(0, 1000),
      query_params: redactedQuery(request.query),
      user_id: consumer.userId ?? null,
      api_key_id: consumer.apiKeyId ?? consumer.accessKeyId ?? null,
      authentication_method: consumer.method,
      client_ip: request.ip,
      user_agent: request.headers['user-agent'] ?? null,
      referer: (request.headers.referer ?? '').slice(0, 1000) || null,
      matched_route_id: edge.route?.routeId ?? null,
      service_name: edge.route?.serviceName ?? (path.startsWith('/api/v1/') ? 'gateway' : null),
      upstream_url: edge.upstreamUrl ?? null,
      status_code: status,
      response_size_bytes: length === undefined ? null : Number(length),
      response_time_ms: elapsed,
      error_code: edge.errorCode ?? null,
      decision,
      request_timestamp: new Date(now - elapsed),
      response_timestamp: new Date(now),
      rate_limited: edge.rateLimited,
      rate_limit_reason: edge.rateLimitReason ?? null,
      cache_status: edge.cacheStatus ?? null,
    });
    if (edge.limited)
      deps.tracker.record(edge.limited.type, edge.limited.value, now, { status, blocked: edge.rateLimited, limit: edge.limited.limit });
    if (consumer.apiKeyId) deps.keys.recordUsage(consumer.apiKeyId, status < 400, now);
  }

  // Refused before routing (an undecodable URL): no hook ran, so the edge context starts here.
  return (error, request, reply) => {
    request.edge = freshEdge();
    request.edge.errorCode = error.code ?? 'REQUEST_INVALID';
    record(request, reply);
  };
}
