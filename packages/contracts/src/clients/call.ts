import type { ServiceRequest } from '@tributary/platform/resilience';

/**
 * What one call adds beside its body: the caller's identity and trace, any extra headers, a
 * timeout and, for a write, the Idempotency-Key that makes it safe to retry.
 */
export type CallOptions = Pick<
  ServiceRequest,
  'headers' | 'identity' | 'correlation' | 'requestId' | 'traceparent' | 'idempotencyKey' | 'timeoutMs' | 'signal'
>;

/** Keeps only the options given, so an absent one never overrides what the client would send. */
export function callParts(options: CallOptions | undefined): CallOptions {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, value]) => value !== undefined));
}
