import { Counter, Gauge, type Registry } from 'prom-client';
import type { AnyDatabase } from './create.js';
import type { PoolStats } from './pools.js';

/**
 * Pool gauges and the connection-failure counter for one service's database, read on scrape.
 * PGlite runs in-process on a single connection and has no pool: its gauges carry no samples,
 * and its failure counter stays at zero.
 */
export function registerDatabaseMetrics(registry: Registry, database: Pick<AnyDatabase, 'dialect' | 'pool' | 'connectionFailures'>): void {
  const labels = { dialect: database.dialect };
  const registers = [registry];
  const poolGauge = (name: string, help: string, read: (stats: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['dialect'],
      registers,
      collect() {
        const stats = database.pool();
        if (stats) this.set(labels, read(stats));
      },
    });
  poolGauge('db_pool_connections', 'Connections the pool holds open, busy or idle', (stats) => stats.total);
  poolGauge('db_pool_idle_connections', 'Open connections waiting in the pool for a query', (stats) => stats.idle);
  poolGauge('db_pool_waiting_requests', 'Queries waiting for a connection because every one is busy', (stats) => stats.waiting);
  poolGauge('db_pool_max_connections', 'The most connections the pool may open', (stats) => stats.max);
  new Counter({
    name: 'db_connection_failures_total',
    help: 'Database connections that could not be opened or broke while idle',
    labelNames: ['dialect'],
    registers,
    collect() {
      this.reset();
      this.inc(labels, database.connectionFailures());
    },
  });
}
