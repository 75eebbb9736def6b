import { sql, type Kysely } from 'kysely';
import type { DynamicSchema } from '@tributary/platform/db';
import type { Migration } from '@tributary/platform/migrate';
import {
  isPartitioned,
  mariaPartitionTable,
  monthsWithRows,
  PARTITIONED,
  pgCreatePartitions,
  type PartitionedTable,
} from '../partitions.js';
import { createIndex, types } from './ddl.js';

/**
 * The batch ledger and the pricing rule application log become monthly partitioned tables
 * (ADR 0309), every row kept, in the month partitions covering the rows there are. A
 * partitioned table's primary key must hold the partition column, so it becomes
 * (name, date); the other unique keys go (per-batch sequence, reversal) and the ledger relies
 * on the batch row lock it already takes. MariaDB partitioned tables have no foreign keys;
 * PostgreSQL keeps them. Maintenance makes the months ahead and drops old ones.
 *
 * PostgreSQL runs this in one transaction: the old table is renamed, the new one made LIKE it,
 * rows copied, the old one dropped. MariaDB partitions in place, one idempotent step after the
 * other (its DDL is not transactional), so a rerun finishes an interrupted run.
 */
const INDEXES: Record<PartitionedTable['table'], [string, string[]][]> = {
  'tabHD Batch Movement': [
    ['hd_movement_seq_idx', ['batch_id', 'seq']],
    ['hd_movement_item_idx', ['item_code', 'warehouse', 'movement_type', 'movement_date']],
    ['hd_movement_ref_idx', ['reference_doctype', 'reference_name']],
    ['hd_movement_reverses_idx', ['reverses_movement']],
  ],
  'tabHD Pricing Rule Application': [
    ['hd_application_rule_idx', ['pricing_rule', 'application_date']],
    ['hd_application_doc_idx', ['applied_on_doctype', 'applied_on_name']],
    ['hd_application_customer_idx', ['customer']],
  ],
};

const PRIMARY_KEYS: Record<PartitionedTable['table'], string> = {
  'tabHD Batch Movement': 'hd_movement_pk',
  'tabHD Pricing Rule Application': 'hd_application_pk',
};

const FOREIGN_KEYS: Record<PartitionedTable['table'], ReturnType<typeof sql>> = {
  'tabHD Batch Movement': sql`constraint hd_movement_batch_fk foreign key (batch_id) references ${sql.table('tabHD Batch Master')} (name)`,
  'tabHD Pricing Rule Application': sql`constraint hd_application_rule_fk foreign key (pricing_rule)
    references ${sql.table('tabHD Dynamic Pricing Rule')} (name) on delete cascade`,
};

const span = (first: number, last: number) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

async function partitionPostgres(db: Kysely<DynamicSchema>, t: PartitionedTable): Promise<void> {
  if (await isPartitioned(db, 'postgres', t)) return;
  const old = `${t.table}_unpartitioned`;
  await sql`alter table ${sql.table(t.table)} rename to ${sql.table(old)}`.execute(db);
  await sql`create table ${sql.table(t.table)} (like ${sql.table(old)} including defaults including constraints)
    partition by range (${sql.ref(t.column)})`.execute(db);
  await sql`alter table ${sql.table(t.table)} add constraint ${sql.id(PRIMARY_KEYS[t.table])} primary key (name, ${sql.ref(t.column)})`.execute(
    db,
  );
  await sql`alter table ${sql.table(t.table)} add ${FOREIGN_KEYS[t.table]}`.execute(db);
  const rows = await monthsWithRows(db, old, t.column);
  await pgCreatePartitions(db, t, rows ? span(rows.first, rows.last) : []);
  await sql`insert into ${sql.table(t.table)} select * from ${sql.table(old)}`.execute(db);
  await sql`drop table ${sql.table(old)}`.execute(db);
}

async function partitionMariaDb(db: Kysely<DynamicSchema>, t: PartitionedTable): Promise<void> {
  const table = sql.table(t.table);
  const keys = await sql<{ name: string; kind: string }>`
    select constraint_name as name, constraint_type as kind from information_schema.table_constraints
    where table_schema = database() and table_name = ${t.table} and constraint_type in ('FOREIGN KEY', 'UNIQUE')`.execute(db);
  for (const key of keys.rows.filter((k) => k.kind === 'FOREIGN KEY'))
    await sql`alter table ${table} drop foreign key if exists ${sql.id(key.name)}`.execute(db);
  for (const key of keys.rows.filter((k) => k.kind === 'UNIQUE'))
    await sql`alter table ${table} drop index if exists ${sql.id(key.name)}`.execute(db);
  const primary = await sql<{ column_name: string }>`
    select column_name from information_schema.key_column_usage
    where table_schema = database() and table_name = ${t.table} and constraint_name = 'PRIMARY'`.execute(db);
  if (!primary.rows.some((r) => r.column_name === t.column))
    await sql`alter table ${table} drop primary key, add primary key (name, ${sql.ref(t.column)})`.execute(db);
  if (await isPartitioned(db, 'mysql', t)) return;
  const rows = await monthsWithRows(db, t.table, t.column);
  await mariaPartitionTable(db, t, rows ? span(rows.first, rows.last) : []);
}

export const monthlyPartitions: Migration = {
  name: '0010_monthly_partitions',
  up: async (db, context) => {
    const t = types(context);
    for (const table of Object.values(PARTITIONED)) {
      if (context.dialect === 'mysql') await partitionMariaDb(db, table);
      else await partitionPostgres(db, table);
      for (const [name, columns] of INDEXES[table.table]) await createIndex(db, name, table.table, columns);
    }
    // Where a batch's ledger starts once retention dropped its oldest movements (ADR 0309).
    await db.schema
      .createTable('hd_ledger_opening')
      .ifNotExists()
      .addColumn('batch_id', 'varchar(140)', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('balance', t.qty, (c) => c.notNull())
      .addColumn('through', t.datetime, (c) => c.notNull())
      .execute();
  },
};
