import { defineErrors } from '@tributary/platform/core';

/** The gateway's error codes, each declared once with its category; clients and docs rely on them. */
export const GatewayError = defineErrors({
  // 400
  AUTH_FAILED: 'invalid',
  PASSWORD_POLICY_VIOLATION: 'invalid',
  INVALID_IP_ALLOWLIST: 'invalid',
  INVALID_DOMAIN_ALLOWLIST: 'invalid',
  INVALID_SCOPE: 'invalid',
  INVALID_ROUTE: 'invalid',
  ROUTE_INTERNAL: 'invalid',
  PATH_INVALID: 'invalid',
  ADMIN_PASSWORD_FILE_UNREADABLE: 'invalid',
  EVENT_STREAM_NOT_ACCEPTED: 'invalid',
  VALIDATION_ERROR: 'invalid',
  ORDER_VALIDATION_ERROR: 'invalid',
  TWO_FACTOR_NOT_PENDING: 'invalid',
  TWO_FACTOR_ALREADY_ENABLED: 'conflict',
  // 401
  AUTH_REQUIRED: 'unauthenticated',
  INVALID_CREDENTIALS: 'unauthenticated',
  TOKEN_INVALID: 'unauthenticated',
  TOKEN_EXPIRED: 'unauthenticated',
  TOKEN_REVOKED: 'unauthenticated',
  REFRESH_TOKEN_INVALID: 'unauthenticated',
  REFRESH_TOKEN_REUSED: 'unauthenticated',
  API_KEY_INVALID: 'unauthenticated',
  API_KEY_EXPIRED: 'unauthenticated',
  ACCESS_KEY_INVALID: 'unauthenticated',
  TWO_FACTOR_CODE_INVALID: 'unauthenticated',
  TWO_FACTOR_CHALLENGE_INVALID: 'unauthenticated',
  TWO_FACTOR_REQUIRED: 'unauthenticated',
  // 403
  ACCOUNT_LOCKED: 'forbidden',
  ACCOUNT_DISABLED: 'forbidden',
  PASSWORD_INCORRECT: 'forbidden',
  API_KEY_IP_NOT_ALLOWED: 'forbidden',
  ROLE_ACCESS_DENIED: 'forbidden',
  SCOPE_ACCESS_DENIED: 'forbidden',
  CORS_ORIGIN_NOT_ALLOWED: 'forbidden',
  ROLE_ESCALATION_DENIED: 'forbidden',
  UPSTREAM_PATH_INTERNAL: 'forbidden',
  APP_ACCESS_DENIED: 'forbidden',
  API_KEY_DOMAIN_NOT_ALLOWED: 'forbidden',
  // 404
  ROUTE_NOT_FOUND: 'not_found',
  API_VERSION_UNSUPPORTED: 'not_found',
  USER_NOT_FOUND: 'not_found',
  KEY_NOT_FOUND: 'not_found',
  ROUTE_CONFIG_NOT_FOUND: 'not_found',
  // 409
  USER_ALREADY_EXISTS: 'conflict',
  ROUTE_ALREADY_EXISTS: 'conflict',
  // 429
  LOGIN_THROTTLED: 'rate_limited',
  RATE_LIMIT_EXCEEDED: 'rate_limited',
  // 503
  UPSTREAM_UNAVAILABLE: 'unavailable',
  UPSTREAM_NOT_CONFIGURED: 'unavailable',
  RATE_LIMIT_STORE_UNAVAILABLE: 'unavailable',
  PRIVACY_ERASURE_INCOMPLETE: 'unavailable',
  // 504
  UPSTREAM_TIMEOUT: 'timeout',
});
export type GatewayErrorCode = keyof typeof GatewayError;
