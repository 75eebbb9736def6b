import { DEFAULT_PORTS } from '@tributary/contracts';
import type { ServiceDefinition } from '@tributary/platform/service';
import type { OrdersDatabase } from './db/schema.js';
import { buildApp } from './app.js';
import { migrations } from './db/migrations/index.js';
import { seed } from './seed.js';

export const service: ServiceDefinition<OrdersDatabase> = {
  name: 'orders',
  defaultPort: DEFAULT_PORTS.orders,
  migrations,
  buildApp,
  seed,
};
