export * from './url.js';
export * from './errors.js';
export * from './create.js';
export type { Listening } from './listen.js';
export * from './metrics.js';
export type { PoolStats } from './pools.js';
export * from './transaction.js';
export * from './schema.js';
export { sql, type Kysely, type RawBuilder, type Transaction, type Selectable, type Insertable, type Updateable } from 'kysely';
