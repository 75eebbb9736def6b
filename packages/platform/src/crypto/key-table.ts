import { sql, type Kysely } from 'kysely';
import type { DynamicSchema } from '../db/schema.js';
import type { Migration, MigrationContext } from '../migrate/migrate.js';

/** The service's data keys, each wrapped by a master key; never a key in clear. */
export const FIELD_KEY_TABLE = 'field_key';

export type FieldKeyPurpose = 'data' | 'index';
/** `active`: new values use it; `decrypt`: old values still name it; `retired`: no value names it any more. */
export type FieldKeyState = 'active' | 'decrypt' | 'retired';

export interface FieldKeyRow {
  key_id: string;
  purpose: FieldKeyPurpose;
  state: FieldKeyState;
  kek_id: string;
  wrapped_key: string;
  created_at: string | number;
  retired_at: string | number | null;
}

export interface FieldKeyTables {
  field_key: FieldKeyRow;
}

/** The DDL every service runs the same way (idempotent: MariaDB DDL is not transactional). */
export async function createFieldKeyTable(db: Kysely<DynamicSchema>, { dialect }: MigrationContext): Promise<void> {
  await db.schema
    .createTable(FIELD_KEY_TABLE)
    .ifNotExists()
    .addColumn('key_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('purpose', 'varchar(16)', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('kek_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('wrapped_key', dialect === 'mysql' ? sql`varchar(255)` : 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();
}

/** A ready-made migration for services that want the table under the platform's name. */
export const fieldKeyMigration: Migration = {
  name: '0000_platform_4_field_keys',
  up: createFieldKeyTable,
};
