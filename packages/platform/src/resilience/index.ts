export { backoffCeiling, backoffDelay, DEFAULT_BACKOFF_FACTOR, type BackoffOptions } from './backoff.js';
export { parseRetryAfter, retryAfterSeconds } from './retry-after.js';
export { retry, type RetryOptions, type RetryOutcome } from './retry.js';
export { sleep } from './sleep.js';
export { withTimeout, type TimeoutOptions } from './timeout.js';
export {
  BreakerRegistry,
  CircuitBreaker,
  type BreakerOptions,
  type BreakerPermit,
  type BreakerSnapshot,
  type BreakerState,
  type BreakerStateChange,
} from './breaker.js';
export { isUpstreamError, UpstreamError } from './upstream-error.js';
export type { QueryParams, QueryValue } from './request-parts.js';
export {
  createServiceClient,
  type ServiceClient,
  type ServiceClientOptions,
  type ServiceMethod,
  type ServiceRequest,
  type ServiceResponse,
} from './client.js';
export { runSaga, SagaError, type CompensationFailure, type SagaFailureDetails, type SagaOptions, type SagaStep } from './saga.js';
export {
  classifyUpstreamOutcome,
  isTransportFailure,
  UPSTREAM_FAILURE_STATUSES,
  type UpstreamOutcome,
  type UpstreamVerdict,
} from './failure.js';
export { configureServiceTrust, serviceTrust, type ServiceTrust } from './tls-trust.js';
