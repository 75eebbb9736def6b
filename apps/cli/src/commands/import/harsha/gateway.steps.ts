import { fault, withoutSecrets, type FaultEntry } from './faults.js';
import type { SourceRow } from './source.js';
import { stepOf, type Mapped, type Step } from './step.js';
import { bool, instant, integer, json, originalRow, required, text } from './values.js';

const TIERS = ['basic', 'standard', 'premium', 'unlimited'];
const USER_TYPES = ['internal', 'external', 'service'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'ANY'];

/** The gateway's login verifies argon2 only (features/auth/passwords.ts). */
const supportedHash = (hash: string): boolean => hash.startsWith('$argon2');

/** Named from the hash's prefix, so the report says what it is without carrying any of it. */
function hashAlgorithm(hash: string): string {
  if (/^\$2[abxy]\$/.test(hash)) return 'bcrypt';
  if (hash.startsWith('$argon2')) return 'argon2';
  if (hash.startsWith('$scrypt') || hash.startsWith('$7$')) return 'scrypt';
  return 'unknown';
}

const logged = (row: SourceRow) => originalRow(withoutSecrets(row));

/** A value the target's CHECK would refuse becomes the documented default, and says so. */
function inDomain(
  table: string,
  key: string,
  row: SourceRow,
  column: string,
  allowed: string[],
  fallback: string,
  faults: FaultEntry[],
): string {
  const value = text(row[column]);
  if (value !== null && allowed.includes(value)) return value;
  faults.push(fault(table, key, 'VALUE_OUT_OF_DOMAIN', { column, value, replaced_by: fallback }));
  return fallback;
}

export const apiUserStep: Step = {
  ...stepOf('gateway', 'api_users', 'user_id'),
  async map(rows): Promise<Mapped> {
    const mapped: Mapped = { inserts: [], faults: [] };
    for (const row of rows) {
      const key = String(row.user_id);
      const hash = String(row.password_hash ?? '');
      let locked = bool(row.is_locked, false);
      if (!supportedHash(hash)) {
        mapped.faults.push(fault('api_users', key, 'PASSWORD_RESET_REQUIRED', { algorithm: hashAlgorithm(hash), original: logged(row) }));
      }
      if (bool(row.two_factor_enabled, false)) {
        locked = true;
        mapped.faults.push(fault('api_users', key, 'TWO_FACTOR_REENROL', { original: logged(row) }));
      }
      mapped.inserts.push({
        table: 'api_users',
        keyColumn: 'user_id',
        key,
        values: {
          user_id: key,
          username: String(row.username),
          // In the clear for now: the gateway encrypts it and fills the blind index at start-up (ADR 0010).
          email: String(row.email),
          password_hash: hash,
          full_name: required(row.full_name, String(row.username)),
          user_type: inDomain('api_users', key, row, 'user_type', USER_TYPES, 'internal', mapped.faults),
          department: text(row.department),
          role: String(row.role),
          is_active: bool(row.is_active, true),
          is_verified: bool(row.is_verified, false),
          is_locked: locked,
          failed_login_attempts: integer(row.failed_login_attempts),
          last_login_at: instant(row.last_login_at),
          password_changed_at: instant(row.password_changed_at) ?? instant(row.created_at),
          password_expires_at: instant(row.password_expires_at),
          account_locked_until: instant(row.account_locked_until),
          api_access_enabled: bool(row.api_access_enabled, true),
          rate_limit_tier: inDomain('api_users', key, row, 'rate_limit_tier', TIERS, 'standard', mapped.faults),
          created_at: instant(row.created_at),
          updated_at: instant(row.updated_at),
          created_by: text(row.created_by),
          updated_by: text(row.updated_by),
        },
      });
    }
    return mapped;
  },
};

export const apiKeyStep: Step = {
  ...stepOf('gateway', 'api_keys', 'key_id'),
  async map(rows, context): Promise<Mapped> {
    const mapped: Mapped = { inserts: [], faults: [] };
    const users = await context.parentKeys('gateway', 'api_users', 'user_id');
    for (const row of rows) {
      const key = String(row.key_id);
      if (!users.has(String(row.user_id))) {
        mapped.faults.push(fault('api_keys', key, 'MISSING_PARENT', { missing: { user_id: row.user_id }, original: logged(row) }));
        continue;
      }
      mapped.faults.push(
        fault('api_keys', key, 'API_KEY_ROTATE', { key_name: row.key_name, user_id: row.user_id, was_active: bool(row.is_active, true) }),
      );
      mapped.inserts.push({
        table: 'api_keys',
        keyColumn: 'key_id',
        key,
        values: {
          key_id: key,
          // Kept so the row stays unique and traceable; no presented key can match a bcrypt hash here.
          api_key_hash: String(row.api_key_hash),
          key_name: String(row.key_name),
          key_description: text(row.key_description),
          key_prefix: required(row.key_prefix, 'hd_'),
          user_id: String(row.user_id),
          service_name: text(row.service_name),
          application_name: text(row.application_name),
          permissions: json(row.permissions) ?? '[]',
          ip_whitelist: json(row.ip_whitelist),
          domain_whitelist: json(row.domain_whitelist),
          rate_limit_tier: inDomain('api_keys', key, row, 'rate_limit_tier', TIERS, 'standard', mapped.faults),
          requests_per_minute: integer(row.requests_per_minute, 60),
          requests_per_hour: integer(row.requests_per_hour, 1000),
          requests_per_day: integer(row.requests_per_day, 10000),
          is_active: false,
          created_at: instant(row.created_at),
          expires_at: instant(row.expires_at),
          last_used_at: instant(row.last_used_at),
          total_requests: String(row.total_requests ?? 0),
          successful_requests: String(row.successful_requests ?? 0),
          failed_requests: String(row.failed_requests ?? 0),
          created_by: required(row.created_by, 'import'),
          updated_at: instant(row.updated_at) ?? instant(row.created_at),
          updated_by: text(row.updated_by),
        },
      });
    }
    return mapped;
  },
};

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/**
 * The schema says seconds, the admin API wrote milliseconds: no circuit waits less than a second
 * or more than 16 minutes, so a value below 1000 is seconds and one from 1000 on is milliseconds.
 */
export function recoveryTimeoutMs(value: number): { ms: number; unit: 'seconds' | 'milliseconds' } {
  return value < 1000 ? { ms: value * 1000, unit: 'seconds' } : { ms: value, unit: 'milliseconds' };
}

export const serviceRouteStep: Step = {
  ...stepOf('gateway', 'service_routes', 'route_id'),
  async map(rows, context): Promise<Mapped> {
    const mapped: Mapped = { inserts: [], faults: [] };
    for (const row of rows) {
      const key = String(row.route_id);
      const recovery = integer(row.recovery_timeout, 60) ?? 60;
      const { ms, unit } = recoveryTimeoutMs(recovery);
      mapped.faults.push(
        fault('service_routes', key, 'RECOVERY_TIMEOUT_UNIT', { recovery_timeout: recovery, read_as: unit, recovery_timeout_ms: ms }),
      );
      const timeout = integer(row.timeout_seconds, 30) ?? 30;
      const retries = integer(row.retry_attempts, 1) ?? 1;
      if (clamp(timeout, 1, 300) !== timeout || clamp(retries, 0, 5) !== retries) {
        mapped.faults.push(
          fault('service_routes', key, 'ROUTE_LIMIT_OUT_OF_RANGE', {
            timeout_seconds: timeout,
            retry_attempts: retries,
            now: { timeout_seconds: clamp(timeout, 1, 300), retry_attempts: clamp(retries, 0, 5) },
          }),
        );
      }
      const method = String(row.http_method).toUpperCase();
      const path = String(row.path_pattern);
      let active = bool(row.is_active, true);
      const holder = context.targetState.activeRoutes.get(`${method} ${path}`);
      if (active && holder !== undefined && holder !== key) {
        active = false;
        mapped.faults.push(fault('service_routes', key, 'ROUTE_DUPLICATE_ACTIVE', { method, path, active_route: holder }));
      } else if (active) context.targetState.activeRoutes.set(`${method} ${path}`, key);
      mapped.inserts.push({
        table: 'service_routes',
        keyColumn: 'route_id',
        key,
        values: {
          route_id: key,
          path_pattern: path,
          http_method: METHODS.includes(method) ? method : 'ANY',
          service_name: String(row.service_name),
          upstream_url: String(row.upstream_url),
          // The original upstreams (ERPNext, the pricing service) do not verify Tributary's signatures.
          upstream_auth: 'none',
          route_name: required(row.route_name, path),
          route_description: text(row.route_description),
          version: required(row.version, 'v1'),
          load_balancer_type: text(row.load_balancer_type) ?? 'round_robin',
          upstream_servers: json(row.upstream_servers) ?? '[]',
          health_check_url: text(row.health_check_url),
          health_check_interval: Math.max(1, integer(row.health_check_interval, 30) ?? 30),
          authentication_required: bool(row.authentication_required, true),
          authorization_roles: json(row.authorization_roles),
          rate_limit_override: json(row.rate_limit_override),
          timeout_seconds: clamp(timeout, 1, 300),
          retry_attempts: clamp(retries, 0, 5),
          circuit_breaker_enabled: bool(row.circuit_breaker_enabled, true),
          failure_threshold: Math.max(1, integer(row.failure_threshold, 5) ?? 5),
          recovery_timeout_ms: ms,
          cache_enabled: bool(row.cache_enabled, false),
          cache_ttl_seconds: row.cache_ttl_seconds === null ? null : Math.max(1, integer(row.cache_ttl_seconds, 300) ?? 300),
          is_active: active,
          is_deprecated: bool(row.is_deprecated, false),
          deprecation_date: instant(row.deprecation_date),
          created_at: instant(row.created_at),
          updated_at: instant(row.updated_at),
          created_by: required(row.created_by, 'import'),
          updated_by: text(row.updated_by),
        },
      });
    }
    return mapped;
  },
};
