import type { AccessRule } from '@tributary/platform/http';
import { isInternalPath, SUPER_ROLE } from '../routing/access.js';
import { ANY_ROLE } from '../routing/policy.js';
import type { RouteConfig } from '../routing/route-table.js';

/** The parts of an OpenAPI 3.1 document the merge reads and writes. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  servers?: Array<{ url: string; description?: string }>;
  tags?: Array<{ name: string; description?: string }>;
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  security?: Array<Record<string, string[]>>;
}

type Operation = Record<string, unknown>;

export const BEARER_SCHEME = 'bearerAuth';
export const API_KEY_SCHEME = 'apiKey';

export const gatewaySecuritySchemes = {
  [BEARER_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The access token POST /api/v1/auth/login returns.',
  },
  [API_KEY_SCHEME]: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key the admin API issued.' },
} as const;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** Either credential admits the caller; the roles are those the route (or the gateway route) names. */
export function edgeSecurity(roles: readonly string[] | null, required = true): Array<Record<string, string[]>> {
  if (!required) return [];
  return [{ [BEARER_SCHEME]: [...(roles ?? [])] }, { [API_KEY_SCHEME]: [...(roles ?? [])] }];
}

/**
 * A gateway route's requirement from the access it declares (`config.access`, the rule the
 * kernel's hook runs): none for a public route or one checking its own credential, else a
 * token or key with the rule's roles (none listed: any signed-in caller).
 */
export function declaredSecurity(rule: AccessRule | undefined): Array<Record<string, string[]>> {
  if (rule?.kind === 'public' || rule?.kind === 'own-credential') return [];
  return edgeSecurity(rule?.kind === 'guard' && rule.roles.length > 0 ? rule.roles : null);
}

/**
 * A table route's requirement as the edge enforces it (policy.ts): `*` admits any signed-in
 * caller, no roles admits only the super role, and the super role passes every route.
 */
export function routeSecurity(route: RouteConfig): Array<Record<string, string[]>> {
  if (!route.roles) return edgeSecurity([SUPER_ROLE], route.authRequired);
  if (route.roles.includes(ANY_ROLE)) return edgeSecurity(null, route.authRequired);
  return edgeSecurity(route.roles.includes(SUPER_ROLE) ? route.roles : [...route.roles, SUPER_ROLE], route.authRequired);
}

/** `/plans/:id` (the route table's form) becomes `/plans/{id}` (OpenAPI's). */
export function toOpenApiPath(pattern: string): string {
  return pattern.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The public path and methods each route of the table documents, before any service document is read. */
export function routedPathOf(route: RouteConfig): { path: string; wildcard: boolean } {
  if (route.pathPattern.endsWith('/*')) return { path: `${toOpenApiPath(route.pathPattern.slice(0, -2))}/{path}`, wildcard: true };
  return { path: toOpenApiPath(route.pathPattern), wildcard: false };
}

function methodsOf(route: RouteConfig, available: Iterable<string>): string[] {
  if (route.method === 'ANY') return [...available];
  const method = route.method.toLowerCase();
  return [method];
}

// Schemas of different services may share a name: each service's are namespaced and its references follow.
function renameRefs<T>(value: T, service: string): T {
  if (Array.isArray(value)) return value.map((item) => renameRefs(item, service)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof inner === 'string'
        ? inner.replace('#/components/schemas/', `#/components/schemas/${service}.`)
        : renameRefs(inner, service);
  }
  return out as T;
}

function pathParameters(path: string, operation: Operation): unknown[] {
  const existing = Array.isArray(operation.parameters) ? (operation.parameters as Array<{ in?: string; name?: string }>) : [];
  const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  const missing = names.filter((name) => !existing.some((p) => p.in === 'path' && p.name === name));
  return [...existing, ...missing.map((name) => ({ in: 'path', name, required: true, schema: { type: 'string' } }))];
}

function forwarded(route: RouteConfig, path: string, operation: Operation | undefined): Operation {
  const base: Operation = operation
    ? { ...operation }
    : {
        summary: route.routeName,
        description: `Forwarded to ${route.serviceName}; its document did not describe this path.`,
        responses: { default: { description: 'The upstream answer' } },
      };
  const tags =
    Array.isArray(base.tags) && base.tags.length > 0
      ? (base.tags as string[]).map((tag) => `${route.serviceName}: ${tag}`)
      : [route.serviceName];
  const result: Operation = { ...base, tags, parameters: pathParameters(path, base), security: routeSecurity(route) };
  if (typeof base.operationId === 'string') result.operationId = `${route.serviceName}.${base.operationId}.${path}`;
  if (route.deprecated) result.deprecated = true;
  if ((result.parameters as unknown[]).length === 0) delete result.parameters;
  return result;
}

export interface MergeInput {
  gateway: OpenApiDocument;
  /** The access each of the gateway's own operations declares, by lower-case method and OpenAPI path. */
  ownAccess: (method: string, path: string) => AccessRule | undefined;
  routes: RouteConfig[];
  services: ReadonlyMap<string, OpenApiDocument>;
  serverUrl: string;
}

/**
 * One document for everything the gateway answers: its own routes, then each table route in
 * match order (priority, then specificity), each operation taken from the upstream's document
 * at the upstream path and published under the public path with the edge's credentials.
 */
export function mergeDocuments(input: MergeInput): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  const put = (path: string, method: string, operation: Operation) => {
    const item = (paths[path] ??= {});
    if (item[method] === undefined) item[method] = operation;
  };

  for (const [path, item] of Object.entries(input.gateway.paths ?? {})) {
    if (path === '/*' || path === '/{*}') continue;
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      put(path, method, { ...operation, security: declaredSecurity(input.ownAccess(method, path)) });
    }
  }
  for (const [name, schema] of Object.entries(input.gateway.components?.schemas ?? {})) schemas[name] = schema;

  for (const [service, doc] of input.services) {
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) schemas[`${service}.${name}`] = renameRefs(schema, service);
  }

  const ordered = [...input.routes].sort((a, b) => b.priority - a.priority);
  for (const route of ordered) {
    const doc = input.services.get(route.serviceName);
    const servicePaths = doc ? renameRefs(doc.paths ?? {}, route.serviceName) : {};
    const upstream = route.upstreamPath ?? route.pathPattern;
    const routed = routedPathOf(route);
    if (routed.wildcard) {
      const publicPrefix = toOpenApiPath(route.pathPattern.slice(0, -2));
      const upstreamPrefix = toOpenApiPath(upstream.endsWith('/*') ? upstream.slice(0, -2) : upstream);
      let described = 0;
      for (const [path, item] of Object.entries(servicePaths)) {
        // The edge never forwards into /internal, /metrics or /health (ADR 0405): not documented either.
        if (!path.startsWith(`${upstreamPrefix}/`) || isInternalPath(path)) continue;
        const publicPath = `${publicPrefix}${path.slice(upstreamPrefix.length)}`;
        for (const method of methodsOf(route, METHODS)) {
          const operation = item[method] as Operation | undefined;
          if (!operation) continue;
          put(publicPath, method, forwarded(route, publicPath, operation));
          described++;
        }
      }
      // Without the upstream's document the route is still listed, as the catch-all it is.
      if (described === 0)
        for (const method of methodsOf(route, ['get', 'post', 'put', 'patch', 'delete']))
          put(routed.path, method, forwarded(route, routed.path, undefined));
      continue;
    }
    const item = servicePaths[toOpenApiPath(upstream)] ?? {};
    const methods = methodsOf(
      route,
      METHODS.filter((method) => item[method] !== undefined),
    );
    for (const method of methods.length > 0 ? methods : ['get'])
      put(routed.path, method, forwarded(route, routed.path, item[method] as Operation | undefined));
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Tributary API (through the gateway)',
      version: input.gateway.info.version,
      description: 'Every route the gateway serves or forwards, under the paths clients call.',
    },
    servers: [{ url: input.serverUrl, description: 'The gateway' }],
    tags: [
      ...(input.gateway.tags ?? []),
      ...[...input.services.keys()].map((name) => ({ name, description: `Forwarded to the ${name} service` })),
    ],
    paths,
    components: { schemas, securitySchemes: { ...gatewaySecuritySchemes } },
    security: edgeSecurity(null),
  };
}
