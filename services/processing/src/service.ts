import { DEFAULT_PORTS } from '@tributary/contracts';
import type { ServiceDefinition } from '@tributary/platform/service';
import { buildApp, SERVICE_NAME, type ProcessingDb } from './app.js';
import { migrations } from './db/migrations/index.js';
import { seed } from './seed.js';

export const service: ServiceDefinition<ProcessingDb> = {
  name: SERVICE_NAME,
  defaultPort: DEFAULT_PORTS.processing,
  migrations,
  buildApp,
  seed,
};
