import type { Consumer } from '../../edge/consumer.js';
import { GatewayError } from '../../errors.js';
import { scopeAllows } from '../keys/scopes.js';
import { SUPER_ROLE } from './access.js';
import type { RouteConfig } from './route-table.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** In a route's roles: any authenticated caller. A route without roles admits only the super role. */
export const ANY_ROLE = '*';

/** What an API key needs for this route: the route's own scopes, else `<service>:read|write`. */
export function requiredScopes(route: RouteConfig, method: string): string[] {
  return route.scopes ?? [`${route.serviceName}:${READ_METHODS.has(method) ? 'read' : 'write'}`];
}

function roleAllowed(route: RouteConfig, consumer: Consumer): boolean {
  // Public routes need no role; anything behind authentication is denied unless a role allows it.
  if (!route.authRequired && consumer.method === 'none') return true;
  if (consumer.roles.includes(SUPER_ROLE)) return true;
  if (!route.roles) return !route.authRequired;
  return route.roles.includes(ANY_ROLE) || consumer.roles.some((role) => route.roles!.includes(role));
}

/** Roles gate users; keys and access keys that carry scopes must hold every required scope too. */
export function authorize(route: RouteConfig, method: string, consumer: Consumer): void {
  if (!roleAllowed(route, consumer)) {
    throw GatewayError.ROLE_ACCESS_DENIED('Your role may not call this route', { details: { route: route.routeName } });
  }
  if (consumer.scopes) {
    const missing = requiredScopes(route, method).filter((scope) => !scopeAllows(consumer.scopes!, scope));
    if (missing.length > 0)
      throw GatewayError.SCOPE_ACCESS_DENIED('The credential lacks the scope this route needs', { details: { missing } });
  }
}
