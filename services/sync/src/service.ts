import type { ServiceDefinition } from '@tributary/platform/service';
import { DEFAULT_PORTS } from '@tributary/contracts';
import type { HttpApp } from '@tributary/platform/http';
import { buildApp } from './app.js';
import { buildDeps, type SyncDeps } from './deps.js';
import { startSyncBackground } from './background.js';
import type { SyncDatabase } from './db/schema.js';
import { migrations } from './db/migrations/index.js';

export const service: ServiceDefinition<SyncDatabase, HttpApp, SyncDeps> = {
  name: 'sync',
  defaultPort: DEFAULT_PORTS.sync,
  migrations,
  deps: (context) => buildDeps(context),
  buildApp,
  startBackground: startSyncBackground,
};
