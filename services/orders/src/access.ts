import type { FastifyRequest } from 'fastify';
import { guardedAccess, signedAccess, type AccessRule } from '@tributary/platform/http';
import type { OrdersConfig } from './config.js';
import { MTP_GROUPS, type MtpGroup } from './domain.js';
import { OrdersError } from './errors.js';

/**
 * Who may call what: the permission matrix of the original (one MTP group per user), read
 * from the signed identity. `SERVICE` stands for a trusted peer service acting as the
 * Central-Handler (it calls with its own signature and no user group). Event delivery is the
 * kernel inbox's, for `ORDERS_EVENT_DELIVERERS` only.
 */
export type Access = MtpGroup | 'SERVICE' | 'RECONCILER';

export interface Caller {
  /** The user, or the signing service when no user is named. */
  actor: string;
  grants: ReadonlySet<Access>;
}

export const ROUTE_ACCESS = {
  listPlans: ['GRANDPASS-ADMIN', 'GRANDPASS-OFFICER'],
  uploadPlan: ['GRANDPASS-ADMIN'],
  deletePlan: ['GRANDPASS-ADMIN'],
  listOrders: ['GRANDPASS-OFFICER', 'GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'SEEDUWA-ADMIN', 'GRANDPASS-GATEPASS', 'SERVICE'],
  createOrders: ['GRANDPASS-OFFICER'],
  changeShipment: ['SEEDUWA-OFFICER', 'SERVICE'],
  // Finer: which status each may post is checked per element (STATUS_ACCESS).
  postEvents: ['GRANDPASS-SUPERVISOR', 'SEEDUWA-OFFICER', 'GRANDPASS-GATEPASS', 'TRADER-OFFICER', 'TRADER-SUPERVISOR', 'SERVICE'],
  listSchedules: ['GRANDPASS-OFFICER', 'GRANDPASS-DEV-MACHINE'],
  createSchedules: ['GRANDPASS-OFFICER'],
  completeSchedules: ['GRANDPASS-DEV-MACHINE'],
  listUsers: ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN'],
  manageUsers: ['MASTER-ADMIN'],
  listGroups: ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN'],
  // Passed through to processing (the original trader- and barcode-handler lambdas).
  listTrader: ['TRADER-OFFICER', 'TRADER-SUPERVISOR', 'SEEDUWA-OFFICER'],
  setTrader: ['TRADER-OFFICER', 'TRADER-SUPERVISOR', 'SEEDUWA-OFFICER'],
  listShipmentRecords: ['SEEDUWA-ADMIN', 'GRANDPASS-GATEPASS', 'GRANDPASS-DEV-MACHINE'],
  allocateShipmentRecords: ['SEEDUWA-OFFICER'],
  listParcels: ['GRANDPASS-DEV-MACHINE'],
  allocateParcels: ['GRANDPASS-DEV-MACHINE'],
  // Any MTP group: processing applies its own rules to each /app/* endpoint.
  central: [...MTP_GROUPS, 'SERVICE'],
  // Reconciliation reads (processing's run, the CLI).
  reconcile: ['SERVICE', 'RECONCILER'],
  // Processing's traceability lookup of the shipments and schedules a lot reached (ADR 0203).
  trace: ['SERVICE'],
} as const satisfies Record<string, readonly Access[]>;
export type RouteAccess = keyof typeof ROUTE_ACCESS;

/**
 * Aggregate counts with no order, person or quantity in them (the console's pipeline
 * dashboard, read by the gateway with its own signature): any signed peer may read them.
 */
export const peerRead: AccessRule = signedAccess;

/** Which caller may post which shipment status (reference §7.6). */
export const STATUS_ACCESS: Record<string, readonly Access[]> = {
  APPROVAL_ALLOWED: ['GRANDPASS-SUPERVISOR'],
  APPROVAL_BLOCKED: ['GRANDPASS-SUPERVISOR'],
  ORDER_READY: ['SEEDUWA-OFFICER'],
  ORDER_NOT_READY: ['SEEDUWA-OFFICER'],
  SHIPMENT_DISPATCHED: ['SERVICE'],
  TRADER_BLOCKED: ['SERVICE', 'TRADER-OFFICER', 'TRADER-SUPERVISOR'],
  SHIPMENT_ACCEPTED: ['GRANDPASS-GATEPASS'],
};

export function callerOf(request: FastifyRequest, config: OrdersConfig): Caller {
  const identity = request.identity;
  if (!identity) throw OrdersError.AUTH_REQUIRED('This route needs a signed request');
  const grants = new Set<Access>(identity.roles as Access[]);
  if (config.trustedServices.has(identity.principal)) grants.add('SERVICE');
  if (config.reconcilers.has(identity.principal)) grants.add('RECONCILER');
  return { actor: identity.user ?? identity.principal, grants };
}

export function hasAny(caller: Caller, allowed: readonly Access[]): boolean {
  return allowed.some((access) => caller.grants.has(access));
}

/** A route's `config.access`: the kernel runs it before the body is validated or anything runs. */
export function guard(config: OrdersConfig, route: RouteAccess): AccessRule {
  const allowed = ROUTE_ACCESS[route];
  return guardedAccess(allowed, async (request: FastifyRequest): Promise<void> => {
    const caller = callerOf(request, config);
    if (!hasAny(caller, allowed)) {
      throw OrdersError.ROLE_FORBIDDEN(`This operation needs one of: ${allowed.join(', ')}`, { details: { allowed } });
    }
  });
}
