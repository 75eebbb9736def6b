import type { Migration } from '@tributary/platform/migrate';
import { DEFAULT_CONFIGURATIONS } from '../../features/configurations/defaults.js';

/** The Tributary flows, configured out of the box; an existing name is left as the operator has it. */
export const defaultConfigurationsMigration: Migration = {
  name: '0002_sync_default_configurations',
  up: async (db) => {
    for (const config of DEFAULT_CONFIGURATIONS) {
      await db
        .insertInto('sync_configurations')
        .values({
          config_name: config.config_name,
          config_description: config.config_description ?? null,
          config_type: config.config_type ?? 'entity_mapping',
          entity_type: config.entity_type ?? null,
          source_system: config.source_system,
          target_system: config.target_system,
          configuration: JSON.stringify(config.configuration),
          validation_rules: config.validation_rules ? JSON.stringify(config.validation_rules) : null,
          sync_frequency: config.sync_frequency ?? 'real_time',
          max_retries: config.max_retries ?? 5,
          retry_delay_seconds: config.retry_delay_seconds ?? 60,
          is_active: config.is_active ?? true,
          created_by: 'system',
        })
        .onConflict((conflict) => conflict.column('config_name').doNothing())
        .execute();
    }
  },
};
