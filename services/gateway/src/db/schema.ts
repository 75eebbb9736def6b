import type { ColumnType, Generated } from 'kysely';

/** timestamptz: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** JSONB columns are written as JSON text, read as parsed values. */
type Json<T> = ColumnType<T, string, string>;
type BigintCounter = ColumnType<string, number | string | undefined, number | string>;

export type RateLimitTier = 'basic' | 'standard' | 'premium' | 'unlimited';

export interface ApiUsersTable {
  id: Generated<string>;
  user_id: string;
  username: string;
  /** Encrypted (enc:v1:…); only UsersRepository reads and writes it. */
  email: string;
  /** Keyed blind index of the normalised email: login by email and uniqueness. */
  email_bidx: ColumnType<string | null, string | null | undefined, string | null>;
  password_hash: string;
  /** Encrypted (enc:v1:…). */
  full_name: string;
  user_type: ColumnType<string, string | undefined, string>;
  department: string | null;
  role: string;
  is_active: Generated<boolean>;
  is_verified: Generated<boolean>;
  is_locked: Generated<boolean>;
  failed_login_attempts: Generated<number>;
  last_login_at: Timestamp | null;
  password_changed_at: DefaultedTimestamp;
  password_expires_at: Timestamp | null;
  account_locked_until: Timestamp | null;
  api_access_enabled: Generated<boolean>;
  rate_limit_tier: ColumnType<RateLimitTier, RateLimitTier | undefined, RateLimitTier>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  created_by: string | null;
  updated_by: string | null;
}

export interface JwtTokensTable {
  id: Generated<string>;
  token_id: string;
  user_id: string;
  token_hash: string;
  token_type: 'access' | 'refresh';
  family_id: string;
  replaced_by: string | null;
  scope: Json<unknown> | null;
  issued_at: DefaultedTimestamp;
  expires_at: Timestamp;
  is_revoked: Generated<boolean>;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  revocation_reason: string | null;
  client_ip: string | null;
  user_agent: string | null;
  last_used_at: Timestamp | null;
  usage_count: Generated<number>;
}

export interface ApiKeysTable {
  id: Generated<string>;
  key_id: string;
  api_key_hash: string;
  key_name: string;
  key_description: string | null;
  key_prefix: string;
  user_id: string;
  service_name: string | null;
  application_name: string | null;
  permissions: Json<string[]>;
  ip_whitelist: Json<string[]> | null;
  /** Browser origins (or bare host names) a key may be used from; null means any. */
  domain_whitelist: ColumnType<string[] | null, string | null | undefined, string | null>;
  rate_limit_tier: ColumnType<RateLimitTier, RateLimitTier | undefined, RateLimitTier>;
  requests_per_minute: number;
  requests_per_hour: number;
  requests_per_day: number;
  is_active: Generated<boolean>;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  total_requests: BigintCounter;
  successful_requests: BigintCounter;
  failed_requests: BigintCounter;
  created_by: string;
  updated_at: DefaultedTimestamp;
  updated_by: string | null;
}

export interface AccessKeysTable {
  access_key_id: string;
  user_id: string;
  secret_ciphertext: string;
  session_token_ciphertext: string | null;
  scopes: Json<string[]> | null;
  description: string | null;
  is_active: Generated<boolean>;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  created_by: string;
}

export interface RateLimitTrackingTable {
  id: Generated<string>;
  identifier_type: 'api_key' | 'user_id' | 'ip_address';
  identifier_value: string;
  window_start: Timestamp;
  window_type: 'minute' | 'hour' | 'day';
  request_count: number;
  successful_count: number;
  failed_count: number;
  blocked_count: number;
  limit_threshold: number;
  last_request_at: DefaultedTimestamp;
}

export interface ServiceRoutesTable {
  id: Generated<string>;
  route_id: string;
  path_pattern: string;
  http_method: string;
  service_name: string;
  upstream_url: string;
  upstream_path: string | null;
  upstream_auth: ColumnType<'sigv4' | 'none', 'sigv4' | 'none' | undefined, 'sigv4' | 'none'>;
  route_name: string;
  route_description: string | null;
  version: ColumnType<string, string | undefined, string>;
  priority: ColumnType<number, number | undefined, number>;
  load_balancer_type: ColumnType<string, string | undefined, string>;
  upstream_servers: Json<Array<{ url: string; weight?: number }>>;
  health_check_url: string | null;
  health_check_interval: ColumnType<number, number | undefined, number>;
  authentication_required: ColumnType<boolean, boolean | undefined, boolean>;
  authorization_roles: Json<string[]> | null;
  authorization_scopes: Json<string[]> | null;
  rate_limit_override: Json<Record<string, number>> | null;
  cors_origins: Json<string[]> | null;
  timeout_seconds: ColumnType<number, number | undefined, number>;
  retry_attempts: ColumnType<number, number | undefined, number>;
  circuit_breaker_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  failure_threshold: ColumnType<number, number | undefined, number>;
  recovery_timeout_ms: ColumnType<number, number | undefined, number>;
  cache_enabled: ColumnType<boolean, boolean | undefined, boolean>;
  cache_ttl_seconds: number | null;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  is_deprecated: ColumnType<boolean, boolean | undefined, boolean>;
  deprecation_date: Timestamp | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  created_by: string;
  updated_by: string | null;
}

export interface ServiceHealthTable {
  id: Generated<string>;
  service_name: string;
  server_url: string;
  status: 'healthy' | 'unhealthy' | 'degraded' | 'unknown';
  response_time_ms: number | null;
  error_message: string | null;
  check_timestamp: DefaultedTimestamp;
  check_type: ColumnType<string, string | undefined, string>;
  consecutive_successes: number;
  consecutive_failures: number;
}

export interface ApiAuditLogsTable {
  id: Generated<string>;
  request_id: string;
  http_method: string;
  path: string;
  query_params: Json<Record<string, unknown>> | null;
  user_id: string | null;
  api_key_id: string | null;
  authentication_method: string;
  client_ip: string;
  user_agent: string | null;
  referer: string | null;
  matched_route_id: string | null;
  service_name: string | null;
  upstream_url: string | null;
  status_code: number;
  response_size_bytes: string | null | number;
  response_time_ms: number;
  error_code: string | null;
  decision: string;
  request_timestamp: Timestamp;
  response_timestamp: Timestamp;
  rate_limited: boolean;
  rate_limit_reason: string | null;
  cache_status: string | null;
}

export interface JwtSigningKeysTable {
  kid: string;
  algorithm: string;
  public_jwk: Json<Record<string, unknown>>;
  private_jwk_ciphertext: string;
  created_at: DefaultedTimestamp;
  retired_at: Timestamp | null;
  expires_at: Timestamp | null;
}

export interface LoginFailuresTable {
  account: string;
  client_ip: string;
  failures: number;
  first_failure_at: Timestamp;
  locked_until: Timestamp | null;
}

export interface UserTwoFactorTable {
  user_id: string;
  /** The TOTP secret sealed with the gateway's secret box. */
  secret_ciphertext: string;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  /** SHA-256 of each unused recovery code. */
  recovery_hashes: ColumnType<string[], string | undefined, string>;
  /** The last TOTP time step accepted: a code is good once. */
  last_step: ColumnType<string | null, number | null | undefined, number | null>;
  created_at: DefaultedTimestamp;
  enabled_at: Timestamp | null;
}

export interface LoginChallengesTable {
  challenge_id: string;
  user_id: string;
  application: string | null;
  remember_me: boolean;
  attempts: ColumnType<number, number | undefined, number>;
  expires_at: Timestamp;
}

export interface GatewayStateTable {
  name: string;
  version: ColumnType<string, number | string, number | string>;
}

export interface GatewayDatabase {
  api_users: ApiUsersTable;
  jwt_tokens: JwtTokensTable;
  api_keys: ApiKeysTable;
  access_keys: AccessKeysTable;
  rate_limit_tracking: RateLimitTrackingTable;
  service_routes: ServiceRoutesTable;
  service_health: ServiceHealthTable;
  api_audit_logs: ApiAuditLogsTable;
  jwt_signing_keys: JwtSigningKeysTable;
  gateway_state: GatewayStateTable;
  login_failures: LoginFailuresTable;
  user_two_factor: UserTwoFactorTable;
  login_challenges: LoginChallengesTable;
}
