import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { isDefaultPublicPath } from '../auth/fastify-hook.js';
import { publicAccess } from './access.js';
import { SIGV4_SCHEME, signedOperationSecurity, sigv4SecurityScheme, type SecurityScheme } from './openapi-security.js';
import type { HttpServerInstance } from './types.js';

export interface OpenApiOptions {
  description?: string;
  servers?: string[];
  tags?: { name: string; description?: string }[];
  /** Extra schemes (the SigV4 one is added when the app verifies signatures). */
  securitySchemes?: Record<string, SecurityScheme>;
}

/** Set by the kernel app from its auth options: the document then says what the hook enforces. */
export interface OpenApiAuth {
  signed: boolean;
  isPublic?: (path: string) => boolean;
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
  auth: OpenApiAuth = { signed: false },
): Promise<void> {
  const isPublic = auth.isPublic ?? isDefaultPublicPath;
  const schemes: Record<string, SecurityScheme> = {
    ...(auth.signed ? { [SIGV4_SCHEME]: sigv4SecurityScheme } : {}),
    ...options.securitySchemes,
  };
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { ...info, ...(options.description === undefined ? {} : { description: options.description }) },
      // Relative by default: "Try it out" calls whatever origin served the document.
      servers: (options.servers ?? ['/']).map((url) => ({ url })),
      ...(options.tags ? { tags: options.tags } : {}),
      ...(Object.keys(schemes).length > 0 ? { components: { securitySchemes: schemes } } : {}),
      ...(auth.signed ? { security: [{ [SIGV4_SCHEME]: [] }] } : {}),
    },
    transform: ({ schema, url, route }) => {
      if (schema?.hide) return { schema, url };
      // Service-to-service routes are documented too, but grouped apart from the public API.
      const tags = url.startsWith('/internal/') && !schema?.tags ? { tags: [INTERNAL_TAG] } : {};
      const security = auth.signed && schema?.security === undefined ? { security: signedOperationSecurity(url, route, isPublic) } : {};
      if (!tags.tags && !security.security) return { schema, url };
      return { schema: { ...schema, ...tags, ...security }, url };
    },
  });
  const docs = publicAccess('API documentation');
  // The UI plugin's routes take no route options: they are given the docs rule as they are added.
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: route.config?.access ?? docs };
    });
    await scope.register(swaggerUi, { routePrefix: '/docs' });
  });
  app.get('/openapi.json', { config: { access: docs }, schema: { hide: true } }, async () => app.swagger());
}
