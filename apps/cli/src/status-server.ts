import type { Logger } from '@tributary/platform/core';
import { createHttpApp, startHttpServer, type HttpApp } from '@tributary/platform/http';
import type { RunningService } from '@tributary/platform/service';
import { request } from 'undici';

/**
 * The embedded platform's own status endpoint: ready only when every service is ready, and a
 * list of what runs where. Operators and scripts wait on this one URL after `npm start`.
 */
export async function startStatusServer(
  services: RunningService[],
  options: { host: string; port: number; logger: Logger },
): Promise<{ app: HttpApp; url: string }> {
  const readiness = Object.fromEntries(
    services.map((service) => [
      service.name,
      async () => {
        const response = await request(`${service.url}/health/ready`, { headersTimeout: 2_000, bodyTimeout: 2_000 });
        await response.body.dump();
        if (response.statusCode !== 200) throw new Error(`${service.name} answered ${response.statusCode}`);
      },
    ]),
  );
  const app = await createHttpApp({ name: 'tributary', logger: options.logger, readiness });
  app.get('/', { schema: { hide: true } }, async () => ({
    name: 'tributary',
    services: services.map((service) => ({ name: service.name, url: service.url, docs: `${service.url}/docs` })),
  }));
  const url = await startHttpServer(app, { host: options.host, port: options.port });
  return { app, url };
}
