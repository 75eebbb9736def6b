import { resolve } from 'node:path';
import { systemClock, createLogger, loadConfig, type Logger } from '@tributary/platform/core';
import { configureHttpEdge } from '@tributary/platform/http';
import { configureServiceTrust } from '@tributary/platform/resilience';
import {
  assertCanListen,
  credentialsFor,
  loadServiceEdge,
  ServiceEdgeConfig,
  startService,
  type RunningService,
  type ServiceDefinition,
} from '@tributary/platform/service';
import { openServiceDatabase, pgliteTemplateOnce, type OpenedDatabase } from '../databases.js';
import { loadOrCreateKeyring } from '../keyring-file.js';
import { servicePort } from '../ports.js';
import { loadServices } from '../services.js';

export interface UpOptions {
  dataDir: string;
  host: string;
  seed: boolean;
  /** Port of the first service; the others follow their defaults unless set. */
  env: Record<string, string | undefined>;
  logLevel: string;
  /** The services to run; default: every service built in this checkout. */
  definitions?: ServiceDefinition[];
}

export interface Platform {
  services: RunningService[];
  stop(): Promise<void>;
}

/**
 * Starts every service that exists, in one process, each on its own database, and returns
 * once all are listening. The embedded default is one PGlite directory per service.
 */
export async function up(options: UpOptions): Promise<Platform> {
  const definitions = options.definitions ?? (await loadServices());
  const dataDir = resolve(options.dataDir);
  // Every port before anything is written: a taken port must not leave a half-migrated platform.
  for (const definition of definitions) {
    const variable = `${definition.name.toUpperCase()}_PORT`;
    await assertCanListen({ service: definition.name, host: options.host, port: portOf(definition, options.env), variable });
  }
  // The same edge settings a service process reads (METRICS_TOKEN, body and header timeouts, TLS),
  // so the embedded platform is no laxer than production.
  const edge = await loadServiceEdge(loadConfig(ServiceEdgeConfig, options.env));
  configureHttpEdge(edge.http);
  configureServiceTrust(edge.trust);
  const keyring = await loadOrCreateKeyring(resolve(dataDir, 'keyring.json'), [...definitions.map((d) => d.name), 'cli']);
  // One logger per service (not a child of the CLI's), so each line names exactly one service.
  const loggers = new Map<string, Logger>();
  const serviceLogger = (name: string) => {
    if (!loggers.has(name)) loggers.set(name, createLogger({ name, level: options.logLevel }));
    return loggers.get(name)!;
  };
  const peers = Object.fromEntries(definitions.map((d) => [d.name, `http://127.0.0.1:${portOf(d, options.env)}`]));

  const opened = await openDatabases(definitions, dataDir, options.env, serviceLogger);
  // Services start side by side (none calls another until workers start, after all listen).
  const started = await Promise.allSettled(
    definitions.map((definition, index) => {
      const { database, fresh } = opened[index]!;
      return startService(definition, context(definition, database), {
        host: options.host,
        port: portOf(definition, options.env),
        seed: options.seed && fresh,
        deferBackground: true,
      });
    }),
  );
  const services = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  try {
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    await Promise.all(services.map((service) => service.startBackground()));
  } catch (error) {
    await Promise.allSettled(services.map((service) => service.stop()));
    await Promise.allSettled(opened.map(({ database }) => database.close()));
    throw error;
  }

  function context(definition: ServiceDefinition, database: (typeof opened)[number]['database']) {
    return {
      name: definition.name,
      database,
      logger: serviceLogger(definition.name),
      clock: systemClock,
      keyring,
      credentials: credentialsFor(keyring, definition.name),
      scope: { region: options.env.SIGV4_REGION ?? 'us-east-1', service: options.env.SIGV4_SERVICE ?? 'execute-api' },
      peers,
      // The data directory given on the command line wins, so a service that keeps files beside
      // its database (erp's master key file) keeps them there even on a server database.
      env: { ...options.env, TRIBUTARY_DATA_DIR: dataDir },
    };
  }

  return {
    services,
    // The gateway stops first so no new work reaches the backends while they drain.
    stop: async () => {
      for (const service of [...services].reverse()) await service.stop();
    },
  };
}

/**
 * Every service's database, opened in parallel: loading the template into each new directory is
 * I/O-bound. A function of its own so that the template dump (about 40 MB, needed only while new
 * directories are loaded) is not captured by `up`'s closures, which live as long as the platform.
 */
function openDatabases(
  definitions: readonly ServiceDefinition[],
  dataDir: string,
  env: Record<string, string | undefined>,
  logger: (name: string) => Logger,
): Promise<OpenedDatabase[]> {
  const template = pgliteTemplateOnce();
  return Promise.all(
    definitions.map((definition) => openServiceDatabase(definition.name, dataDir, env, logger(definition.name), template)),
  );
}

function portOf(definition: ServiceDefinition, env: Record<string, string | undefined>): number {
  return servicePort(definition.name, definition.defaultPort, env);
}
