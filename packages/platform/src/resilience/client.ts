import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { AppError, isAppError } from '../core/errors.js';
import { downstreamHeaders, type CallCorrelation } from '../http/trace-context.js';
import { identityHeaders, signRequest, type SigningCredentials, type SigningScope } from '../auth/index.js';
import { CircuitBreaker, type BreakerOptions, type BreakerPermit, type BreakerRegistry } from './breaker.js';
import { buildUrl, flattenHeaders, lowerCaseKeys, type QueryParams } from './request-parts.js';
import { retry, type RetryOutcome } from './retry.js';
import { parseRetryAfter } from './retry-after.js';
import { withTimeout } from './timeout.js';
import { activeTracer, inSpan, SpanKind, spanStatusFromHttp } from '../tracing/spans.js';
import { serviceTrust, type ServiceTrust } from './tls-trust.js';
import { UpstreamError } from './upstream-error.js';
import { classifyUpstreamOutcome, type UpstreamVerdict } from './failure.js';

export type ServiceMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ServiceClientOptions {
  /** The upstream's name: names the breaker and appears in every error. */
  name: string;
  baseUrl: string;
  credentials?: SigningCredentials;
  /** Default us-east-1 / execute-api. */
  scope?: SigningScope;
  /** Budget for one request() call including its retries and their waits. Default 5000. */
  timeoutMs?: number;
  /** Default 3 attempts, 50 ms base, 1000 ms cap. maxAttempts 1 disables retrying. */
  retry?: { maxAttempts: number; baseMs: number; capMs: number; factor?: number };
  breaker?: BreakerOptions;
  /** Share breakers between clients of the same upstream; otherwise each client owns one. */
  breakers?: BreakerRegistry;
  /** Keep-alive connections to the upstream. Default 10. */
  connections?: number;
  /** Clock for the breaker and the signature date. */
  now?: () => number;
  /**
   * CAs to verify an https upstream against; default: the process's (TLS_CA_FILE) or the
   * system store. There is deliberately no way to turn verification off.
   */
  tls?: ServiceTrust;
}

export interface ServiceRequest {
  method: ServiceMethod;
  /** Starts with '/', already percent-encoded; appended to baseUrl's path. */
  path: string;
  query?: QueryParams;
  /** Serialised as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  identity?: { user?: string; roles?: string[]; apiKeyId?: string };
  /** Makes a POST/PATCH safe to retry: the upstream deduplicates on it. */
  idempotencyKey?: string;
  /** The request id and trace this call belongs to (a command context, or the request's). */
  correlation?: CallCorrelation;
  requestId?: string;
  traceparent?: string;
  timeoutMs?: number;
  /** Ends the call early (shutdown, a subscriber gone): a long-poll must not hold its caller's close. */
  signal?: AbortSignal;
}

export interface ServiceResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export interface ServiceClient {
  readonly name: string;
  readonly breaker: CircuitBreaker;
  /** Resolves with any HTTP status; rejects only for transport problems, timeouts and an open circuit. */
  request<T = unknown>(req: ServiceRequest): Promise<ServiceResponse<T>>;
  /** Like request(), but a non-2xx answer rejects with an UpstreamError. */
  json<T = unknown>(req: ServiceRequest): Promise<T>;
  close(): Promise<void>;
}

const DEFAULT_SCOPE: SigningScope = { region: 'us-east-1', service: 'execute-api' };
const DEFAULT_RETRY = { maxAttempts: 3, baseMs: 50, capMs: 1000 };
/** PATCH and POST are not idempotent by definition; they are retried only with a key. */
const IDEMPOTENT_METHODS = new Set<ServiceMethod>(['GET', 'PUT', 'DELETE']);
const RETRYABLE_STATUSES = new Set([502, 503, 504]);

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export function createServiceClient(options: ServiceClientOptions): ServiceClient {
  const { name, credentials } = options;
  const base = new URL(options.baseUrl);
  const scope = options.scope ?? DEFAULT_SCOPE;
  const now = options.now ?? Date.now;
  const retryPolicy = options.retry ?? DEFAULT_RETRY;
  const defaultTimeoutMs = options.timeoutMs ?? 5000;
  const breakerOptions: BreakerOptions = { now, ...options.breaker };
  const breaker = options.breakers ? options.breakers.get(name, breakerOptions) : new CircuitBreaker(name, breakerOptions);
  const ca = (options.tls ?? serviceTrust()).ca;
  const pool = new Pool(base.origin, {
    connections: options.connections ?? 10,
    ...(base.protocol === 'https:' && ca !== undefined ? { connect: { ca, rejectUnauthorized: true } } : {}),
  });

  async function sign(
    url: URL,
    method: ServiceMethod,
    headers: Record<string, string>,
    body: Uint8Array | undefined,
  ): Promise<Record<string, string>> {
    if (!credentials) return headers;
    const toSign = { method, url: url.toString(), headers, ...(body ? { body } : {}) };
    // Signatures always carry the real time: the verifier checks it against its own clock,
    // whatever clock drives the breaker (tests move that one).
    return signRequest(toSign, credentials, scope);
  }

  /** One try, as a client span of the caller's trace when the service traces (each retry is its own span). */
  const attempt: typeof send = (url, method, headers, body, signal) => {
    if (!activeTracer()) return send(url, method, headers, body, signal);
    const attributes = { 'http.request.method': method, 'server.address': url.hostname, 'peer.service': name };
    return inSpan(`${method} ${name}`, { kind: SpanKind.CLIENT, attributes }, async (active) => {
      const response = await send(url, method, active ? { ...headers, traceparent: active.traceparent } : headers, body, signal);
      if (active) spanStatusFromHttp(active.span, response.status, SpanKind.CLIENT);
      return response;
    });
  };

  async function send(
    url: URL,
    method: ServiceMethod,
    headers: Record<string, string>,
    body: Uint8Array | undefined,
    signal: AbortSignal,
  ): Promise<RawResponse> {
    // Signed per attempt so a late retry carries a fresh date (the body bytes stay the same),
    // and before taking a permit: a signing fault is ours and says nothing about the upstream.
    const signed = await sign(url, method, headers, body);
    const permit = breaker.acquire();
    let response: RawResponse;
    try {
      const answer = await pool.request({ method, path: `${url.pathname}${url.search}`, headers: signed, body, signal });
      // Read to the end every time: an unread body pins its socket and the pool slowly starves.
      const text = await answer.body.text();
      response = { status: answer.statusCode, headers: flattenHeaders(answer.headers), text };
    } catch (error) {
      const wrapped = transportError(name, error, signal);
      // Judged on what actually happened (the raw error, or the timeout that aborted it), so a
      // fault on our side of the socket or our own cancellation never counts against the upstream.
      settle(permit, classifyUpstreamOutcome({ error: signal.aborted ? signal.reason : error }));
      throw wrapped;
    }
    settle(permit, classifyUpstreamOutcome({ status: response.status }));
    return response;
  }

  async function request<T>(req: ServiceRequest): Promise<ServiceResponse<T>> {
    if (pool.closed) throw new AppError('internal', 'SERVICE_CLIENT_CLOSED', `Client for "${name}" is closed`);
    const url = buildUrl(base, req.path, req.query);
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body), 'utf8');
    const headers = requestHeaders(req, body !== undefined);
    const retryable = IDEMPOTENT_METHODS.has(req.method) || req.idempotencyKey !== undefined;
    const timeoutMs = req.timeoutMs ?? defaultTimeoutMs;
    const deadline = performance.now() + timeoutMs;

    const raw = await withTimeout(
      (signal) =>
        retry((_n, attemptSignal) => attempt(url, req.method, headers, body, attemptSignal ?? signal), {
          ...retryPolicy,
          maxAttempts: retryable ? retryPolicy.maxAttempts : 1,
          signal,
          // Once this call's failures have opened the circuit, another try could only be
          // refused; the caller is better served by the upstream's real last answer.
          shouldRetry: (outcome) => breaker.state === 'closed' && shouldRetryOutcome(outcome),
          retryAfterMs: (outcome) => (outcome.ok ? parseRetryAfter(outcome.result.headers['retry-after']) : undefined),
          remainingMs: () => deadline - performance.now(),
        }),
      timeoutMs,
      { operation: `${req.method} ${name}${req.path}`, ...(req.signal ? { signal: req.signal } : {}) },
    );
    return { status: raw.status, headers: raw.headers, body: parseBody(name, raw) as T };
  }

  return {
    name,
    breaker,
    request,
    async json<T>(req: ServiceRequest): Promise<T> {
      const response = await request<T>(req);
      if (response.status < 200 || response.status >= 300) {
        throw new UpstreamError(name, response.status, response.body, response.headers);
      }
      return response.body;
    },
    async close() {
      if (!pool.closed) await pool.close();
    },
  };
}

/**
 * These describe one connection hop or a body we serialise ourselves. A proxying service that
 * forwards its incoming headers must not pass them on (RFC 9110 §7.6.1), and the signer
 * refuses hop-by-hop ones outright.
 */
const NOT_FORWARDED = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length']);

function requestHeaders(req: ServiceRequest, hasBody: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(lowerCaseKeys(req.headers))) {
    if (!NOT_FORWARDED.has(name) && !name.startsWith('proxy-')) headers[name] = value;
  }
  if (hasBody) headers['content-type'] = 'application/json';
  if (req.identity) Object.assign(headers, lowerCaseKeys(identityHeaders(req.identity)));
  if (req.correlation) Object.assign(headers, downstreamHeaders(req.correlation));
  if (req.requestId !== undefined) headers['x-request-id'] = req.requestId;
  if (req.traceparent !== undefined) headers.traceparent = req.traceparent;
  if (req.idempotencyKey !== undefined) headers['idempotency-key'] = req.idempotencyKey;
  return headers;
}

function settle(permit: BreakerPermit, verdict: UpstreamVerdict): void {
  if (verdict === 'failure') permit.failure();
  else if (verdict === 'success') permit.success();
  else permit.release();
}

function shouldRetryOutcome(outcome: RetryOutcome<RawResponse>): boolean {
  if (outcome.ok) return RETRYABLE_STATUSES.has(outcome.result.status);
  // An open circuit is not a transient fault worth waiting out inside one request, and a
  // timeout has already spent the whole budget.
  return isAppError(outcome.error) && outcome.error.code === 'UPSTREAM_UNAVAILABLE';
}

function transportError(upstream: string, error: unknown, signal: AbortSignal): AppError {
  if (signal.aborted && isAppError(signal.reason)) return signal.reason;
  if (isAppError(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  return new AppError('unavailable', 'UPSTREAM_UNAVAILABLE', `Upstream "${upstream}" is unreachable`, {
    details: { upstream, ...(typeof code === 'string' ? { reason: code } : {}) },
    cause: error,
  });
}

function parseBody(upstream: string, raw: RawResponse): unknown {
  if (raw.text === '') return undefined;
  if (!/[/+]json\b/i.test(raw.headers['content-type'] ?? '')) return raw.text;
  try {
    return JSON.parse(raw.text);
  } catch (error) {
    throw new AppError('unavailable', 'UPSTREAM_BAD_RESPONSE', `Upstream "${upstream}" sent malformed JSON`, {
      details: { upstream, status: raw.status },
      cause: error,
    });
  }
}
