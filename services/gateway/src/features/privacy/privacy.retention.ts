import { sql, type Kysely } from '@tributary/platform/db';
import { positiveInteger } from '@tributary/platform/privacy';
import type { GatewayDatabase } from '../../db/schema.js';

const DAY = 86_400_000;

export interface RetentionSettings {
  /** Audit rows older than this keep who and what, but lose the client address, agent and referer. */
  auditPersonalDays: number;
  intervalMs: number;
}

/** `GATEWAY_PERSONAL_RETENTION_DAYS` (default 90) and `PRIVACY_RETENTION_INTERVAL_MS` (default 1 h). */
export function retentionSettings(env: Record<string, string | undefined>): RetentionSettings {
  return {
    auditPersonalDays: positiveInteger(env, 'GATEWAY_PERSONAL_RETENTION_DAYS', 90),
    intervalMs: positiveInteger(env, 'PRIVACY_RETENTION_INTERVAL_MS', 3_600_000),
  };
}

/**
 * Clears the personal part of old audit rows (the rows stay: the audit log never loses one)
 * and of expired tokens. Safe on every replica at once: the updates only ever move toward
 * the cleared state.
 */
export async function applyGatewayRetention(
  db: Kysely<GatewayDatabase>,
  now: number,
  settings: RetentionSettings,
): Promise<{ auditRows: number; tokens: number }> {
  const before = new Date(now - settings.auditPersonalDays * DAY);
  const audit = await sql`update api_audit_logs set client_ip = '0.0.0.0', user_agent = null, referer = null
    where request_timestamp < ${before} and (client_ip <> '0.0.0.0' or user_agent is not null or referer is not null)`.execute(db);
  const tokens = await sql`update jwt_tokens set client_ip = null, user_agent = null
    where expires_at < ${before} and (client_ip is not null or user_agent is not null)`.execute(db);
  return { auditRows: Number(audit.numAffectedRows ?? 0), tokens: Number(tokens.numAffectedRows ?? 0) };
}
