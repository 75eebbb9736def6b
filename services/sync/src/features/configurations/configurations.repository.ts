import type { Kysely } from 'kysely';
import { dbErrorKind } from '@tributary/platform/db';
import type { SyncConfigurationRow, SyncDatabase } from '../../db/schema.js';
import { SyncError } from '../../errors.js';
import type { ConfigurationInput } from './configurations.schemas.js';
import { toRoute, type Route } from './route.js';

export class ConfigurationsRepository {
  constructor(private readonly db: Kysely<SyncDatabase>) {}

  async list(filter: { active?: boolean; source?: string; target?: string } = {}): Promise<SyncConfigurationRow[]> {
    let query = this.db.selectFrom('sync_configurations').selectAll().orderBy('id');
    if (filter.active !== undefined) query = query.where('is_active', '=', filter.active);
    if (filter.source) query = query.where('source_system', '=', filter.source);
    if (filter.target) query = query.where('target_system', '=', filter.target);
    return query.execute();
  }

  async get(configId: string): Promise<SyncConfigurationRow> {
    const row = await this.db.selectFrom('sync_configurations').selectAll().where('config_id', '=', configId).executeTakeFirst();
    if (!row) throw SyncError.SYNC_CONFIG_NOT_FOUND(`No configuration ${configId}`);
    return row;
  }

  async create(input: ConfigurationInput, actor: string, now: Date): Promise<SyncConfigurationRow> {
    try {
      return await this.db
        .insertInto('sync_configurations')
        .values({ ...toColumns(input), created_by: actor, created_at: now, updated_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      throw translate(error, input.config_name);
    }
  }

  /** Optimistic: `expectedVersion` guards against overwriting someone else's edit. */
  async replace(
    configId: string,
    input: ConfigurationInput,
    actor: string,
    now: Date,
    expectedVersion?: number,
  ): Promise<SyncConfigurationRow> {
    const current = await this.get(configId);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw SyncError.SYNC_CONFIG_VERSION_MISMATCH(`Configuration is at version ${current.version}, not ${expectedVersion}`, {
        details: { version: current.version },
      });
    }
    try {
      const row = await this.db
        .updateTable('sync_configurations')
        .set((eb) => ({ ...toColumns(input), version: eb('version', '+', 1), updated_by: actor, updated_at: now }))
        .where('config_id', '=', configId)
        .where('version', '=', current.version)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw SyncError.SYNC_CONFIG_VERSION_MISMATCH('Configuration changed while being updated; read it again');
      return row;
    } catch (error) {
      throw translate(error, input.config_name);
    }
  }

  async remove(configId: string): Promise<void> {
    const result = await this.db.deleteFrom('sync_configurations').where('config_id', '=', configId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw SyncError.SYNC_CONFIG_NOT_FOUND(`No configuration ${configId}`);
  }

  async routes(): Promise<Route[]> {
    const rows = await this.db.selectFrom('sync_configurations').selectAll().orderBy('id').execute();
    return rows.map(toRoute);
  }
}

export function toColumns(input: ConfigurationInput) {
  return {
    config_name: input.config_name,
    config_description: input.config_description ?? null,
    config_type: input.config_type ?? 'entity_mapping',
    entity_type: input.entity_type ?? null,
    source_system: input.source_system,
    target_system: input.target_system,
    configuration: JSON.stringify(input.configuration),
    validation_rules: input.validation_rules ? JSON.stringify(input.validation_rules) : null,
    sync_direction: input.sync_direction ?? 'source_to_target',
    sync_frequency: input.sync_frequency ?? 'real_time',
    batch_size: input.batch_size ?? 100,
    error_handling_strategy: input.error_handling_strategy ?? 'retry_with_backoff',
    max_retries: input.max_retries ?? 5,
    retry_delay_seconds: input.retry_delay_seconds ?? 60,
    is_active: input.is_active ?? true,
  };
}

function translate(error: unknown, name: string): unknown {
  if (dbErrorKind(error) === 'unique') return SyncError.SYNC_CONFIG_NAME_TAKEN(`A configuration named "${name}" exists`);
  return error;
}
