import type { Kysely } from 'kysely';

/**
 * Tables known only by name at run time: migrations (the schema they build is not yet the
 * service's type), introspection, and tables picked from a fixed list. Columns read as unknown
 * until the caller narrows them.
 */
export type DynamicSchema = Record<string, Record<string, unknown>>;

/**
 * Any service's connection or transaction, whatever its tables. Kysely's database type is
 * invariant, so a `Kysely<OrdersDatabase>` is no `Kysely<OutboxTables>` although its database
 * holds the outbox: kernel helpers that work on every service's database take this instead.
 */
export type AnyKysely = Pick<Kysely<unknown>, 'getExecutor' | 'isTransaction'>;

/**
 * The same connection (or transaction) typed with the tables the caller works on. Only Kysely
 * itself (and its transactions) has these members, and nothing is copied: queries go to the same
 * executor, inside the same transaction. This is the one place the schema type is asserted.
 */
export function asTables<T>(db: AnyKysely): Kysely<T> {
  return db as unknown as Kysely<T>;
}

/** Any service's connection seen as tables named at run time (see DynamicSchema). */
export function asDynamic(db: AnyKysely): Kysely<DynamicSchema> {
  return asTables<DynamicSchema>(db);
}
