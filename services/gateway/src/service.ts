import type { ServiceDefinition } from '@tributary/platform/service';
import { DEFAULT_PORTS } from '@tributary/contracts';
import { buildApp } from './app.js';
import type { GatewayDatabase } from './db/schema.js';
import { migrations } from './db/migrations/index.js';
import { administratorNotes, ensureAdministrator } from './features/auth/administrator.js';
import { seed } from './seed.js';

export const service: ServiceDefinition<GatewayDatabase> = {
  name: 'gateway',
  defaultPort: DEFAULT_PORTS.gateway,
  migrations,
  buildApp,
  seed,
  bootstrap: ensureAdministrator,
  notes: administratorNotes,
};
