import { AppError, type ErrorCategory } from '../core/errors.js';

const CATEGORY_BY_STATUS: Record<number, ErrorCategory> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  408: 'request_timeout',
  409: 'conflict',
  410: 'gone',
  413: 'too_large',
  422: 'unprocessable',
  429: 'rate_limited',
  502: 'unavailable',
  503: 'unavailable',
  504: 'timeout',
};

function categoryFor(status: number): ErrorCategory {
  return CATEGORY_BY_STATUS[status] ?? (status >= 500 ? 'internal' : 'invalid');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A non-2xx answer from another Tributary service. It keeps the upstream's status, code,
 * message and details exactly, so a service that proxies the call can rethrow it and its own
 * caller sees what the upstream said (a 409 ORDER_ALREADY_SHIPPED stays one) instead of a
 * generic 502.
 */
export class UpstreamError extends AppError {
  readonly upstream: string;
  readonly upstreamStatus: number;
  /** The parsed response body (or its text when it was not JSON). */
  readonly body: unknown;
  readonly responseHeaders: Record<string, string>;

  constructor(upstream: string, status: number, body: unknown, responseHeaders: Record<string, string> = {}) {
    const error = isRecord(body) ? body : {};
    const code = typeof error.code === 'string' ? error.code : `UPSTREAM_HTTP_${status}`;
    const message = typeof error.message === 'string' ? error.message : `Upstream "${upstream}" answered ${status}`;
    const retryAfter = responseHeaders['retry-after'];
    super(categoryFor(status), code, message, {
      details: isRecord(error.details) ? error.details : undefined,
      headers: retryAfter === undefined ? undefined : { 'Retry-After': retryAfter },
    });
    this.name = 'UpstreamError';
    this.upstream = upstream;
    this.upstreamStatus = status;
    this.body = body;
    this.responseHeaders = responseHeaders;
  }

  /** The upstream's own status, not one derived from the category (502 stays 502). */
  override get status(): number {
    return this.upstreamStatus;
  }
}

export function isUpstreamError(err: unknown): err is UpstreamError {
  return err instanceof UpstreamError;
}
