import { DEFAULT_PORTS } from '@tributary/contracts';
import type { HttpApp } from '@tributary/platform/http';
import type { ServiceDefinition } from '@tributary/platform/service';
import { buildApp, SERVICE_NAME, type ProcessingDb } from './app.js';
import { buildDeps, type ProcessingDeps } from './deps.js';
import { migrations } from './db/migrations/index.js';
import { seed } from './seed.js';

export const service: ServiceDefinition<ProcessingDb, HttpApp, ProcessingDeps> = {
  name: SERVICE_NAME,
  defaultPort: DEFAULT_PORTS.processing,
  migrations,
  deps: (context) => buildDeps(context),
  buildApp: (context, deps) => buildApp(context, deps),
  seed,
  // The daily MTP reconciliation's timer; its runs and history are in the job_run table (ADR 0031).
  startBackground: async (context, deps = buildDeps(context)) => {
    await deps.scheduler.start();
    return { stop: () => deps.scheduler.stop() };
  },
};
