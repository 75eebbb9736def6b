import type { Selectable } from 'kysely';
import type { SyncConfigurationsTable } from '../../db/schema.js';
import type { RoutingSpec, ValidationRules } from './configurations.schemas.js';

/** A configuration as routing needs it: parsed once per cache refresh. */
export interface Route {
  configId: string;
  name: string;
  sourceSystem: string;
  targetSystem: string;
  entityType: string | null;
  spec: RoutingSpec;
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
