import type { ServiceDefinition } from '@tributary/platform/service';
import { DEFAULT_PORTS } from '@tributary/contracts';
import { buildApp } from './app.js';
import { startSyncBackground } from './background.js';
import type { SyncDatabase } from './db/schema.js';
import { migrations } from './db/migrations/index.js';

export const service: ServiceDefinition<SyncDatabase> = {
  name: 'sync',
  defaultPort: DEFAULT_PORTS.sync,
  migrations,
  buildApp,
  startBackground: startSyncBackground,
};
