import { isAppError } from '../core/errors.js';

/**
 * What one call to an upstream tells a circuit breaker about that upstream's availability
 * (ADR 0005):
 * - `failure`: the upstream could not be reached or is unwell as a whole — connection refused
 *   or reset, DNS, TLS handshake, a timeout, or a 502/503/504 answer.
 * - `success`: the upstream answered; whatever it said (2xx, 3xx, any 4xx, and a 500 too) it is
 *   up. A 500 is one request's fault (a bug, a bad value the service failed to refuse), and a
 *   400 is the caller's: counting either would let one client open the circuit for everyone.
 * - `neutral`: the call says nothing about the upstream (our own cancellation, a fault on our
 *   side of the socket such as an invalid header); the permit is released unjudged.
 */
export type UpstreamVerdict = 'failure' | 'success' | 'neutral';

export type UpstreamOutcome = { status: number } | { error: unknown };

/** Answers that mean "the upstream as a whole is not serving" (gateways and overload say so). */
export const UPSTREAM_FAILURE_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/**
 * Transport error codes (Node's errno names and undici's) that mean the upstream or the path
 * to it is down. Anything not listed is treated as a fault on the caller's side.
 */
const TRANSPORT_FAILURE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  // A certificate the caller cannot verify makes the upstream unusable until someone fixes it.
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Codes the kernel itself gives to transport failures and timeouts (client.ts, timeout.ts). */
const KERNEL_FAILURE_CODES = new Set(['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT']);

/** The one classification every breaker user shares: the service client and the gateway's proxy. */
export function classifyUpstreamOutcome(outcome: UpstreamOutcome): UpstreamVerdict {
  if ('status' in outcome) return UPSTREAM_FAILURE_STATUSES.has(outcome.status) ? 'failure' : 'success';
  return isTransportFailure(outcome.error) ? 'failure' : 'neutral';
}

/** True when a thrown error means the upstream could not be reached or did not answer in time. */
export function isTransportFailure(error: unknown): boolean {
  // Walk the cause chain: undici wraps socket errors, and the kernel wraps undici's.
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (isAppError(current)) {
      if (KERNEL_FAILURE_CODES.has(current.code)) return true;
      if (current.category === 'timeout') return true;
    }
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSPORT_FAILURE_CODES.has(code)) return true;
    if ((current as { name?: unknown }).name === 'TimeoutError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
