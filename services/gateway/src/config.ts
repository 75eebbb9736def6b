import { Type, type Static } from '@sinclair/typebox';
import { loadConfig } from '@tributary/platform/core';

export const GatewayConfigSchema = Type.Object({
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://', description: 'shared limits and revocation version across replicas' })),
  GATEWAY_SECRET_KEY: Type.Optional(Type.String({ minLength: 32, description: 'encrypts signing keys and SigV4 client secrets at rest' })),
  JWT_ISSUER: Type.String({ default: 'tributary-gateway' }),
  JWT_AUDIENCE: Type.String({ default: 'tributary' }),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ default: 900, minimum: 30 }),
  REFRESH_TOKEN_TTL_SECONDS: Type.Integer({ default: 7 * 24 * 3600, minimum: 60 }),
  REMEMBER_ME_REFRESH_TTL_SECONDS: Type.Integer({
    default: 30 * 24 * 3600,
    minimum: 60,
    description: 'refresh lifetime of a session opened with rememberMe (the original clients)',
  }),
  PASSWORD_MIN_LENGTH: Type.Integer({ default: 10, minimum: 8 }),
  PASSWORD_REQUIRE_UPPER: Type.Boolean({ default: false }),
  PASSWORD_REQUIRE_LOWER: Type.Boolean({ default: false }),
  PASSWORD_REQUIRE_DIGIT: Type.Boolean({ default: false }),
  PASSWORD_REQUIRE_SYMBOL: Type.Boolean({ default: false }),
  ARGON2_MEMORY_KIB: Type.Integer({ default: 19456, minimum: 1024 }),
  ARGON2_TIME_COST: Type.Integer({ default: 2, minimum: 1 }),
  ARGON2_PARALLELISM: Type.Integer({ default: 1, minimum: 1 }),
  LOCKOUT_MAX_FAILURES: Type.Integer({ default: 5, minimum: 1 }),
  LOCKOUT_DURATION_SECONDS: Type.Integer({ default: 1800, minimum: 1 }),
  LOGIN_IP_MAX_FAILURES: Type.Integer({ default: 20, minimum: 1, description: 'failed logins per IP per window before 429' }),
  LOGIN_IP_WINDOW_SECONDS: Type.Integer({ default: 900, minimum: 1 }),
  IP_LIMIT_PER_MINUTE: Type.Integer({ default: 600, minimum: 0 }),
  IP_LIMIT_PER_HOUR: Type.Integer({ default: 20000, minimum: 0 }),
  IP_LIMIT_PER_DAY: Type.Integer({ default: 200000, minimum: 0 }),
  RATE_LIMIT_FAIL_OPEN: Type.Boolean({ default: true }),
  REVOCATION_STORE: Type.Union([Type.Literal('auto'), Type.Literal('redis'), Type.Literal('postgres'), Type.Literal('local')], {
    default: 'auto',
    description:
      'where replicas read the revocation version: auto = redis with REDIS_URL, local on PGlite (one process by nature), else postgres; local is for a single replica only',
  }),
  ROUTES_POLL_MS: Type.Integer({ default: 2000, minimum: 100 }),
  AUDIT_FLUSH_MS: Type.Integer({ default: 1000, minimum: 10 }),
  AUDIT_BATCH_SIZE: Type.Integer({ default: 500, minimum: 1 }),
  AUDIT_RETENTION_MONTHS: Type.Integer({ default: 84, minimum: 1, description: '7 years by default' }),
  CACHE_MAX_BYTES: Type.Integer({ default: 32 * 1024 * 1024, minimum: 0 }),
  BODY_LIMIT_BYTES: Type.Integer({ default: 1024 * 1024, minimum: 1024 }),
  CORS_ORIGINS: Type.String({ default: '', description: "comma list of origins allowed on the gateway's own /api/v1 endpoints" }),
  CLIENT_SIGV4_REGION: Type.String({ default: 'us-east-1' }),
  CLIENT_SIGV4_SERVICE: Type.String({ default: 'execute-api' }),
  TLS_CERT_FILE: Type.Optional(Type.String()),
  TLS_KEY_FILE: Type.Optional(Type.String()),
  TLS_PORT: Type.Integer({ default: 8443, minimum: 0, maximum: 65535 }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  HEALTH_CHECKS: Type.Boolean({ default: true }),
  DEFAULT_ROUTES: Type.Boolean({ default: true, description: 'install the Tributary routes when service_routes is empty' }),
});

export type GatewayConfig = Static<typeof GatewayConfigSchema>;

export function readConfig(env: Record<string, string | undefined>): GatewayConfig {
  return loadConfig(GatewayConfigSchema, env);
}
