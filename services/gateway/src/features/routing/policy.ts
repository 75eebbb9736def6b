import { forbidden } from '@tributary/platform/core';
import type { Consumer } from '../../edge/consumer.js';
import { GatewayError } from '../../errors.js';
import { scopeAllows } from '../keys/scopes.js';
import { SUPER_ROLE } from './default-routes.js';
import type { RouteConfig } from './route-table.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What an API key needs for this route: the route's own scopes, else `<service>:read|write`. */
export function requiredScopes(route: RouteConfig, method: string): string[] {
  return route.scopes ?? [`${route.serviceName}:${READ_METHODS.has(method) ? 'read' : 'write'}`];
}

/** Roles gate users; keys and access keys that carry scopes must hold every required scope too. */
export function authorize(route: RouteConfig, method: string, consumer: Consumer): void {
  if (route.roles && !consumer.roles.includes(SUPER_ROLE) && !consumer.roles.some((role) => route.roles!.includes(role))) {
    throw forbidden(GatewayError.RoleDenied, 'Your role may not call this route', { details: { route: route.routeName } });
  }
  if (consumer.scopes) {
    const missing = requiredScopes(route, method).filter((scope) => !scopeAllows(consumer.scopes!, scope));
    if (missing.length > 0) throw forbidden(GatewayError.ScopeDenied, 'The credential lacks the scope this route needs', { details: { missing } });
  }
}
