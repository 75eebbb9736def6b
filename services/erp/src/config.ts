import { Type, type Static } from '@sinclair/typebox';
import { loadConfig } from '@tributary/platform/core';
import { jobTimings, type JobDefaults, type JobTiming } from '@tributary/platform/scheduler';
import { DEFAULT_PLANT_TIME_ZONE } from '@tributary/platform/time-zone';

export const ErpConfigSchema = Type.Object({
  PLANT_TIME_ZONE: Type.String({
    default: DEFAULT_PLANT_TIME_ZONE,
    description: 'IANA zone of the plant: pricing windows, "today" for expiry and dates, the default zone of scheduled jobs',
  }),
  EXPIRY_CRITICAL_DAYS: Type.Integer({ minimum: 0, default: 7, description: 'days to expiry at or below which a batch is Critical' }),
  EXPIRY_WARNING_DAYS: Type.Integer({ minimum: 0, default: 30, description: 'days to expiry at or below which a batch is Warning' }),
  CURRENCY_DECIMALS: Type.Integer({ minimum: 0, maximum: 6, default: 2, description: 'decimals of line amounts in price calculations' }),
  SEGMENT_REVIEW_DAYS: Type.Integer({ minimum: 1, default: 90, description: 'default review period of a segment assignment' }),
  LEDGER_RETENTION_MONTHS: Type.Integer({
    minimum: 1,
    default: 84,
    description: 'months of batch ledger kept before maintenance drops its monthly partitions (audit trails: 7 years)',
  }),
  PRICING_LOG_RETENTION_MONTHS: Type.Integer({
    minimum: 1,
    default: 24,
    description: 'months of pricing rule applications kept before maintenance drops their monthly partitions (event logs: 2 years)',
  }),
  PARTITION_PREMAKE_MONTHS: Type.Integer({
    minimum: 1,
    maximum: 24,
    default: 3,
    description: 'monthly partitions maintenance makes ahead of the current month',
  }),
  ERP_TRUSTED_SERVICES: Type.Optional(
    Type.String({
      default: '',
      description: 'Comma list of signing principals that may call as a service (no user): reads, master upkeep and machine flows',
    }),
  ),
  ERP_EVENT_READERS: Type.Optional(
    Type.String({ default: 'sync', description: 'Comma list of signing principals that may read the outbox feed' }),
  ),
  PRIVACY_CALLERS: Type.Optional(
    Type.String({
      default: 'gateway',
      description: 'Comma list of signing principals that may export and erase personal data (docs/operations.md, "Personal data")',
    }),
  ),
  TRIBUTARY_MASTER_KEY_FILE: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'master keys wrapping the data keys of encrypted fields (docs/operations.md, "Encryption at rest")',
    }),
  ),
  TRIBUTARY_DATA_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'embedded platform data directory; its master-keys.json is used when TRIBUTARY_MASTER_KEY_FILE is not set',
    }),
  ),
});
export type ErpConfig = Static<typeof ErpConfigSchema>;

export function loadErpConfig(env: Record<string, string | undefined>): ErpConfig {
  const config = loadConfig(ErpConfigSchema, env);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: config.PLANT_TIME_ZONE });
  } catch {
    throw new Error(`PLANT_TIME_ZONE=${JSON.stringify(config.PLANT_TIME_ZONE)} is not an IANA time zone`);
  }
  if (config.EXPIRY_CRITICAL_DAYS > config.EXPIRY_WARNING_DAYS) throw new Error('EXPIRY_CRITICAL_DAYS must not exceed EXPIRY_WARNING_DAYS');
  return config;
}

/**
 * erp's recurring work and when it runs by default, in the plant's zone; `JOB_<NAME>_SCHEDULE`
 * (cron or `off`) and `JOB_<NAME>_TIME_ZONE` move it (docs/operations.md, "Scheduled jobs").
 */
export const ERP_JOB_DEFAULTS: readonly JobDefaults[] = [
  { name: 'expiry-scan', schedule: '0 6 * * *' },
  { name: 'segment-review', schedule: '30 6 * * *' },
  { name: 'stock-optimisation', schedule: '0 2 * * *' },
  { name: 'partition-maintenance', schedule: '30 2 * * *' },
];

export function loadErpJobTimings(env: Record<string, string | undefined>, config: Pick<ErpConfig, 'PLANT_TIME_ZONE'>): JobTiming[] {
  return jobTimings(env, ERP_JOB_DEFAULTS, config.PLANT_TIME_ZONE);
}
