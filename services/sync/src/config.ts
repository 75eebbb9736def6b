import { hostname } from 'node:os';
import { Type, type Static } from '@sinclair/typebox';
import { loadConfig, randomToken } from '@tributary/platform/core';

export const SyncSettingsSchema = Type.Object({
  SYNC_SOURCES: Type.String({
    default: 'orders,processing,erp',
    description: 'Peers whose outbox feed is collected (comma list); the gateway publishes no events',
  }),
  SYNC_FEED_WAIT_MS: Type.Integer({ minimum: 0, maximum: 30_000, default: 10_000, description: 'Long-poll wait per outbox request' }),
  SYNC_FEED_BATCH: Type.Integer({ minimum: 1, maximum: 1000, default: 500 }),
  SYNC_FEED_ERROR_BACKOFF_MS: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000 }),
  SYNC_WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 512, default: 32, description: 'Deliveries in flight per process' }),
  SYNC_TARGET_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 512,
    default: 16,
    description: 'Deliveries in flight per target per process',
  }),
  SYNC_LEASE_MS: Type.Integer({
    minimum: 100,
    maximum: 3_600_000,
    default: 15_000,
    description: 'How long a claim lives without completion',
  }),
  SYNC_POLL_INTERVAL_MS: Type.Integer({
    minimum: 5,
    maximum: 60_000,
    default: 250,
    description: 'Idle re-check for work created by other processes',
  }),
  SYNC_DELIVERY_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  SYNC_BREAKER_OPEN_MS: Type.Integer({ minimum: 10, maximum: 600_000, default: 5_000 }),
  SYNC_RETRY_CAP_MS: Type.Integer({ minimum: 10, maximum: 86_400_000, default: 3_600_000 }),
  SYNC_WEBHOOK_SECRETS: Type.String({ default: '{}', description: 'JSON {"erpnext": "<secret>", "espocrm": "…", "medusa": "…"}' }),
  SYNC_ACTIVE_MONTHS: Type.Integer({ minimum: 1, maximum: 120, default: 6 }),
  SYNC_ARCHIVE_MONTHS: Type.Integer({
    minimum: 0,
    maximum: 240,
    default: 18,
    description: 'Months a detached partition is kept after the active window (6 + 18 = 2 years)',
  }),
  SYNC_PREMAKE_MONTHS: Type.Integer({ minimum: 1, maximum: 24, default: 3 }),
  SYNC_STATUS_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 180 }),
  SYNC_METRICS_RETENTION_DAYS: Type.Integer({ minimum: 1, maximum: 3650, default: 365 }),
  SYNC_METRICS_WINDOW_SECONDS: Type.Integer({ minimum: 1, maximum: 86_400, default: 60 }),
  SYNC_MAINTENANCE_INTERVAL_MS: Type.Integer({ minimum: 50, maximum: 3_600_000, default: 5_000 }),
  SYNC_ROLES: Type.String({ default: 'collector,worker,scheduler,maintenance', description: 'Background roles this process runs' }),
  SYNC_WORKER_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
});
export type SyncSettingsRaw = Static<typeof SyncSettingsSchema>;

export interface SyncSettings extends Omit<SyncSettingsRaw, 'SYNC_SOURCES' | 'SYNC_WEBHOOK_SECRETS' | 'SYNC_ROLES' | 'SYNC_WORKER_ID'> {
  sources: string[];
  webhookSecrets: Record<string, string>;
  roles: Set<'collector' | 'worker' | 'scheduler' | 'maintenance'>;
  workerId: string;
}

export function loadSyncSettings(env: Record<string, string | undefined>): SyncSettings {
  const raw = loadConfig(SyncSettingsSchema, env);
  const { SYNC_SOURCES, SYNC_WEBHOOK_SECRETS, SYNC_ROLES, SYNC_WORKER_ID, ...rest } = raw;
  return {
    ...rest,
    sources: list(SYNC_SOURCES),
    webhookSecrets: parseSecrets(SYNC_WEBHOOK_SECRETS),
    roles: new Set(
      list(SYNC_ROLES).filter((role): role is 'collector' | 'worker' | 'scheduler' | 'maintenance' =>
        ['collector', 'worker', 'scheduler', 'maintenance'].includes(role),
      ),
    ),
    workerId: SYNC_WORKER_ID ?? `${hostname()}-${process.pid}-${randomToken(4)}`,
  };
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

function parseSecrets(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('SYNC_WEBHOOK_SECRETS is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('SYNC_WEBHOOK_SECRETS must be a JSON object of source → secret');
  const secrets: Record<string, string> = {};
  for (const [source, secret] of Object.entries(parsed)) {
    if (typeof secret !== 'string' || secret.length < 16)
      throw new Error(`SYNC_WEBHOOK_SECRETS.${source} must be a string of at least 16 characters`);
    secrets[source] = secret;
  }
  return secrets;
}
