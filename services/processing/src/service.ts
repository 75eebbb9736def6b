import { DEFAULT_PORTS } from '@tributary/contracts';
import type { ServiceDefinition } from '@tributary/platform/service';
import { buildApp, SERVICE_NAME } from './app.js';
import { migrations } from './db/migrations/index.js';
import { seed } from './seed.js';

export const service: ServiceDefinition = {
  name: SERVICE_NAME,
  defaultPort: DEFAULT_PORTS.processing,
  migrations,
  buildApp,
  seed,
};
