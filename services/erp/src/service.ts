import { DEFAULT_PORTS } from '@tributary/contracts';
import type { HttpApp } from '@tributary/platform/http';
import type { ServiceDefinition } from '@tributary/platform/service';
import { buildApp } from './app.js';
import type { ErpDatabase } from './db/schema.js';
import { buildDeps, type ErpInstance } from './deps.js';
import { migrations } from './db/migrations/index.js';
import { seed } from './seed.js';

export const service: ServiceDefinition<ErpDatabase, HttpApp, ErpInstance> = {
  name: 'erp',
  defaultPort: DEFAULT_PORTS.erp,
  migrations,
  deps: (context) => buildDeps(context),
  buildApp: (context, instance) => buildApp(context, {}, instance),
  seed,
  // The jobs' timers; their runs and history are in the job_run table (ADR 0031).
  startBackground: async (context, instance = buildDeps(context)) => {
    await instance.scheduler.start();
    return { stop: () => instance.scheduler.stop() };
  },
};
