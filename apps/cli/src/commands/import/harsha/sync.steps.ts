import { fault } from './faults.js';
import { stepOf, type Mapped, type Step } from './step.js';
import { bool, instant, integer, json, originalRow, required, text } from './values.js';

const FREQUENCIES = ['real_time', 'hourly', 'daily', 'weekly', 'on_demand'];

/**
 * Sync configurations, kept by config_id. The original's event, status, conflict and metric
 * tables were never written by its code (it kept state in Redis); they are counted, not moved.
 */
export const syncConfigurationStep: Step = {
  ...stepOf('sync', 'sync_configurations', 'config_id'),
  async map(rows, context): Promise<Mapped> {
    const mapped: Mapped = { inserts: [], faults: [] };
    for (const row of rows) {
      const key = String(row.config_id);
      const name = String(row.config_name);
      const holder = context.targetState.configurationNames.get(name);
      if (holder !== undefined && holder !== key) {
        mapped.faults.push(
          fault('sync_configurations', key, 'CONFIG_NAME_TAKEN', {
            config_name: name,
            existing_config_id: holder,
            original: originalRow(row),
          }),
        );
        continue;
      }
      context.targetState.configurationNames.set(name, key);
      let frequency = text(row.sync_frequency);
      if (frequency !== null && !FREQUENCIES.includes(frequency)) {
        mapped.faults.push(
          fault('sync_configurations', key, 'VALUE_OUT_OF_DOMAIN', {
            column: 'sync_frequency',
            value: frequency,
            replaced_by: 'on_demand',
          }),
        );
        frequency = 'on_demand';
      }
      mapped.inserts.push({
        table: 'sync_configurations',
        keyColumn: 'config_id',
        key,
        values: {
          config_id: key,
          config_name: name,
          config_description: text(row.config_description),
          config_type: String(row.config_type),
          entity_type: text(row.entity_type),
          source_system: String(row.source_system),
          target_system: String(row.target_system),
          configuration: json(row.configuration) ?? '{}',
          validation_rules: json(row.validation_rules),
          sync_direction: required(row.sync_direction, 'source_to_target'),
          sync_frequency: frequency,
          batch_size: Math.max(1, integer(row.batch_size, 100) ?? 100),
          error_handling_strategy: required(row.error_handling_strategy, 'retry_with_backoff'),
          max_retries: Math.max(0, integer(row.max_retries, 5) ?? 5),
          retry_delay_seconds: String(Math.max(0, integer(row.retry_delay_seconds, 60) ?? 60)),
          is_active: bool(row.is_active, true),
          version: integer(row.version, 1),
          created_at: instant(row.created_at),
          updated_at: instant(row.updated_at),
          created_by: required(row.created_by, 'import'),
          updated_by: text(row.updated_by),
        },
      });
    }
    return mapped;
  },
};

/** Original tables that hold history only: reported with their row counts, not imported. */
export const SYNC_HISTORY_TABLES = ['sync_events', 'sync_status', 'sync_conflicts', 'sync_metrics'];
