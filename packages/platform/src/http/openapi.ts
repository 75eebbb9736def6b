import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { HttpServerInstance } from './types.js';

export interface OpenApiOptions {
  description?: string;
  servers?: string[];
  tags?: { name: string; description?: string }[];
}

export const INTERNAL_TAG = 'internal';

/**
 * Registered before any route and awaited: @fastify/swagger collects routes in an onRoute
 * hook, which sees only routes declared after the plugin has loaded.
 */
export async function registerOpenApi(
  app: HttpServerInstance,
  info: { title: string; version: string },
  options: OpenApiOptions = {},
): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { ...info, ...(options.description === undefined ? {} : { description: options.description }) },
      ...(options.servers ? { servers: options.servers.map((url) => ({ url })) } : {}),
      ...(options.tags ? { tags: options.tags } : {}),
    },
    // Service-to-service routes are documented too, but grouped apart from the public API.
    transform: ({ schema, url }) => {
      if (!url.startsWith('/internal/') || schema?.hide || schema?.tags) return { schema, url };
      return { schema: { ...schema, tags: [INTERNAL_TAG] }, url };
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
