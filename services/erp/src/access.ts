import type { FastifyRequest, FastifySchema } from 'fastify';
import { nameSet } from '@tributary/platform/core';
import { guardedAccess, routeAccessList, routeOptionsFor, type AccessRule } from '@tributary/platform/http';
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
  // Sales orders: the business and the order side's integration place and cancel them.
  writeOrders: ['manager', 'integration', 'administrator', 'SERVICE'],
  // Revenue and discount reports: people who run or study the business, not machine callers.
  reports: ['manager', 'analyst', 'administrator'],
  // Partition upkeep drops old history: only the people accountable for it run it by hand.
  maintenance: ['manager', 'administrator'],
  // Scheduled jobs: see them, their history, and run one now (the same work as the endpoints above).
  jobs: ['manager', 'administrator'],
  internalEvents: ['EVENT_READER'],
  privacy: ['PRIVACY'],
} as const satisfies Record<string, readonly Access[]>;
export type RouteAccess = keyof typeof ROUTE_ACCESS;

export interface Caller {
  actor: string;
  grants: ReadonlySet<Access>;
}

export function callerOf(request: FastifyRequest, config: ErpConfig): Caller {
  const identity = request.identity;
  if (!identity) throw ErpError.AUTH_REQUIRED('This route needs a signed request');
  const grants = new Set<Access>(identity.roles as Access[]);
  // A peer acting as itself names no user; a user's call through a peer keeps the user's roles only.
  if (identity.user === undefined && nameSet(config.ERP_TRUSTED_SERVICES ?? '').has(identity.principal)) grants.add('SERVICE');
  if (nameSet(config.ERP_EVENT_READERS ?? 'sync').has(identity.principal)) grants.add('EVENT_READER');
  // Never for a user's request the gateway relays: only the gateway acting as itself.
  if (identity.user === undefined && nameSet(config.PRIVACY_CALLERS ?? 'gateway').has(identity.principal)) grants.add('PRIVACY');
  return { actor: identity.user ?? identity.principal, grants };
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

/** A feature's route options: each route names its ROUTE_ACCESS rule, then its summary and schema. */
export function erpRouteOptions(config: ErpConfig, tags: readonly string[]) {
  const options = routeOptionsFor(tags);
  return <S extends FastifySchema>(rule: RouteAccess, summary: string, schema: S) => options(guard(config, rule), summary, schema);
}

/**
 * The rule each route of an app declares, by `METHOD path` as registered (`undefined`: none):
 * a guard built by `guard()` is named by its ROUTE_ACCESS entry, which the role × route test
 * walks. Fastify's automatic HEAD routes copy their GET route's config, and the kernel's probes
 * and docs (public, or checking their own credential) are not erp's matrix: both are left out.
 */
export function routeAccessOf(app: object): ReadonlyMap<string, RouteAccess | undefined> {
  const declared = new Map<string, RouteAccess | undefined>();
  for (const route of routeAccessList(app)) {
    if (route.method === 'HEAD' || route.access?.kind === 'public' || route.access?.kind === 'own-credential') continue;
    declared.set(`${route.method} ${route.url}`, route.access && ruleName(route.access));
  }
  return declared;
}

function ruleName(rule: AccessRule): RouteAccess | undefined {
  if (rule.kind !== 'guard') return undefined;
  // guard() hands ROUTE_ACCESS's own list to the rule (bothAccess keeps the first rule's), so identity names it.
  return (Object.keys(ROUTE_ACCESS) as RouteAccess[]).find((name) => ROUTE_ACCESS[name] === rule.roles);
}
