import type { AccessRule } from './access.js';

/**
 * What an OpenAPI document says about who may call each operation, derived from the access a
 * route declares, so the document cannot drift from the guard that enforces it.
 */

/** OpenAPI has no SigV4 scheme: the nearest truthful description is a header the caller fills. */
export const SIGV4_SCHEME = 'sigv4';

/** The two kinds Tributary uses: a header credential, or HTTP bearer. */
export type SecurityScheme =
  | { type: 'apiKey'; name: string; in: 'header' | 'query' | 'cookie'; description?: string }
  | { type: 'http'; scheme: string; bearerFormat?: string; description?: string };

/** One alternative per entry; `[]` means no credential is needed. Values list the roles (3.1 allows role names). */
export type SecurityRequirement = Record<string, string[]>;

export const sigv4SecurityScheme: SecurityScheme = {
  type: 'apiKey',
  in: 'header',
  name: 'Authorization',
  description:
    'AWS Signature Version 4 (AWS4-HMAC-SHA256) over method, path, query, the signed headers and the body hash. ' +
    'Send X-Amz-Date and X-Amz-Content-Sha256 with it; X-Tributary-User and X-Tributary-Roles name the user a peer acts for. ' +
    'Listed roles are the caller roles the operation admits (any one of them).',
};

type Hook = (...args: never[]) => unknown;

// Keyed by the hook function itself so a guard needs no extra route option to be documented.
const declaredAccess = new WeakMap<Hook, readonly string[]>();

/** Marks a route guard with the roles it admits; returns the guard unchanged. */
export function declareAccess<T extends Hook>(guard: T, roles: readonly string[]): T {
  declaredAccess.set(guard, roles);
  return guard;
}

interface RouteHooks {
  config?: { access?: AccessRule };
  onRequest?: unknown;
  preValidation?: unknown;
  preHandler?: unknown;
}

/** The roles the route's declared guard admits, or undefined when its hooks declare none. */
export function declaredAccessOf(route: RouteHooks | undefined): readonly string[] | undefined {
  if (!route) return undefined;
  const rule = route.config?.access;
  if (rule?.kind === 'guard') return rule.roles;
  if (rule !== undefined) return [];
  for (const stage of [route.onRequest, route.preValidation, route.preHandler]) {
    const hooks: unknown[] = Array.isArray(stage) ? stage : stage === undefined ? [] : [stage];
    for (const hook of hooks) {
      if (typeof hook !== 'function') continue;
      const roles = declaredAccess.get(hook as Hook);
      if (roles) return roles;
    }
  }
  return undefined;
}

/**
 * A signed service's requirement for one operation: none for the public paths (probes, docs,
 * webhooks), else SigV4 with the declared roles (empty: any signed caller; the handler decides).
 */
export function signedOperationSecurity(
  url: string,
  route: RouteHooks | undefined,
  isPublic: (path: string) => boolean,
): SecurityRequirement[] {
  const kind = route?.config?.access?.kind;
  if (isPublic(url) || kind === 'public' || kind === 'own-credential') return [];
  return [{ [SIGV4_SCHEME]: [...(declaredAccessOf(route) ?? [])] }];
}
