import { isAppError, type AppError } from '../core/errors.js';
import { isDatabaseUnavailable, isRefusedValue } from '../db/errors.js';
import { UpstreamError } from '../resilience/upstream-error.js';

/** What one thrown value becomes on the wire, plus how loudly to log it. */
export interface MappedError {
  status: number;
  code: string;
  message: string;
  details?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** A server fault: logged in full at error level; its own message never reaches the client. */
  serverFault: boolean;
  /** A client error our own schemas should have caught: answered 4xx but logged at warn level. */
  schemaGap?: boolean;
  /**
   * A 503 because another service is unreachable, its breaker open or it answered 503 itself:
   * the expected state of a rolling restart, logged at warn level. Our own faults stay errors.
   */
  upstreamOutage?: boolean;
}

export interface ValidationIssue {
  /** JSON pointer into the request, starting with the part: `/body/items/0/sku`, `/querystring/limit`. */
  path: string;
  message: string;
}

export const INTERNAL_ERROR_MESSAGE = 'Internal server error';

/**
 * Fastify's request-level failures, renamed to codes of our own so clients never key on a
 * framework's internals. The rest keep their FST_ code, which is at least stable per version.
 */
const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'REQUEST_BODY_TOO_LARGE', message: 'Request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'REQUEST_UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported media type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'REQUEST_BODY_EMPTY', message: 'Request body is empty' },
  // Our JSON parser throws its own AppError; this covers a service that brings back Fastify's.
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'REQUEST_BODY_INVALID_JSON', message: 'Request body is not valid JSON' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'REQUEST_PARAM_TOO_LONG', message: 'A path parameter is longer than the router accepts' },
};

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

/**
 * Maps anything thrown to the error answer. Database errors are mostly not recognised:
 * repositories translate them into AppErrors where the meaning (a duplicate key is which
 * conflict?) is known, so here they are just 500s. Two kinds carry their meaning whatever the
 * route: an unreachable database (the dependency is down: 503, retryable) and a value the
 * database refused as data (request input a schema let through: 400).
 */
/** The resilience client's and the gateway's codes for an upstream that cannot be called now. */
const UPSTREAM_OUTAGE_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_CIRCUIT_OPEN']);

function isUpstreamOutage(error: AppError): boolean {
  return error.status === 503 && (UPSTREAM_OUTAGE_CODES.has(error.code) || error instanceof UpstreamError);
}

export function mapError(thrown: unknown): MappedError {
  if (isAppError(thrown)) {
    const status = thrown.status;
    // An internal AppError is a bug report, not an answer: its message and details stay in the log.
    const hidden = thrown.category === 'internal';
    return {
      status,
      code: thrown.code,
      message: hidden ? INTERNAL_ERROR_MESSAGE : thrown.message,
      ...(thrown.details === undefined || hidden ? {} : { details: thrown.details }),
      ...(thrown.headers === undefined ? {} : { headers: thrown.headers }),
      serverFault: status >= 500,
      ...(isUpstreamOutage(thrown) ? { upstreamOutage: true } : {}),
    };
  }

  const error = (typeof thrown === 'object' && thrown !== null ? thrown : {}) as FastifyLikeError;
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;

  if (Array.isArray(error.validation) && status === 400) {
    const errors = validationIssues(error.validation, typeof error.validationContext === 'string' ? error.validationContext : 'request');
    const first = errors[0];
    return {
      status: 400,
      code: 'REQUEST_VALIDATION_FAILED',
      message: first ? `Request validation failed: ${first.path} ${first.message}` : 'Request validation failed',
      details: { errors },
      serverFault: false,
    };
  }

  // Only Fastify's own errors are trusted to carry a client status: an arbitrary error with a
  // statusCode may be an upstream's answer (undici's throwOnError) that must not leak through as ours.
  if (typeof error.code === 'string' && error.code.startsWith('FST_') && status >= 400 && status < 500) {
    const renamed = FASTIFY_CODES[error.code];
    if (renamed) return { ...renamed, serverFault: false };
    return { status, code: error.code, message: typeof error.message === 'string' ? error.message : 'Bad request', serverFault: false };
  }

  if (isRefusedValue(thrown)) {
    // Logged at warn level (sendError): it means a route's schema is looser than its column.
    return {
      status: 400,
      code: 'INPUT_NOT_STORABLE',
      message: 'A value in the request is not valid for the field it is stored in or compared with',
      serverFault: false,
      schemaGap: true,
    };
  }
  if (isDatabaseUnavailable(thrown)) {
    return {
      status: 503,
      code: 'DATABASE_UNAVAILABLE',
      message: 'The database is unavailable; retry shortly',
      headers: { 'Retry-After': '1' },
      serverFault: true,
    };
  }

  return { status: 500, code: 'INTERNAL_ERROR', message: INTERNAL_ERROR_MESSAGE, serverFault: true };
}

interface AjvLikeError {
  instancePath?: unknown;
  message?: unknown;
  keyword?: unknown;
  params?: Record<string, unknown>;
}

export function validationIssues(errors: unknown[], context: string): ValidationIssue[] {
  return errors.map((raw) => {
    const error = (typeof raw === 'object' && raw !== null ? raw : {}) as AjvLikeError;
    const base = `/${context}${typeof error.instancePath === 'string' ? error.instancePath : ''}`;
    const missing = error.params?.missingProperty;
    if (error.keyword === 'required' && typeof missing === 'string') {
      return { path: `${base}/${escapePointer(missing)}`, message: 'is required' };
    }
    const extra = error.params?.additionalProperty;
    if (error.keyword === 'additionalProperties' && typeof extra === 'string') {
      return { path: `${base}/${escapePointer(extra)}`, message: 'is not allowed' };
    }
    return { path: base, message: typeof error.message === 'string' ? error.message : 'is invalid' };
  });
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
