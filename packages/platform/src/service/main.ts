import { Type } from '@sinclair/typebox';
import { systemClock } from '../core/clock.js';
import { configOrExit, loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { createDatabase } from '../db/create.js';
import { configureHttpEdge } from '../http/edge-settings.js';
import { installShutdown } from '../http/lifecycle.js';
import { configureServiceTrust } from '../resilience/tls-trust.js';
import type { ServiceDefinition } from './definition.js';
import { loadServiceEdge, ServiceEdgeConfig } from './edge-config.js';
import { credentialsFor, readKeyringFile } from './keys.js';
import { startService } from './start.js';
import { assertCanListen, DatabaseWaitConfig, exitOnStartupError, waitForDatabase } from './startup-checks.js';

export const ServiceProcessConfig = Type.Composite([
  ServiceEdgeConfig,
  DatabaseWaitConfig,
  Type.Object({
    DATABASE_URL: Type.String({
      pattern: '^(postgres|postgresql|mysql|mariadb|pglite)://.+',
      description: 'postgres://…, mysql://… or pglite://<dir>',
    }),
    HOST: Type.String({ default: '0.0.0.0' }),
    PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
    TRIBUTARY_KEYRING_FILE: Type.String({ minLength: 1, description: 'JSON keyring of service access keys (see docs/operations.md)' }),
    SIGV4_REGION: Type.String({ default: 'us-east-1' }),
    SIGV4_SERVICE: Type.String({ default: 'execute-api' }),
    LOG_LEVEL: Type.String({ default: 'info' }),
    MIGRATE_ON_START: Type.Boolean({ default: true }),
  }),
]);

/**
 * The body of every service's `main.ts`: one process, one service, configured from the
 * environment (peers as `<NAME>_URL`, e.g. ORDERS_URL).
 */
export async function runServiceProcess<DB, Deps>(
  definition: ServiceDefinition<DB, unknown, Deps>,
  env: Record<string, string | undefined> = process.env,
): Promise<void> {
  const config = configOrExit(() => loadConfig(ServiceProcessConfig, env));
  const logger = createLogger({ name: definition.name, level: config.LOG_LEVEL });
  // Before any app or client is built: they take these as their defaults.
  const edge = await configOrExitAsync(() => loadServiceEdge(config));
  configureHttpEdge(edge.http);
  configureServiceTrust(edge.trust);
  const keyring = await readKeyringFile(config.TRIBUTARY_KEYRING_FILE);
  const port = config.PORT ?? definition.defaultPort;
  // Both checks come before migrating, the port one before even opening the database (an
  // embedded one creates its directory): a start that cannot finish must not change anything.
  await assertCanListen({ service: definition.name, host: config.HOST, port, variable: 'PORT' }).catch(exitOnStartupError);
  const database = await createDatabase<DB>(config.DATABASE_URL, { logger });
  try {
    await waitForDatabase(database, {
      service: definition.name,
      url: config.DATABASE_URL,
      variable: 'DATABASE_URL',
      seconds: config.DATABASE_WAIT_SECONDS,
      logger,
    });
  } catch (error) {
    await database.close().catch(() => undefined);
    exitOnStartupError(error);
  }
  const peers = Object.fromEntries(
    Object.entries(env)
      .filter(([key, value]) => key.endsWith('_URL') && key !== 'DATABASE_URL' && !key.endsWith('_DATABASE_URL') && value)
      .map(([key, value]) => [key.slice(0, -4).toLowerCase(), value!]),
  );
  const running = await startService(
    definition,
    {
      name: definition.name,
      database,
      logger,
      clock: systemClock,
      keyring,
      credentials: credentialsFor(keyring, definition.name),
      scope: { region: config.SIGV4_REGION, service: config.SIGV4_SERVICE },
      peers,
      env,
    },
    { host: config.HOST, port, migrate: config.MIGRATE_ON_START },
  );
  logger.info({ url: running.url }, `${definition.name} listening`);
  installShutdown(running.app, { logger, onShutdown: running.release });
}

async function configOrExitAsync<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    return configOrExit(() => {
      throw error;
    });
  }
}
