import { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { DynamicSchema } from './schema.js';

export interface PgliteThreadOptions {
  dataDir: string;
  startParams: readonly string[];
  wasmModule: WebAssembly.Module;
  /** PGlite's file-system bundle (share/), in memory every worker shares (see sharedBundle). */
  fsBundle: SharedArrayBuffer;
}

interface Rows {
  rows: Record<string, unknown>[];
  affectedRows?: number;
}

type Reply = { id: number; result: Rows | null } | { id: number; error: Record<string, unknown> };

/**
 * Runs in the worker: one PGlite instance and a loop answering queries. Plain JavaScript in a
 * string, like the template child in the CLI, so the worker starts without the TypeScript
 * loader that `npm start` runs the main thread under. int8, numeric and date come back as text,
 * the same parsers as an in-thread instance (see create.ts).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pack = (error) => ({ ...error, message: String(error && error.message || error), name: error && error.name });
(async () => {
  const { PGlite } = await import(workerData.pglite);
  const text = (value) => value;
  const db = new PGlite({
    dataDir: workerData.dataDir,
    pgliteWasmModule: workerData.wasmModule,
    // Emscripten's loader accepts only a buffer whose constructor is named ArrayBuffer; a
    // shared one works the same for files Postgres only reads.
    fsBundle: { arrayBuffer: async () => Object.defineProperty(workerData.fsBundle, 'constructor', { value: ArrayBuffer }) },
    parsers: { 20: text, 1700: text, 1082: text },
    startParams: workerData.startParams,
  });
  try {
    await db.waitReady;
  } catch (error) {
    parentPort.postMessage({ id: 0, error: pack(error) });
    return;
  }
  parentPort.postMessage({ id: 0, result: null });
  parentPort.on('message', async ({ id, sql, params }) => {
    try {
      if (sql === undefined) {
        await db.close();
        parentPort.postMessage({ id, result: null });
        return;
      }
      const { rows, affectedRows } = await db.query(sql, params);
      parentPort.postMessage({ id, result: { rows, affectedRows } });
    } catch (error) {
      parentPort.postMessage({ id, error: pack(error) });
    }
  });
})();
`;

/**
 * A PGlite instance in a worker thread of its own. Postgres in WebAssembly runs synchronously:
 * five instances in the main thread start one after another and every query blocks HTTP. In
 * workers the five start side by side, beside the main thread's module loading and app
 * building, which on a two-core machine halves the time `up` takes to be ready.
 */
export class PgliteThread {
  #worker: Worker;
  #pending = new Map<number, { resolve(rows: Rows | null): void; reject(error: Error): void }>();
  #next = 1;
  #closed = false;
  readonly ready: Promise<void>;

  constructor(options: PgliteThreadOptions, pgliteUrl: string) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      // A worker's JavaScript only carries query results; V8's default young generation (up to
      // 3 × 16 MiB per thread) would stay resident in each of five threads.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
      workerData: { pglite: pgliteUrl, ...options },
    });
    this.ready = new Promise<Rows | null>((resolve, reject) => this.#pending.set(0, { resolve, reject })).then(() => undefined);
    this.#worker.on('message', (reply: Reply) => {
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#pending.delete(reply.id);
      if ('error' in reply) waiting.reject(Object.assign(new Error(String(reply.error.message)), reply.error));
      else waiting.resolve(reply.result);
    });
    const fail = (error: Error) => {
      this.#closed = true;
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`PGlite is closed (its thread exited with ${code})`)));
  }

  get closed(): boolean {
    return this.#closed;
  }

  async query(sql: string, params: readonly unknown[]): Promise<Rows> {
    return (await this.#send({ sql, params })) ?? { rows: [] };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#send({});
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }

  #send(message: { sql?: string; params?: readonly unknown[] }): Promise<Rows | null> {
    // The same words an in-thread instance uses, so errors.ts reads it as "database unavailable".
    if (this.#closed) return Promise.reject(new Error('PGlite is closed'));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message });
    });
  }
}

/** Kysely over a PgliteThread: one connection, handed out one holder at a time like PGlite's own dialect. */
export class PgliteThreadDialect implements Dialect {
  constructor(private readonly thread: PgliteThread) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver(): Driver {
    return new PgliteThreadDriver(this.thread);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<DynamicSchema>) {
    return new PostgresIntrospector(db);
  }
}

class PgliteThreadDriver implements Driver {
  #connection: PgliteThreadConnection;
  #held = false;
  #queue: (() => void)[] = [];

  constructor(private readonly thread: PgliteThread) {
    this.#connection = new PgliteThreadConnection(thread);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // A released connection passes straight to the next in line, still held, so no caller
    // arriving in between can take it too.
    if (this.#held) await new Promise<void>((resolve) => this.#queue.push(resolve));
    this.#held = true;
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    const next = this.#queue.shift();
    if (next) next();
    else this.#held = false;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const begin = settings.isolationLevel ? `start transaction isolation level ${settings.isolationLevel}` : 'begin';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    await this.thread.close();
  }
}

class PgliteThreadConnection implements DatabaseConnection {
  constructor(private readonly thread: PgliteThread) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { rows, affectedRows } = await this.thread.query(query.sql, query.parameters);
    return { rows: rows as R[], ...(affectedRows ? { numAffectedRows: BigInt(affectedRows) } : {}) };
  }

  /** As PGlite's own dialect: the whole result, handed out in chunks (PGlite has no cursors to stream from). */
  async *streamQuery<R>(query: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.thread.query(query.sql, query.parameters);
    for (let at = 0; at < rows.length; at += chunkSize) yield { rows: rows.slice(at, at + chunkSize) as R[] };
  }
}

let shared: SharedArrayBuffer | undefined;

/** One copy of the bundle for every thread: a copy each would be 6 MB per database. */
export function sharedBundle(bundle: ArrayBuffer): SharedArrayBuffer {
  if (shared?.byteLength !== bundle.byteLength) {
    shared = new SharedArrayBuffer(bundle.byteLength);
    new Uint8Array(shared).set(new Uint8Array(bundle));
  }
  return shared;
}
