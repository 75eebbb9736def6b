import { DEFAULT_PORTS } from '@tributary/contracts';
import type { ServiceDefinition } from '@tributary/platform/service';
import { buildApp } from './app.js';
import type { ErpDatabase } from './db/schema.js';
import { migrations } from './db/migrations/index.js';
import { seed } from './seed.js';

export const service: ServiceDefinition<ErpDatabase> = {
  name: 'erp',
  defaultPort: DEFAULT_PORTS.erp,
  migrations,
  buildApp,
  seed,
};
