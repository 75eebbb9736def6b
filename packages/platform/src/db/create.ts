import { Kysely, MysqlDialect, PostgresDialect, sql, type Dialect } from 'kysely';
import type { PGliteOptions } from '@electric-sql/pglite';
import type { PoolConfig } from 'pg';
import type { Logger } from '../core/logger.js';
import { listenOnOwnConnection, type Listening } from './listen.js';
import { pgliteFsBundle, pgliteWasmModule } from './pglite-module.js';
import { ConnectionFailures, countedMysqlPool, countedPgPool, mysqlPoolStats, pgPoolStats, type PoolStats } from './pools.js';
import type { PgliteThread } from './pglite-thread.js';
import type { AnyKysely, DynamicSchema } from './schema.js';
import { parseDatabaseUrl, redactUrl, type DialectName } from './url.js';

/** `DB` is the service's schema; the kernel opens a database without knowing its tables. */
export interface Database<DB = DynamicSchema> {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  /** The URL with its password hidden. */
  readonly displayUrl: string;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** The connection pool now; undefined for PGlite, which runs in-process on one connection. */
  pool(): PoolStats | undefined;
  /** Connections that failed to open or broke while idle, since the database was opened. */
  connectionFailures(): number;
  /**
   * PostgreSQL servers only: calls `onNotify` with the payload of each NOTIFY of `channel` (from
   * any process), on a connection of its own. Absent on PGlite (one process) and MariaDB (no such thing):
   * callers keep polling there.
   */
  listen?(channel: string, onNotify: (payload: string) => void): Promise<Listening>;
}

/**
 * Any service's database, whatever its tables: what kernel helpers that serve every service
 * (migrations, privacy, key tables) take, since a `Database<OrdersDatabase>` is no
 * `Database<DynamicSchema>` (Kysely's schema type is invariant; see AnyKysely).
 */
export type AnyDatabase = Omit<Database, 'db'> & { readonly db: AnyKysely };

/** The same database typed with the service's schema (tests and tools that open it untyped). */
export function asSchema<DB>(database: AnyDatabase): Database<DB> {
  return database as unknown as Database<DB>;
}

export interface DatabaseOptions {
  logger?: Logger;
  /** Pool size for server databases. */
  poolSize?: number;
  /** A PGlite data-directory dump to start a new in-memory/empty database from (fast test setup). */
  pgliteLoadDataDir?: Blob;
  /**
   * Run a PGlite directory in a worker thread of its own (see pglite-thread.ts): for a process
   * that opens several at once. Not with `pgliteLoadDataDir` or an in-memory database.
   */
  pgliteThread?: boolean;
}

/**
 * PGlite's own start parameters plus smaller shared memory. Postgres zeroes its whole shared
 * memory at start and the WebAssembly heap never shrinks, so the stock 128 MB of shared_buffers
 * is resident from the first second in every embedded instance, five of them in `up`. An
 * embedded database is small and its files sit in the operating system's page cache anyway, so
 * 8 MB of buffers loses little. One backend in single-user mode needs few connection slots.
 * Durability is untouched: fsync, WAL and checkpoints behave as before.
 */
const PGLITE_SETTINGS: readonly string[] = ['shared_buffers=8MB', 'max_connections=5'].flatMap((setting) => ['-c', setting]);

const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_DATE = 1082;

/**
 * One factory for every dialect. Exact numbers stay exact: int8 and numeric come back as
 * strings on all three drivers (pg does it by default, PGlite and mysql2 are told to). A DATE
 * comes back as its 'YYYY-MM-DD' text everywhere: a calendar day has no time zone, and turning
 * it into a local-midnight Date (pg's default) shifts it on any machine not running in UTC.
 *
 * Only the driver of the dialect in use is imported: a service process runs on one dialect, and
 * the other drivers (PGlite, its Kysely dialect, mysql2 or pg) would otherwise stay resident in it.
 */
export async function createDatabase<DB = DynamicSchema>(url: string, options: DatabaseOptions = {}): Promise<Database<DB>> {
  // Read once and never captured by the closures below: they live as long as the database, and
  // through `options` they would keep `pgliteLoadDataDir` (a 40 MB dump) resident with it.
  const { logger, poolSize, pgliteLoadDataDir, pgliteThread } = options;
  const parsed = parseDatabaseUrl(url);
  const displayUrl = redactUrl(url);
  let dialect: Dialect;
  let closeExtra: () => Promise<void> = async () => {};
  let pool: () => PoolStats | undefined = () => undefined;
  let listen: Database['listen'];
  const failures = new ConnectionFailures();
  const max = poolSize ?? 10;

  switch (parsed.dialect) {
    case 'postgres': {
      const { default: pg } = await import('pg');
      const pgPool = new pg.Pool({
        connectionString: parsed.target,
        max,
        types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => stringFor(oid) ?? pg.types.getTypeParser(oid, format) },
      } as PoolConfig);
      // An idle client dropped by the server emits 'error' on the pool; unhandled, it kills the process.
      pgPool.on('error', (error) => {
        failures.record();
        logger?.error({ err: error, db: displayUrl }, 'idle database connection failed');
      });
      dialect = new PostgresDialect({ pool: countedPgPool(pgPool, failures) });
      pool = () => pgPoolStats(pgPool, max);
      const listeners = new Set<Listening>();
      listen = async (channel, onNotify) => {
        const listening = await listenOnOwnConnection(() => new pg.Client({ connectionString: parsed.target }), channel, onNotify, logger);
        listeners.add(listening);
        return {
          close: async () => {
            listeners.delete(listening);
            await listening.close();
          },
        };
      };
      closeExtra = async () => {
        await Promise.all([...listeners].map((listening) => listening.close()));
      };
      break;
    }
    case 'mysql': {
      const { createPool: createMysqlPool } = await import('mysql2');
      const mysqlPool = createMysqlPool({
        uri: parsed.target,
        connectionLimit: max,
        supportBigNumbers: true,
        bigNumberStrings: true,
        decimalNumbers: false,
        timezone: 'Z',
        dateStrings: ['DATE'],
        charset: 'utf8mb4',
        multipleStatements: false,
      });
      mysqlPool.on('connection', (connection) => {
        connection.on('error', (error) => {
          failures.record();
          logger?.error({ err: error, db: displayUrl }, 'database connection failed');
        });
      });
      dialect = new MysqlDialect({ pool: countedMysqlPool(mysqlPool, failures) });
      pool = () => mysqlPoolStats(mysqlPool, max);
      break;
    }
    case 'pglite': {
      if (pgliteThread && parsed.target !== 'memory' && !pgliteLoadDataDir) {
        const { thread, dialect: threaded } = await openPgliteThread(parsed.target);
        dialect = threaded;
        closeExtra = () => thread.close();
        break;
      }
      const [{ PGlite }, { PGliteDialect }, wasmModule, fsBundle] = await Promise.all([
        import('@electric-sql/pglite'),
        import('kysely-pglite-dialect'),
        pgliteWasmModule(),
        pgliteFsBundle(),
      ]);
      const dataDir = parsed.target === 'memory' ? undefined : parsed.target;
      const settings: PGliteOptions = {
        pgliteWasmModule: wasmModule,
        fsBundle,
        ...(dataDir ? { dataDir } : {}),
        ...(pgliteLoadDataDir ? { loadDataDir: pgliteLoadDataDir } : {}),
        parsers: { [PG_INT8]: (value: string) => value, [PG_NUMERIC]: (value: string) => value, [PG_DATE]: (value: string) => value },
        startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS],
      };
      const client = new PGlite(settings);
      await client.waitReady;
      // PGlite keeps the options object it was given for the life of the instance, and with it
      // the dump a new directory was loaded from (40 MB), which it reads only while starting.
      delete settings.loadDataDir;
      dialect = new PGliteDialect(client);
      closeExtra = async () => {
        if (!client.closed) await client.close();
      };
      break;
    }
  }

  const db = new Kysely<DB>({ dialect });
  return {
    db,
    dialect: parsed.dialect,
    displayUrl,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: async () => {
      await db.destroy();
      await closeExtra();
    },
    pool,
    connectionFailures: () => failures.total,
    ...(listen ? { listen } : {}),
  };
}

async function openPgliteThread(dataDir: string): Promise<{ thread: PgliteThread; dialect: Dialect }> {
  const [{ PGlite }, { PgliteThread, PgliteThreadDialect, sharedBundle }, wasmModule, fsBundle] = await Promise.all([
    import('@electric-sql/pglite'),
    import('./pglite-thread.js'),
    pgliteWasmModule(),
    pgliteFsBundle(),
  ]);
  const thread = new PgliteThread(
    {
      dataDir,
      startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS],
      wasmModule,
      fsBundle: sharedBundle(await fsBundle.arrayBuffer()),
    },
    import.meta.resolve('@electric-sql/pglite'),
  );
  try {
    await thread.ready;
  } catch (error) {
    await thread.close().catch(() => undefined);
    throw error;
  }
  return { thread, dialect: new PgliteThreadDialect(thread) };
}

function stringFor(oid: number): ((value: string) => string) | undefined {
  return oid === PG_INT8 || oid === PG_NUMERIC || oid === PG_DATE ? (value) => value : undefined;
}
