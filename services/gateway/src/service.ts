import type { ServiceDefinition } from '@tributary/platform/service';
import { DEFAULT_PORTS } from '@tributary/contracts';
import { buildApp } from './app.js';
import type { GatewayDatabase } from './db/schema.js';
import { migrations } from './db/migrations/index.js';
import { DEMO_PASSWORD, demoUsers, seed } from './seed.js';

export const service: ServiceDefinition<GatewayDatabase> = {
  name: 'gateway',
  defaultPort: DEFAULT_PORTS.gateway,
  migrations,
  buildApp,
  seed,
  notes: () => [
    `Demo logins (password "${DEMO_PASSWORD}"): ${demoUsers()
      .map((user) => user.username)
      .join(', ')}`,
    'Log in: curl -s localhost:8080/api/v1/auth/login -H "content-type: application/json" -d \'{"username":"grandpass-officer","password":"tributary-demo"}\'',
  ],
};
