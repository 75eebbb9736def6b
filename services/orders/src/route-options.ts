import type { AccessRule } from '@tributary/platform/http';
import type { FastifySchema } from 'fastify';

/**
 * A route's options with its access rule first, so each registration still says who may call
 * it, and its OpenAPI tag and summary beside the rest of its schema. The schema's own type
 * passes through, so the route's request stays typed from it.
 */
export function routeOptions<S extends FastifySchema>(access: AccessRule, tag: string, summary: string, schema: S) {
  return { config: { access }, schema: { tags: [tag], summary, ...schema } };
}
