import type { FastifyInstance } from 'fastify';
import { drainHttpApp, startHttpServer } from '../http/lifecycle.js';
import { migrateToLatest } from '../migrate/migrate.js';
import type { ServiceContext, ServiceDefinition } from './definition.js';

export interface RunningService {
  name: string;
  url: string;
  app: FastifyInstance<any, any, any, any, any>;
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
}

/** One path for every composition root: migrate, seed, build, listen, start workers. */
export async function startService(
  definition: ServiceDefinition,
  context: ServiceContext,
  options: StartServiceOptions,
): Promise<RunningService> {
  if (options.migrate !== false) {
    await migrateToLatest(context.database, definition.migrations, { logger: context.logger, service: definition.name });
  }
  if (options.seed && definition.seed) {
    await definition.seed(context);
    context.logger.info({ service: definition.name }, 'demo data seeded');
  }
  const app = (await definition.buildApp(context)) as FastifyInstance<any, any, any, any, any>;
  const url = await startHttpServer(app, { host: options.host, port: options.port });
  const background = definition.startBackground ? await definition.startBackground(context) : undefined;
  let released: Promise<void> | undefined;
  const release = () => {
    released ??= (async () => {
      await background?.stop();
      await context.database.close();
    })();
    return released;
  };
  return {
    name: definition.name,
    url,
    app,
    release,
    stop: async () => {
      await drainHttpApp(app);
      await release();
    },
  };
}
