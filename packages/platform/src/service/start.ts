import { context as otelContext } from '@opentelemetry/api';
import { drainHttpApp, startHttpServer } from '../http/lifecycle.js';
import { registerDatabaseMetrics } from '../db/metrics.js';
import type { HttpApp, HttpServerInstance } from '../http/types.js';
import { migrateToLatest } from '../migrate/migrate.js';
import { tracedDatabase } from '../tracing/database.js';
import { traceHttpApp } from '../tracing/http-server.js';
import { startTracing } from '../tracing/sdk.js';
import { serviceContext } from '../tracing/spans.js';
import type { BackgroundTask, ServiceContext, ServiceDefinition } from './definition.js';

export interface RunningService {
  name: string;
  url: string;
  app: HttpServerInstance;
  /** The service's lines for a startup banner (read on demand: only `tributary up` prints one). */
  notes(): Promise<string[]>;
  /** Starts the service's workers; a no-op once started (see StartServiceOptions.deferBackground). */
  startBackground(): Promise<void>;
  /** Stops background work and closes the database (after HTTP drained). */
  release(): Promise<void>;
  /** Drains HTTP, then releases. */
  stop(): Promise<void>;
}

export interface StartServiceOptions {
  host: string;
  port: number;
  /** Seed demo data (first start of the embedded platform). */
  seed?: boolean;
  migrate?: boolean;
  /**
   * Leave workers stopped until `startBackground()` is called: when several services start
   * together, workers that call peers (outbox collectors) wait until every peer listens.
   */
  deferBackground?: boolean;
}

/** One path for every composition root: migrate, seed, build, listen, start workers. */
export async function startService<DB, Deps>(
  definition: ServiceDefinition<DB, unknown, Deps>,
  given: ServiceContext<DB>,
  options: StartServiceOptions,
): Promise<RunningService> {
  const started = Date.now();
  // Only with an OTLP endpoint set; otherwise nothing below changes and no SDK is loaded.
  const tracing = await startTracing(given.env, definition.name, given.logger);
  const context: ServiceContext<DB> = tracing ? { ...given, database: tracedDatabase(given.database) } : given;
  const phases: Record<string, number> = {};
  const mark = (phase: string, since: number) => (phases[phase] = Date.now() - since);
  let at = Date.now();
  if (options.migrate !== false) {
    await migrateToLatest(context.database, definition.migrations, { logger: context.logger });
  }
  mark('migrateMs', at);
  at = Date.now();
  if (options.seed && definition.seed) {
    await definition.seed(context);
    context.logger.info('demo data seeded');
  }
  mark('seedMs', at);
  at = Date.now();
  if (definition.bootstrap) await definition.bootstrap(context);
  mark('bootstrapMs', at);
  at = Date.now();
  const deps = definition.deps?.(context);
  const app = (await definition.buildApp(context, deps)) as HttpApp;
  // Every service's pool is watched the same way, so it is wired here rather than in each app.
  registerDatabaseMetrics(app.metrics, context.database);
  if (tracing) traceHttpApp(app, tracing.tracer);
  mark('buildMs', at);
  at = Date.now();
  const url = await startHttpServer(app, { host: options.host, port: options.port });
  mark('listenMs', at);
  context.logger.info({ url, totalMs: Date.now() - started, ...phases }, 'service started');
  let background: Promise<BackgroundTask | undefined> | undefined;
  const startBackground = async () => {
    const start = definition.startBackground;
    // Workers started inside the service's tracing context keep it in every loop and timer they run.
    background ??= !start
      ? Promise.resolve(undefined)
      : tracing
        ? otelContext.with(serviceContext(tracing.tracer), () => start(context, deps))
        : start(context, deps);
    await background;
  };
  if (!options.deferBackground) await startBackground();
  let released: Promise<void> | undefined;
  const release = () => {
    released ??= (async () => {
      await (await background)?.stop();
      await context.database.close();
      // Last, so the spans of the drain and the workers' stop are exported too.
      await tracing?.shutdown();
    })();
    return released;
  };
  return {
    name: definition.name,
    url,
    app,
    notes: async () => (definition.notes ? definition.notes(context, url) : []),
    startBackground,
    release,
    stop: async () => {
      await drainHttpApp(app);
      await release();
    },
  };
}
