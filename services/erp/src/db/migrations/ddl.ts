import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { DynamicSchema } from '@tributary/platform/db';
import type { MigrationContext } from '@tributary/platform/migrate';

/**
 * Column types per dialect, Frappe-style. MariaDB DDL is not transactional, so every statement
 * in these migrations is idempotent (`if not exists`): a migration interrupted half way is
 * simply run again.
 */
export function types({ dialect }: MigrationContext) {
  const mysql = dialect === 'mysql';
  return {
    mysql,
    datetime: mysql ? sql`datetime(6)` : sql`timestamptz(6)`,
    text: sql`text`,
    longtext: mysql ? sql`longtext` : sql`text`,
    qty: sql`decimal(18, 6)`,
    pct: sql`decimal(8, 3)`,
    small: sql`decimal(5, 2)`,
    time: sql`time`,
  };
}
export type Types = ReturnType<typeof types>;

type Builder = CreateTableBuilder<string, string>;

export function withStandardColumns(builder: Builder, t: Types): Builder {
  return builder
    .addColumn('name', 'varchar(140)', (c) => c.primaryKey())
    .addColumn('creation', t.datetime, (c) => c.notNull())
    .addColumn('modified', t.datetime, (c) => c.notNull())
    .addColumn('modified_by', 'varchar(140)')
    .addColumn('owner', 'varchar(140)')
    .addColumn('docstatus', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('idx', 'integer', (c) => c.notNull().defaultTo(0));
}

export function withChildColumns(builder: Builder, parentfield: string, parenttype: string): Builder {
  return builder
    .addColumn('parent', 'varchar(140)', (c) => c.notNull())
    .addColumn('parentfield', 'varchar(140)', (c) => c.notNull().defaultTo(parentfield))
    .addColumn('parenttype', 'varchar(140)', (c) => c.notNull().defaultTo(parenttype));
}

export async function createIndex(
  db: Kysely<DynamicSchema>,
  name: string,
  table: string,
  columns: string[],
  unique = false,
): Promise<void> {
  let builder = db.schema.createIndex(name).ifNotExists().on(table).columns(columns);
  if (unique) builder = builder.unique();
  await builder.execute();
}
