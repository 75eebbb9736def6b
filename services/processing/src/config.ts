import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_PLANT_TIME_ZONE } from '@tributary/platform/time-zone';
import { loadConfig } from '@tributary/platform/core';
import { jobTimings, type JobDefaults, type JobTiming } from '@tributary/platform/scheduler';

export const ProcessingConfigSchema = Type.Object({
  PLANT_TIME_ZONE: Type.Optional(
    Type.String({
      description: `IANA time zone of the plant (default ${DEFAULT_PLANT_TIME_ZONE}): label times, the recall CSV local-time columns`,
    }),
  ),
  LABEL_TIME_ZONE: Type.Optional(Type.String({ description: 'older name of PLANT_TIME_ZONE, read only when PLANT_TIME_ZONE is not set' })),
  PROCESSING_EVENT_DELIVERERS: Type.String({
    default: 'sync',
    description: 'comma list of signing principals allowed to deliver events to POST /internal/events',
  }),
  PROCESSING_RECONCILERS: Type.String({
    default: 'cli',
    description: 'comma list of signing principals that may run and read reconciliation reports without a user (a user needs a role)',
  }),
  RECONCILIATION_PAGE_SIZE: Type.Integer({
    default: 2000,
    minimum: 1,
    maximum: 10_000,
    description: 'rows per page read from each side by a reconciliation run',
  }),
  RECONCILIATION_LEASE_MS: Type.Integer({
    default: 600_000,
    minimum: 10_000,
    maximum: 86_400_000,
    description: 'a running reconciliation report silent this long is marked failed, so a new run may start',
  }),
  ORDERS_BREAKER_FAILURES: Type.Integer({
    default: 5,
    minimum: 1,
    maximum: 1000,
    description: 'consecutive failed calls to orders that open its circuit',
  }),
  ORDERS_BREAKER_OPEN_MS: Type.Integer({
    default: 30_000,
    minimum: 0,
    maximum: 3_600_000,
    description: 'how long the circuit to orders stays open before one probe',
  }),
  DISPATCH_LEASE_MS: Type.Integer({
    default: 120_000,
    minimum: 1000,
    maximum: 86_400_000,
    description: 'a running dispatch silent this long is taken over by a retry with its key',
  }),
  ORDERS_TIMEOUT_MS: Type.Integer({ default: 5000, minimum: 100, maximum: 60_000, description: 'timeout of calls to the orders service' }),
});
export type ProcessingConfig = Static<typeof ProcessingConfigSchema> & {
  /** PLANT_TIME_ZONE, else the older LABEL_TIME_ZONE, else the plant's own zone; checked at start. */
  plantTimeZone: string;
};

/** Fails fast on a bad setting; also refuses an unknown time zone before the first label. */
export function readConfig(env: Record<string, string | undefined>): ProcessingConfig {
  const config = loadConfig(ProcessingConfigSchema, env);
  const name = config.PLANT_TIME_ZONE !== undefined ? 'PLANT_TIME_ZONE' : 'LABEL_TIME_ZONE';
  const plantTimeZone = config.PLANT_TIME_ZONE ?? config.LABEL_TIME_ZONE ?? DEFAULT_PLANT_TIME_ZONE;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: plantTimeZone });
  } catch {
    throw new Error(`${name}=${JSON.stringify(plantTimeZone)} is not an IANA time zone`);
  }
  return { ...config, plantTimeZone };
}

/**
 * processing's recurring work and when it runs by default, in the plant's zone;
 * `JOB_<NAME>_SCHEDULE` (cron or `off`) and `JOB_<NAME>_TIME_ZONE` move it (docs/operations.md,
 * "Scheduled jobs").
 */
export const PROCESSING_JOB_DEFAULTS: readonly JobDefaults[] = [{ name: 'mtp-reconciliation', schedule: '0 1 * * *' }];

export function loadProcessingJobTimings(
  env: Record<string, string | undefined>,
  config: Pick<ProcessingConfig, 'plantTimeZone'>,
): JobTiming[] {
  return jobTimings(env, PROCESSING_JOB_DEFAULTS, config.plantTimeZone);
}
