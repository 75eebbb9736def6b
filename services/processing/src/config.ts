import { Type, type Static } from '@sinclair/typebox';
import { loadConfig } from '@tributary/platform/core';

export const ProcessingConfigSchema = Type.Object({
  LABEL_TIME_ZONE: Type.String({ default: 'UTC', description: 'IANA time zone for label times, e.g. Asia/Colombo' }),
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
