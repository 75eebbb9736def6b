import { DEFAULT_PORTS } from '@tributary/contracts';
import { keyringLookup, type ServiceDefinition } from '@tributary/platform/service';
import { buildApp } from './app.js';
import { loadErpConfig } from './config.js';
import { migrations } from './db/migrations/index.js';
import { seed } from './seed.js';

export const service: ServiceDefinition = {
  name: 'erp',
  defaultPort: DEFAULT_PORTS.erp,
  migrations,
  buildApp: async (context) =>
    buildApp({
      database: context.database,
      logger: context.logger,
      clock: context.clock,
      config: loadErpConfig(context.env),
      auth: { region: context.scope.region, service: context.scope.service, lookup: keyringLookup(context.keyring) },
    }),
  seed: async (context) => seed({ database: context.database, clock: context.clock, config: loadErpConfig(context.env) }),
};
