import { hostname } from 'node:os';
import { Type, type Static } from '@sinclair/typebox';
import { loadConfig, randomToken } from '@tributary/platform/core';
import { jobTimings, type JobDefaults, type JobTiming } from '@tributary/platform/scheduler';
import { DEFAULT_PLANT_TIME_ZONE, isTimeZone } from '@tributary/platform/time-zone';

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
  SYNC_TIME_ZONE: Type.Optional(
    Type.String({ minLength: 1, description: 'IANA zone of batch schedules and sync jobs; default PLANT_TIME_ZONE, else Asia/Colombo' }),
  ),
  PLANT_TIME_ZONE: Type.Optional(
    Type.String({
      minLength: 1,
      description:
        "The plant's IANA zone (default Asia/Colombo): notification e-mail times, and batch schedules when SYNC_TIME_ZONE is not set",
    }),
  ),
  SYNC_ROLES: Type.String({ default: 'collector,worker,scheduler,maintenance', description: 'Background roles this process runs' }),
  SYNC_WORKER_ID: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  WEBHOOK_SECRET_ERPNEXT: Type.Optional(Type.String({ minLength: 16, maxLength: 500, description: "ERPNext's webhook secret" })),
  WEBHOOK_SECRET_ESPOCRM: Type.Optional(Type.String({ minLength: 16, maxLength: 500, description: "EspoCRM's webhook secret" })),
  WEBHOOK_SECRET_MEDUSA: Type.Optional(Type.String({ minLength: 16, maxLength: 500, description: "Medusa's webhook secret" })),
  SYNC_JWKS_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: "Where the gateway's token keys are read; default <GATEWAY_URL>/.well-known/jwks.json",
    }),
  ),
  SYNC_JWT_ISSUER: Type.String({ default: 'tributary-gateway', description: "The gateway's JWT_ISSUER" }),
  SYNC_JWT_AUDIENCE: Type.String({ default: 'tributary', description: "The gateway's JWT_AUDIENCE" }),
  SMTP_URL: Type.Optional(
    Type.String({
      pattern: '^smtps?://',
      description:
        'Where notification e-mail is sent (smtp://user:pass@host:587; STARTTLS when offered, smtps:// for TLS from the start); never logged',
    }),
  ),
  SMTP_FROM: Type.String({
    default: 'Tributary <tributary@localhost>',
    minLength: 3,
    maxLength: 300,
    description: 'Sender of notification e-mail',
  }),
  ALERTMANAGER_TOKEN: Type.Optional(
    Type.String({
      minLength: 16,
      maxLength: 500,
      description: 'Bearer token Alertmanager sends to POST /api/sync/alerts; unset: the intake answers 503',
    }),
  ),
  SYNC_NOTIFY_MAX_RETRIES: Type.Integer({
    minimum: 0,
    maximum: 100,
    default: 8,
    description: 'Attempts of a notification before it is dead-lettered',
  }),
  SYNC_NOTIFY_RETRY_DELAY_MS: Type.Integer({
    minimum: 10,
    maximum: 3_600_000,
    default: 30_000,
    description: 'First retry delay of a notification (doubles per attempt, capped by SYNC_RETRY_CAP_MS)',
  }),
  REDIS_URL: Type.Optional(
    Type.String({ pattern: '^rediss?://', description: 'Socket.IO Redis adapter: emits reach clients of every sync worker' }),
  ),
});
export type SyncSettingsRaw = Static<typeof SyncSettingsSchema>;

type SourceSecretSetting = 'WEBHOOK_SECRET_ERPNEXT' | 'WEBHOOK_SECRET_ESPOCRM' | 'WEBHOOK_SECRET_MEDUSA';

export interface SyncSettings extends Omit<
  SyncSettingsRaw,
  'SYNC_SOURCES' | 'SYNC_WEBHOOK_SECRETS' | 'SYNC_ROLES' | 'SYNC_WORKER_ID' | 'SYNC_TIME_ZONE' | 'PLANT_TIME_ZONE' | SourceSecretSetting
> {
  /** The zone batch schedules and jobs read their cron expressions in. */
  timeZone: string;
  /** The plant's zone: times in notification e-mails. */
  plantTimeZone: string;
  jobs: JobTiming[];
  sources: string[];
  webhookSecrets: Record<string, string>;
  roles: Set<'collector' | 'worker' | 'scheduler' | 'maintenance'>;
  workerId: string;
}

/**
 * sync's recurring upkeep on the kernel scheduler, hourly by default; `JOB_<NAME>_SCHEDULE` and
 * `JOB_<NAME>_TIME_ZONE` move it (docs/operations.md, "Scheduled jobs"). Lease release,
 * status settling and metric windows stay on the short maintenance timer.
 */
export const SYNC_JOB_DEFAULTS: readonly JobDefaults[] = [
  { name: 'partition-maintenance', schedule: '5 * * * *' },
  { name: 'retention', schedule: '20 * * * *' },
];

export function loadSyncSettings(env: Record<string, string | undefined>): SyncSettings {
  const raw = loadConfig(SyncSettingsSchema, env);
  const {
    SYNC_SOURCES,
    SYNC_WEBHOOK_SECRETS,
    SYNC_ROLES,
    SYNC_WORKER_ID,
    SYNC_TIME_ZONE,
    PLANT_TIME_ZONE,
    WEBHOOK_SECRET_ERPNEXT,
    WEBHOOK_SECRET_ESPOCRM,
    WEBHOOK_SECRET_MEDUSA,
    ...rest
  } = raw;
  // The original service's per-source variables win over the JSON map, so its deployment files work unchanged.
  const zoneVariable = SYNC_TIME_ZONE ? 'SYNC_TIME_ZONE' : 'PLANT_TIME_ZONE';
  const timeZone = SYNC_TIME_ZONE ?? PLANT_TIME_ZONE ?? DEFAULT_PLANT_TIME_ZONE;
  if (!isTimeZone(timeZone)) throw new Error(`${zoneVariable}=${JSON.stringify(timeZone)} is not an IANA time zone`);
  const plantTimeZone = PLANT_TIME_ZONE ?? DEFAULT_PLANT_TIME_ZONE;
  if (!isTimeZone(plantTimeZone)) throw new Error(`PLANT_TIME_ZONE=${JSON.stringify(plantTimeZone)} is not an IANA time zone`);
  const perSource = { erpnext: WEBHOOK_SECRET_ERPNEXT, espocrm: WEBHOOK_SECRET_ESPOCRM, medusa: WEBHOOK_SECRET_MEDUSA };
  return {
    ...rest,
    sources: list(SYNC_SOURCES),
    webhookSecrets: {
      ...parseSecrets(SYNC_WEBHOOK_SECRETS),
      ...Object.fromEntries(Object.entries(perSource).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    },
    roles: new Set(
      list(SYNC_ROLES).filter((role): role is 'collector' | 'worker' | 'scheduler' | 'maintenance' =>
        ['collector', 'worker', 'scheduler', 'maintenance'].includes(role),
      ),
    ),
    workerId: SYNC_WORKER_ID ?? `${hostname()}-${process.pid}-${randomToken(4)}`,
    timeZone,
    plantTimeZone,
    jobs: jobTimings(env, SYNC_JOB_DEFAULTS, timeZone),
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
