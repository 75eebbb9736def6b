import type { ServiceDefinition } from '@tributary/platform/service';
import { DEFAULT_PORTS } from '@tributary/contracts';
import { buildApp } from './app.js';
import { startSyncBackground } from './background.js';
import { migrations } from './db/migrations/index.js';

export const service: ServiceDefinition = {
  name: 'sync',
  defaultPort: DEFAULT_PORTS.sync,
  migrations,
  buildApp,
  startBackground: startSyncBackground,
};
