import type { FastifySchema } from 'fastify';
import type { AccessRule } from './access.js';

/**
 * A route's options with its access rule first, so each registration still says who may call
 * it (`app.get(url, routeOptions(access, tag, summary, schema), handler)`), without repeating
 * the `config`/`schema`/`tags` scaffolding that made every route block of a feature alike. The
 * schema's own type passes through, so the route's request stays typed from it.
 */
export function routeOptions<S extends FastifySchema>(access: AccessRule, tags: string | readonly string[], summary: string, schema: S) {
  return { config: { access }, schema: { tags: typeof tags === 'string' ? [tags] : [...tags], summary, ...schema } };
}

/** The same with the feature's tags bound once: `const route = routeOptionsFor(['admin'])`. */
export function routeOptionsFor(tags: readonly string[]) {
  return <S extends FastifySchema>(access: AccessRule, summary: string, schema: S) => routeOptions(access, tags, summary, schema);
}
