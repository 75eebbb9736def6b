import type { ServiceDefinition } from '@tributary/platform/service';
import { DEFAULT_PORTS } from '@tributary/contracts';
import { buildApp } from './app.js';
import { migrations } from './db/migrations/index.js';
import { seed } from './seed.js';

export const service: ServiceDefinition = {
  name: 'gateway',
  defaultPort: DEFAULT_PORTS.gateway,
  migrations,
  buildApp,
  seed,
};
