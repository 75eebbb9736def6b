import { Type, type Static } from '@sinclair/typebox';
import { loadConfig } from '@tributary/platform/core';

export const ProcessingConfigSchema = Type.Object({
  LABEL_TIME_ZONE: Type.String({
    default: 'Asia/Colombo',
    description: 'IANA time zone of the plant: label times (as the device bridge prints them) and the recall CSV local-time columns',
  }),
  PROCESSING_EVENT_DELIVERERS: Type.String({
    default: 'sync',
    description: 'comma list of signing principals allowed to deliver events to POST /internal/events',
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
export type ProcessingConfig = Static<typeof ProcessingConfigSchema>;

/** Fails fast on a bad setting; also refuses an unknown time zone before the first label. */
export function readConfig(env: Record<string, string | undefined>): ProcessingConfig {
  const config = loadConfig(ProcessingConfigSchema, env);
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: config.LABEL_TIME_ZONE });
  } catch {
    throw new Error(`LABEL_TIME_ZONE=${config.LABEL_TIME_ZONE} is not a known time zone`);
  }
  return config;
}
