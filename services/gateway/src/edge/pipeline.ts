import type { FastifyReply, FastifyRequest } from 'fastify';
import { methodNotAllowed } from '@tributary/platform/core';
import { authorizeTarget, upstreamService } from '../features/routing/access.js';
import { authorize } from '../features/routing/policy.js';
import { forward, sendUpstream } from '../features/routing/proxy.js';
import { ResponseCache } from '../features/routing/response-cache.js';
import { rewritePath, type RouteConfig } from '../features/routing/route-table.js';
import { GatewayError } from '../errors.js';
import type { EdgeDeps } from '../deps.js';
import { consumerKey, type Consumer } from './consumer.js';
import { decorateCors } from './cors.js';
import { applyLimits, authenticateAtEdge } from './limits.js';

function splitUrl(url: string): { path: string; rawQuery: string } {
  const mark = url.indexOf('?');
  return mark === -1 ? { path: url, rawQuery: '' } : { path: url.slice(0, mark), rawQuery: url.slice(mark + 1) };
}

/** Empty or dot segments could walk out of the rewritten prefix upstream; no route needs them. */
function assertSafePath(path: string): void {
  const segments = path.split('/').slice(1);
  const bad = segments.some((segment, index) => {
    const decoded = segment.replace(/%2e/gi, '.');
    return decoded === '.' || decoded === '..' || (segment === '' && index < segments.length - 1) || /%2f|%5c/i.test(segment);
  });
  if (bad) throw GatewayError.PATH_INVALID('Request path has empty, dot or encoded-slash segments');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A presigned client request's signature was for the gateway; upstream gets the gateway's own. */
function withoutSignatureParams(rawQuery: string): string {
  if (!/x-amz-/i.test(rawQuery)) return rawQuery;
  return rawQuery
    .split('&')
    .filter((pair) => !/^x-amz-/i.test(safeDecode(pair.split('=', 1)[0] ?? '')))
    .join('&');
}

/**
 * What a pre-handler of the original proxy asks for instead of the client's own path: another
 * gateway path (matched and authorised like any request), its query, answer headers, and
 * headers read off the upstream's JSON answer. Such answers are read whole and never cached.
 */
export interface ProxyTarget {
  path: string;
  rawQuery: string;
  headers?: Record<string, string>;
  fromBody?: (status: number, body: unknown) => Record<string, string>;
  /** Checks the request once the caller is known and allowed, before anything is forwarded. */
  beforeForward?: () => void;
  /** Finds the caller from something other than the request's credential headers (the real-time handshake's token). */
  authenticate?: () => Promise<Consumer>;
  /** Carries an admitted request upstream instead of forwarding it as one request and answer (a protocol upgrade). */
  takeOver?: (admitted: AdmittedRequest) => Promise<unknown>;
}

/** A request the pipeline has matched, authenticated, limited and authorised. */
export interface AdmittedRequest {
  route: RouteConfig;
  upstreamPath: string;
  rawQuery: string;
  consumer: Consumer;
}

/** The proxy: match → authenticate → limit → authorize (route, then the target's access model) → cache → forward. */
export async function proxyRequest(deps: EdgeDeps, request: FastifyRequest, reply: FastifyReply, target?: ProxyTarget): Promise<unknown> {
  const { path, rawQuery: clientQuery } = target ?? splitUrl(request.url);
  assertSafePath(path);
  const rawQuery = withoutSignatureParams(clientQuery);
  const match = deps.routes.match(request.method, path);
  if (!match) {
    if (/^\/api\/v(?!1\/)\d+\//.test(path)) throw GatewayError.API_VERSION_UNSUPPORTED('This API version is not served; use /api/v1');
    const onPath = deps.routes.matchAnyMethod(path);
    if (onPath.length > 0)
      throw methodNotAllowed(
        request.method,
        path,
        onPath.map((candidate) => candidate.method),
      );
    throw GatewayError.ROUTE_NOT_FOUND(`No route for ${request.method} ${path}`);
  }
  const { route } = match;
  const edge = request.edge;
  edge.route = route;
  const consumer = await authenticateAtEdge(deps, request, reply, target?.authenticate);
  edge.consumer = consumer;
  if (route.authRequired && consumer.method === 'none')
    throw GatewayError.AUTH_REQUIRED('This route requires a bearer token, an API key or a SigV4 signature');
  // Anonymous callers were already counted per address on arrival; a route override counts apart.
  if (consumer.method !== 'none' || route.limitOverride || !edge.limited) await applyLimits(deps, request, reply, consumer, route);
  authorize(route, request.method, consumer);
  const upstreamPath = rewritePath(route.upstreamPath, match, path);
  authorizeTarget(upstreamService(route), request.method, upstreamPath, consumer);
  target?.beforeForward?.();
  decorateCors(request, reply, route.corsOrigins);
  if (route.deprecated) reply.header('deprecation', 'true');
  if (target?.takeOver) return target.takeOver({ route, upstreamPath, rawQuery, consumer });

  const cacheable =
    !target && route.cacheEnabled && request.method === 'GET' && !/no-store/i.test(String(request.headers['cache-control'] ?? ''));
  const cacheKey = cacheable
    ? ResponseCache.key(route.routeId, consumerKey(consumer), `${upstreamPath}?${rawQuery}`, request.headers.accept)
    : undefined;
  if (cacheKey) {
    const hit = deps.cache.get(cacheKey);
    if (hit) {
      edge.cacheStatus = 'HIT';
      edge.decision = 'cache_hit';
      return reply
        .code(hit.status)
        .headers({ ...hit.headers, 'x-cache': 'HIT' })
        .send(hit.body);
    }
  }

  const forwardedAt = performance.now();
  const response = await forward(
    { upstreams: deps.upstreams, credentials: deps.credentials, scope: deps.scope, clock: deps.clock },
    request,
    route,
    upstreamPath,
    rawQuery,
    consumer,
  );
  edge.upstreamUrl = response.target.url;
  edge.upstreamSeconds = (performance.now() - forwardedAt) / 1000;
  if (response.status >= 500) edge.decision = 'upstream_error';
  if (cacheKey && response.status === 200) {
    const body = Buffer.from(await response.body.arrayBuffer());
    const stored = deps.cache.offer(cacheKey, { status: response.status, headers: response.headers, body }, route.cacheTtlSeconds);
    edge.cacheStatus = stored ? 'MISS' : 'BYPASS';
    const headers: Record<string, string> = { ...response.headers, 'x-cache': edge.cacheStatus };
    const cookies = headers['set-cookie'];
    delete headers['set-cookie'];
    reply.code(response.status).headers(headers);
    if (cookies) reply.header('set-cookie', cookies.split('\n'));
    return reply.send(body);
  }
  if (target) {
    // Read whole so the original clients' envelope can wrap it (their answers are small JSON).
    const body = Buffer.from(await response.body.arrayBuffer());
    const json = /json/i.test(response.headers['content-type'] ?? '');
    let parsed: unknown;
    try {
      parsed = json ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      parsed = undefined;
    }
    const headers = { ...response.headers, ...target.headers, ...target.fromBody?.(response.status, parsed) };
    delete headers['set-cookie'];
    return reply
      .code(response.status)
      .headers(headers)
      .send(json ? body.toString('utf8') : body);
  }
  return sendUpstream(reply, response, {});
}
