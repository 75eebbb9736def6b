import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import { type Clock } from '@tributary/platform/core';
import { identityHeaders } from '@tributary/platform/auth';
import { downstreamHeaders } from '@tributary/platform/http';
import { signRequestNow, type SigningCredentials, type SigningScope } from '@tributary/platform/auth';
import { startClientSpan } from '@tributary/platform/tracing';
import { consumerKey, type Consumer } from '../../edge/consumer.js';
import { GatewayError } from '../../errors.js';
import { isUpstreamFailure } from './failures.js';
import type { RouteConfig } from './route-table.js';
import type { Target, Upstreams } from './upstreams.js';

/** Never forwarded upstream: hop-by-hop, the client's own credentials, and identity the gateway asserts itself. */
const DROP_REQUEST = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-connection',
  'host',
  'content-length',
  'authorization',
  'x-api-key',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
]);
const DROP_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding', 'trailer', 'upgrade', 'proxy-authenticate', 'date']);
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/** Who a provoked failure is charged to: the user or key, or the address of an anonymous caller. */
function consumerKeyOf(request: FastifyRequest, consumer: Consumer): string {
  const key = consumerKey(consumer);
  return key === 'anonymous' ? `ip:${request.ip}` : key;
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Dispatcher.ResponseData['body'];
  target: Target;
}

export interface ForwardDeps {
  upstreams: Upstreams;
  credentials: SigningCredentials;
  scope: SigningScope;
  clock: Clock;
}

/** The client's end-to-end headers, then who the client is and how it reached the gateway. */
export function clientHeaders(request: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (
      value === undefined ||
      DROP_REQUEST.has(name) ||
      name.startsWith('x-amz-') ||
      name.startsWith('x-tributary-') ||
      name.startsWith('proxy-')
    )
      continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  headers['x-forwarded-for'] = request.ip;
  headers['x-forwarded-proto'] = request.protocol;
  if (request.headers.host) headers['x-forwarded-host'] = request.headers.host;
  return headers;
}

export function responseHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROP_RESPONSE.has(name)) continue;
    // Set-Cookie must stay separate lines; everything else folds.
    out[name] = Array.isArray(value) ? (name === 'set-cookie' ? value.join('\n') : value.join(', ')) : value;
  }
  return out;
}

/**
 * Sends the request to one target of the route, under the upstream's breaker. Connection
 * failures of idempotent requests move on to another target; an upstream answer is returned
 * as is, and only 502/503/504 among answers count against the target and the breaker
 * (isUpstreamFailure).
 */
export async function forward(
  deps: ForwardDeps,
  request: FastifyRequest,
  route: RouteConfig,
  upstreamPath: string,
  rawQuery: string,
  consumer: Consumer,
): Promise<UpstreamResponse> {
  const { upstreams } = deps;
  const breaker = upstreams.breakerFor(route);
  const permit = breaker?.acquire();
  const tried = new Set<Target>();
  const attempts = permit?.probe ? 1 : 1 + (IDEMPOTENT.has(request.method) ? route.retryAttempts : 0);
  const base = clientHeaders(request);
  const body = request.rawBody && request.rawBody.length > 0 ? request.rawBody : undefined;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const target = upstreams.pick(route, tried);
    if (!target) break;
    tried.add(target);
    const path = `${target.basePath}${upstreamPath}`;
    const url = `${target.origin}${path}${rawQuery ? `?${rawQuery}` : ''}`;
    // Before signing: the upstream's span must be this call's child, and the header is signed.
    const span = startClientSpan(() => ({
      name: `${request.method} ${route.serviceName}`,
      attributes: {
        'http.request.method': request.method,
        'server.address': new URL(target.origin).hostname,
        'peer.service': route.serviceName,
      },
    }));
    let headers: Record<string, string> = {
      ...base,
      ...downstreamHeaders(request),
      ...(span ? { traceparent: span.traceparent } : {}),
      ...identityHeaders({
        ...(consumer.userId ? { user: consumer.userId } : {}),
        roles: consumer.roles,
        ...(consumer.apiKeyId ? { apiKeyId: consumer.apiKeyId } : {}),
      }),
    };
    if (route.upstreamAuth === 'sigv4') {
      headers = signRequestNow({ method: request.method, url, headers, ...(body ? { body } : {}) }, deps.credentials, deps.scope);
    } else {
      headers.host = new URL(url).host;
    }
    target.active++;
    target.requests++;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      target.active--;
    };
    try {
      const response = await target.pool.request({
        method: request.method as Dispatcher.HttpMethod,
        path: `${path}${rawQuery ? `?${rawQuery}` : ''}`,
        headers,
        ...(body ? { body } : {}),
        headersTimeout: route.timeoutMs,
        bodyTimeout: route.timeoutMs,
      });
      span?.end(response.statusCode);
      // 'end' as soon as the body is read (before a whole-read answer is sent); 'close' or
      // 'error' when it is cut. Least connections counts on it being prompt.
      response.body.once('end', done);
      response.body.once('close', done);
      response.body.once('error', done);
      const ok = !isUpstreamFailure({ status: response.statusCode });
      upstreams.report(route, target, ok);
      if (ok) permit?.success();
      else if (permit && !upstreams.admitProvokedFailure(route, consumerKeyOf(request, consumer))) permit.release();
      else permit?.failure();
      return { status: response.statusCode, headers: responseHeaders(response.headers), body: response.body, target };
    } catch (error) {
      span?.fail(error);
      done();
      upstreams.report(route, target, !isUpstreamFailure({ error }));
      lastError = error;
      if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError) break;
    }
  }
  const timedOut = lastError instanceof undiciErrors.HeadersTimeoutError || lastError instanceof undiciErrors.BodyTimeoutError;
  if (permit && timedOut && !upstreams.admitProvokedFailure(route, consumerKeyOf(request, consumer))) permit.release();
  else permit?.failure();
  if (lastError instanceof undiciErrors.HeadersTimeoutError || lastError instanceof undiciErrors.BodyTimeoutError) {
    throw GatewayError.UPSTREAM_TIMEOUT(`Upstream ${route.serviceName} did not answer within ${route.timeoutMs} ms`);
  }
  if (tried.size === 0) throw GatewayError.UPSTREAM_NOT_CONFIGURED(`No upstream target is configured for ${route.serviceName}`);
  throw GatewayError.UPSTREAM_UNAVAILABLE(`Upstream ${route.serviceName} is unreachable`, { cause: lastError });
}

/**
 * Answers of a known size up to this are read whole and go out with their headers in one write;
 * piped, the headers and the body were two (socket writes were a quarter of the gateway's
 * thread under load). Larger, unsized and streamed answers (event streams, exports) are piped.
 */
const WHOLE_BODY_BYTES = 64 * 1024;

export async function sendUpstream(reply: FastifyReply, response: UpstreamResponse, extra: Record<string, string>): Promise<void> {
  const body = await bodyToSend(reply.request.method, response);
  const headers = { ...response.headers, ...extra };
  const cookies = headers['set-cookie'];
  delete headers['set-cookie'];
  reply.code(response.status).headers(headers);
  if (cookies) reply.header('set-cookie', cookies.split('\n'));
  return reply.send(body);
}

async function bodyToSend(method: string, response: UpstreamResponse): Promise<UpstreamResponse['body'] | Buffer> {
  const length = Number(response.headers['content-length'] ?? Number.NaN);
  if (method === 'HEAD' || !(length > 0 && length <= WHOLE_BODY_BYTES)) return response.body;
  try {
    return Buffer.from(await response.body.arrayBuffer());
  } catch (error) {
    // Nothing has been sent yet, so the client gets the gateway's own answer, not a cut body.
    if (error instanceof undiciErrors.BodyTimeoutError)
      throw GatewayError.UPSTREAM_TIMEOUT('The upstream did not finish its answer in time');
    throw GatewayError.UPSTREAM_UNAVAILABLE('The upstream broke off its answer', { cause: error });
  }
}
