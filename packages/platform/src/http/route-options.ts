import type { FastifySchema } from 'fastify';
import type { AccessRule } from './access.js';

/**
 * A route's options in one call, so each route still states who may call it where it is
 * registered (`app.get(url, route(access, summary, schema), handler)`) without repeating the
 * `config`/`schema`/`tags` scaffolding that made every route block of a feature alike.
 */
export function routeOptions(tags: readonly string[]) {
  return <S extends FastifySchema>(access: AccessRule, summary: string, schema: S) => ({
    config: { access },
    schema: { tags: [...tags], summary, ...schema },
  });
}
