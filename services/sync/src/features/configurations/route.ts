import type { Selectable } from 'kysely';
import type { SyncConfigurationsTable } from '../../db/schema.js';
import type { RoutingSpec, Target, ValidationRules } from './configurations.schemas.js';

/** A notification channel as a delivery target: read at delivery time (see notifications). */
export interface ChannelTarget {
  kind: 'channel';
  channelId: string;
}

/** A notification channel's subscription: event names matching `event`, at `minSeverity` or above. */
export interface RouteSubscription {
  event: string;
  minSeverity?: Severity;
}

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** A configuration as routing needs it: parsed once per cache refresh. */
export interface Route {
  configId: string;
  name: string;
  sourceSystem: string;
  targetSystem: string;
  entityType: string | null;
  spec: Omit<RoutingSpec, 'target'> & { target: Target | ChannelTarget };
  /** Notification channels only: the configuration id is null in the queue (the channel is no configuration). */
  channelId?: string;
  /** Notification channels only: matched instead of spec.eventTypes, with the event's severity. */
  subscriptions?: RouteSubscription[];
  validationRules: ValidationRules | null;
  frequency: string;
  batchSize: number;
  maxRetries: number;
  retryDelayMs: number;
  failFast: boolean;
  isActive: boolean;
}

export function toRoute(row: Selectable<SyncConfigurationsTable>): Route {
  return {
    configId: row.config_id,
    name: row.config_name,
    sourceSystem: row.source_system,
    targetSystem: row.target_system,
    entityType: row.entity_type,
    spec: row.configuration as RoutingSpec,
    validationRules: (row.validation_rules ?? null) as ValidationRules | null,
    frequency: row.sync_frequency ?? 'real_time',
    batchSize: row.batch_size,
    maxRetries: row.max_retries,
    retryDelayMs: Math.round(Number(row.retry_delay_seconds) * 1000),
    failFast: row.error_handling_strategy === 'fail_fast',
    isActive: row.is_active,
  };
}
