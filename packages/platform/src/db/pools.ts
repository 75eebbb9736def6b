import type { MysqlPool, PostgresPool } from 'kysely';
import type { Pool as MysqlDriverPool } from 'mysql2';
import type pg from 'pg';

/** A connection pool at one instant; PGlite is one in-process connection and has none. */
export interface PoolStats {
  /** Connections open, busy or idle. */
  total: number;
  idle: number;
  /** Queries waiting for a connection because all are busy. */
  waiting: number;
  max: number;
}

/**
 * Connection failures since the database was opened: a refused or dropped connection, whether it
 * happened while a query waited for it or while it sat idle in the pool.
 */
export class ConnectionFailures {
  private count = 0;

  record(): void {
    this.count += 1;
  }

  get total(): number {
    return this.count;
  }
}

/** pg's pool for Kysely, counting connections it fails to open (pg emits nothing for those). */
export function countedPgPool(pool: pg.Pool, failures: ConnectionFailures): PostgresPool {
  return {
    connect: async () => {
      try {
        return await pool.connect();
      } catch (error) {
        failures.record();
        throw error;
      }
    },
    end: () => pool.end(),
  };
}

/** mysql2's pool for Kysely, counting connections it fails to open. */
export function countedMysqlPool(pool: MysqlDriverPool, failures: ConnectionFailures): MysqlPool {
  return {
    getConnection: (callback) =>
      pool.getConnection((error, connection) => {
        if (error) failures.record();
        callback(error, connection);
      }),
    end: (callback) => pool.end(callback),
  };
}

export function pgPoolStats(pool: pg.Pool, max: number): PoolStats {
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max };
}

/**
 * mysql2 keeps its counts in queues it does not declare (`_allConnections`, `_freeConnections`,
 * `_connectionQueue`): read them defensively, so a driver that renames them reports zeros
 * rather than failing a scrape.
 */
export function mysqlPoolStats(pool: MysqlDriverPool, max: number): PoolStats {
  const internals: object = pool;
  const length = (field: string): number => {
    const queue: unknown = Reflect.get(internals, field);
    const size: unknown = typeof queue === 'object' && queue !== null ? Reflect.get(queue, 'length') : undefined;
    return typeof size === 'number' ? size : 0;
  };
  return { total: length('_allConnections'), idle: length('_freeConnections'), waiting: length('_connectionQueue'), max };
}
