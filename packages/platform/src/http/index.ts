export { createHttpApp, DEFAULT_BODY_LIMIT, type HttpAppOptions } from './app.js';
export type { HttpApp, HttpServerInstance, SomeFastify } from './types.js';
export { errorResponseSchema, type ErrorResponse } from './error-response.js';
export { INTERNAL_ERROR_MESSAGE, mapError, type MappedError, type ValidationIssue } from './error-mapping.js';
export {
  childTraceparent,
  downstreamHeaders,
  type CallCorrelation,
  formatTraceparent,
  parseTraceparent,
  TRACEPARENT_HEADER,
  TRACESTATE_HEADER,
  type TraceContext,
  type Traceparent,
} from './trace-context.js';
export { isSaneRequestId, REQUEST_ID_HEADER } from './request-id.js';
export { DEFAULT_READINESS_TIMEOUT_MS, type ReadinessChecks } from './health.js';
export { LATENCY_BUCKETS_SECONDS, routeLabel, UNMATCHED_ROUTE } from './metrics.js';
export { INTERNAL_TAG, type OpenApiOptions } from './openapi.js';
export {
  bothAccess,
  guardedAccess,
  ownCredentialAccess,
  publicAccess,
  requiresRouteAccess,
  RouteAccessUndeclaredError,
  routeAccessList,
  signedAccess,
  type AccessCheck,
  type AccessRule,
  type RouteAccessEntry,
} from './access.js';
export {
  declareAccess,
  declaredAccessOf,
  SIGV4_SCHEME,
  sigv4SecurityScheme,
  type SecurityRequirement,
  type SecurityScheme,
} from './openapi-security.js';
export {
  drainHttpApp,
  installShutdown,
  startHttpServer,
  type DrainOptions,
  type ShutdownHandle,
  type ShutdownOptions,
} from './lifecycle.js';
export { parseMultipart, type MultipartBody, type UploadedFile } from './multipart.js';
export { configureHttpEdge, httpEdgeDefaults, type HttpEdgeSettings } from './edge-settings.js';
export { DEFAULT_BODY_TIMEOUT_MS, DEFAULT_HEADERS_TIMEOUT_MS } from './body-timeout.js';
export { isMetricsBearerRequest, METRICS_PATH, type MetricsAccess } from './metrics.js';
export { INPUT_INVALID_CHARACTER, INPUT_INVALID_NUMBER, INPUT_TOO_DEEP, MAX_JSON_DEPTH } from './input-text.js';
export { routeOptions, routeOptionsFor } from './route-options.js';
export { nextCursorHeaders, PAGED_ARRAY, sendNextCursor } from './pagination.js';
