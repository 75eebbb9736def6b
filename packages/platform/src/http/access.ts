import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { unauthenticated } from '../core/errors.js';
import type { HttpServerInstance } from './types.js';

/**
 * Who may call a route, declared with the route (`config: { access }`) and enforced by the one
 * hook below. A service's access.ts builds its guards from these; the catalogue's 403 code is
 * thrown by the guard's check, so the refusal keeps the service's own code.
 */
export type AccessRule =
  /** No credential by design: probes, API docs, login. */
  | { readonly kind: 'public'; readonly reason: string }
  /** The route verifies a credential of its own (a webhook's HMAC, the metrics bearer token). */
  | { readonly kind: 'own-credential'; readonly reason: string }
  /** Any caller with a valid service signature; the handler may refine per element. */
  | { readonly kind: 'signed' }
  /** Callers `check` admits; `roles` is what the OpenAPI document lists. */
  | { readonly kind: 'guard'; readonly roles: readonly string[]; readonly check: AccessCheck };

export type AccessCheck = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; an app built with `requireRouteAccess` refuses to start without it. */
    access?: AccessRule;
  }
}

export const publicAccess = (reason: string): AccessRule => ({ kind: 'public', reason });
export const ownCredentialAccess = (reason: string): AccessRule => ({ kind: 'own-credential', reason });
export const signedAccess: AccessRule = { kind: 'signed' };
export const guardedAccess = (roles: readonly string[], check: AccessCheck): AccessRule => ({ kind: 'guard', roles, check });

/** One rule that admits only callers both rules admit (a service's role guard on a kernel route). */
export function bothAccess(first: AccessRule, second: AccessRule): AccessRule {
  const checks = [first, second].flatMap((rule) => (rule.kind === 'guard' ? [rule.check] : []));
  const roles = first.kind === 'guard' ? first.roles : second.kind === 'guard' ? second.roles : [];
  return guardedAccess(roles, async (request, reply) => {
    if (first.kind === 'signed' || second.kind === 'signed') requireSignature(request);
    for (const check of checks) await check(request, reply);
  });
}

export interface RouteAccessEntry {
  method: string;
  url: string;
  access: AccessRule | undefined;
}

// Kept per app so the structure test and the ready check read the same list.
const routesByApp = new WeakMap<object, RouteOptions[]>();
const requiringApps = new WeakSet<object>();

/** Every route registered on the app so far with the rule it declares (undefined: none). */
export function routeAccessList(app: object): RouteAccessEntry[] {
  return (routesByApp.get(app) ?? []).flatMap((route) =>
    (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({
      method,
      url: route.url,
      access: route.config?.access,
    })),
  );
}

/** True when the app refuses to start with a route that declares no access. */
export function requiresRouteAccess(app: object): boolean {
  return requiringApps.has(app);
}

export class RouteAccessUndeclaredError extends Error {
  constructor(readonly routes: readonly string[]) {
    super(`Every route must declare who may call it (config.access); none declared by: ${routes.join(', ')}`);
    this.name = 'RouteAccessUndeclaredError';
  }
}

/**
 * Registered first by createHttpApp: records every route. With `required`, `ready()`
 * (and so `listen()`) throws while any route declares no rule: a route added without one never
 * serves. The check waits for ready because an onRoute hook registered later may supply the
 * rule after this hook saw the route.
 */
export function registerRouteAccess(app: HttpServerInstance, options: { required: boolean }): void {
  const routes: RouteOptions[] = [];
  routesByApp.set(app, routes);
  if (options.required) requiringApps.add(app);
  app.addHook('onRoute', (route) => {
    routes.push(route as RouteOptions);
  });
  app.addHook('onReady', async () => {
    if (!options.required) return;
    const undeclared = routeAccessList(app)
      .filter((entry) => entry.access === undefined)
      .map((entry) => `${entry.method} ${entry.url}`);
    if (undeclared.length > 0) throw new RouteAccessUndeclaredError(undeclared);
  });
}

/**
 * The one hook that enforces every route's rule: in preValidation, after the signature hook
 * set `request.identity` and before the body is validated, so a refused caller learns nothing
 * about the schema.
 */
export function registerAccessEnforcement(app: HttpServerInstance): void {
  // A callback hook: only a guard may have to wait (a lookup), so only a guard costs a promise.
  app.addHook('preValidation', (request, reply, done) => {
    const rule = request.is404 ? undefined : request.routeOptions.config.access;
    if (rule?.kind === 'guard') {
      Promise.resolve()
        .then(() => rule.check(request, reply))
        .then(
          () => done(),
          // A guard that fails without an Error still refuses: never a silent pass.
          (error: unknown) => done(error instanceof Error ? error : new Error('access guard failed without an error')),
        );
      return;
    }
    if (rule?.kind === 'signed') requireSignature(request);
    done();
  });
}

function requireSignature(request: FastifyRequest): void {
  // The signature hook refuses unsigned calls first; this stands when a path was made public by mistake.
  if (!request.identity) throw unauthenticated('AUTH_REQUIRED', 'This route needs a signed request');
}
