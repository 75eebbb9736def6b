import type { FastifyRequest } from 'fastify';
import { bothAccess, guardedAccess, requiresRouteAccess, type AccessRule, type HttpApp } from '@tributary/platform/http';
import type { ErpConfig } from './config.js';
import { ErpError } from './errors.js';

/**
 * Who may call what in erp (least privilege; ADR 0306). Roles arrive from the gateway in the
 * signed identity: `manager` runs the business, `analyst` reads, `integration` is the machine
 * flows (order side pushing metrics and consumptions, price quotes), `administrator` is the
 * platform's super role. `SERVICE` stands for a peer signing as itself with no user
 * (ERP_TRUSTED_SERVICES), `EVENT_READER` for the peers that collect erp's outbox (the sync
 * service), `PRIVACY` for the principal that exports and erases a person's data (the gateway,
 * acting as itself: PRIVACY_CALLERS).
 */
export type Access = 'manager' | 'analyst' | 'integration' | 'administrator' | 'SERVICE' | 'EVENT_READER' | 'PRIVACY';

const EVERY_READER = ['manager', 'analyst', 'integration', 'administrator', 'SERVICE'] as const;

export const ROUTE_ACCESS = {
  read: EVERY_READER,
  // Masters are kept by the business and by the ERPNext integration.
  writeMasters: ['manager', 'integration', 'administrator', 'SERVICE'],
  // Segments, assignments, territories, pricing rules, batches and their ledger.
  writeBusiness: ['manager', 'administrator'],
  // Machine flows: computed or pushed from elsewhere, idempotent, no judgement involved.
  machineFlows: ['manager', 'integration', 'administrator', 'SERVICE'],
  internalEvents: ['EVENT_READER'],
  privacy: ['PRIVACY'],
} as const satisfies Record<string, readonly Access[]>;
export type RouteAccess = keyof typeof ROUTE_ACCESS;

/** Routes that need no signature at all (the kernel serves them). */
export const PUBLIC = 'PUBLIC';

/**
 * Every route's rule, by `METHOD path` exactly as registered. A route missing here is refused
 * for everyone (deny by default) and fails the route-coverage test.
 */
export const ROUTES: Record<string, RouteAccess> = {
  'GET /customers': 'read',
  'GET /customers/:name': 'read',
  'POST /customers': 'writeMasters',
  'PATCH /customers/:name': 'writeMasters',
  'GET /items': 'read',
  'GET /items/:name': 'read',
  'POST /items': 'writeMasters',
  'PATCH /items/:name': 'writeMasters',
  'GET /warehouses': 'read',
  'GET /warehouses/:name': 'read',
  'POST /warehouses': 'writeMasters',
  'PATCH /warehouses/:name': 'writeMasters',

  'GET /segments': 'read',
  'GET /segments/:name': 'read',
  'POST /segments': 'writeBusiness',
  'PATCH /segments/:name': 'writeBusiness',
  'POST /segments/:name/auto-assign': 'writeBusiness',
  'POST /segments/review': 'machineFlows',
  'GET /customers/:name/segments': 'read',
  'GET /customers/:name/segments/primary': 'read',
  'POST /customers/:name/segments': 'writeBusiness',
  'POST /customers/:name/segments/:child/end': 'writeBusiness',
  'PUT /customers/:name/metrics': 'machineFlows',
  'GET /customers/:name/territories': 'read',
  'POST /customers/:name/territories': 'writeBusiness',
  'POST /customers/:name/territories/:child/end': 'writeBusiness',

  'GET /batches': 'read',
  'GET /batches/expiring': 'read',
  'GET /batches/:name': 'read',
  'GET /batches/:name/movements': 'read',
  'GET /batches/:name/ledger-check': 'read',
  'POST /batches': 'writeBusiness',
  'PATCH /batches/:name': 'writeBusiness',
  'POST /batches/:name/status': 'writeBusiness',
  'POST /batches/:name/receipts': 'writeBusiness',
  'POST /batches/:name/adjustments': 'writeBusiness',
  'POST /batches/:name/transfer': 'writeBusiness',
  'POST /movements/:name/reverse': 'writeBusiness',
  'POST /batches/expiry-scan': 'machineFlows',
  // Picking writes nothing, but it reveals stock by batch to whoever plans a dispatch.
  'POST /stock/pick': 'machineFlows',
  'POST /stock/consume': 'machineFlows',
  'POST /stock/transfer': 'writeBusiness',
  'GET /stock/optimisation': 'read',
  'POST /stock/optimisation': 'machineFlows',

  'GET /pricing/rules': 'read',
  'GET /pricing/rules/:name': 'read',
  'GET /pricing/rules/:name/analytics': 'read',
  'POST /pricing/rules': 'writeBusiness',
  'PATCH /pricing/rules/:name': 'writeBusiness',
  'POST /pricing/rules/:name/deactivate': 'writeBusiness',
  'POST /pricing/calculate': 'machineFlows',

  'GET /internal/outbox': 'internalEvents',
  'GET /internal/privacy/export': 'privacy',
  'POST /internal/privacy/erase': 'privacy',
};

export interface Caller {
  actor: string;
  grants: ReadonlySet<Access>;
}

export function callerOf(request: FastifyRequest, config: ErpConfig): Caller {
  const identity = request.identity;
  if (!identity) throw ErpError.AUTH_REQUIRED('This route needs a signed request');
  const grants = new Set<Access>(identity.roles as Access[]);
  // A peer acting as itself names no user; a user's call through a peer keeps the user's roles only.
  if (identity.user === undefined && trusted(config.ERP_TRUSTED_SERVICES ?? '').has(identity.principal)) grants.add('SERVICE');
  if (trusted(config.ERP_EVENT_READERS ?? 'sync').has(identity.principal)) grants.add('EVENT_READER');
  // Never for a user's request the gateway relays: only the gateway acting as itself.
  if (identity.user === undefined && trusted(config.PRIVACY_CALLERS ?? 'gateway').has(identity.principal)) grants.add('PRIVACY');
  return { actor: identity.user ?? identity.principal, grants };
}

function trusted(list: string): Set<string> {
  return new Set(
    list
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== ''),
  );
}

/** A route's access rule: the kernel runs it before the body is validated or anything runs. */
export function guard(config: ErpConfig, route: RouteAccess): AccessRule {
  const allowed: readonly Access[] = ROUTE_ACCESS[route];
  return guardedAccess(allowed, async (request: FastifyRequest): Promise<void> => {
    const caller = callerOf(request, config);
    if (!allowed.some((access) => caller.grants.has(access))) {
      throw ErpError.ROLE_FORBIDDEN(`This operation needs one of: ${allowed.join(', ')}`, { details: { allowed } });
    }
  });
}

const declaredByApp = new WeakMap<object, Map<string, RouteAccess | undefined>>();

/** The rule each route of an app got (`undefined`: undeclared, refused for everyone). */
export function routeAccessOf(app: object): ReadonlyMap<string, RouteAccess | undefined> {
  return declaredByApp.get(app) ?? new Map();
}

const refuseUndeclared = (key: string): AccessRule =>
  guardedAccess([], async () => {
    throw ErpError.ROUTE_ACCESS_UNDECLARED(`${key} has no declared access rule`);
  });

/**
 * Gives each route its rule from ROUTES as it is registered (so it must run before the
 * features register their routes): erp keeps its whole matrix in one table, which the role ×
 * route test walks. A rule the route already carries (the kernel's privacy check) is kept and
 * must pass too. In an app that requires declarations a route missing from the table stays
 * undeclared, so the app refuses to start; elsewhere it is refused to everyone. Routes the
 * kernel registered earlier (health, metrics, OpenAPI, docs) declare their own rules.
 */
export function installAccessControl(app: HttpApp, config: ErpConfig): Map<string, RouteAccess | undefined> {
  const declared = new Map<string, RouteAccess | undefined>();
  declaredByApp.set(app, declared);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // Fastify's automatic HEAD route runs the GET handler: it gets the GET route's rule.
      const key = `${method === 'HEAD' ? 'GET' : method} ${route.url}`;
      const rule = Object.hasOwn(ROUTES, key) ? ROUTES[key] : undefined;
      if (method !== 'HEAD' || !declared.has(key)) declared.set(key, rule);
      const own = route.config?.access;
      const access = rule
        ? own
          ? bothAccess(guard(config, rule), own)
          : guard(config, rule)
        : requiresRouteAccess(app)
          ? own
          : refuseUndeclared(key);
      if (access) route.config = { ...route.config, access };
    }
  });
  return declared;
}
