import type { FastifyReply, FastifyRequest } from 'fastify';
import { guardedAccess, publicAccess, type AccessRule } from '@tributary/platform/http';
import { requireUser } from './edge/client-auth.js';
import type { Consumer } from './edge/consumer.js';
import { applyLimits, authenticateAtEdge, type EdgeAuthDeps } from './edge/limits.js';
import { GatewayError } from './errors.js';
import { ADMIN_ROLES, requireAdminCaller, type AdminCaller } from './features/admin/admin-guard.js';
import { SUPER_ROLE } from './features/routing/access.js';

/** Export and erasure of personal data across every service: the platform administrator only. */
export const PRIVACY_ROLE = SUPER_ROLE;

/**
 * Who may call the gateway's own routes, declared on each route and run by the kernel's access
 * hook before the body is validated. The gateway's callers are clients (a bearer token, an API
 * key or a client SigV4 signature), so each check authenticates at the edge, applies the
 * caller's rate limit and records who called for the audit log; the admin routes' handlers read
 * the caller back with `adminOf`. Proxied paths are not decided here: each row of
 * service_routes carries its roles and the edge pipeline enforces them.
 */
export function gatewayAccess(deps: EdgeAuthDeps) {
  const admin = (extra: (caller: AdminCaller) => void) => async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = await requireAdminCaller(deps, request, reply);
    extra(caller);
    request.edge.admin = caller;
  };
  return {
    public: (reason: string): AccessRule => publicAccess(reason),
    /** Any active user with a token or key (their own profile, password, logout). */
    user: guardedAccess([], async (request, reply) => {
      const consumer = await authenticateAtEdge(deps, request, reply);
      request.edge.consumer = consumer;
      requireUser(consumer);
      await applyLimits(deps, request, reply, consumer);
    }),
    /** The admin API: users, keys, reading routes. */
    admin: guardedAccess(
      ADMIN_ROLES,
      admin(() => undefined),
    ),
    /**
     * Routes carry roles and decide what reaches every service, so only the top role changes
     * them; the audit log spans every tenant, so it is the top role's too.
     */
    superAdmin: guardedAccess(
      [SUPER_ROLE],
      admin((caller) => {
        if (!caller.roles.includes(SUPER_ROLE))
          throw GatewayError.ROLE_ESCALATION_DENIED('Only the administrator role may do this (routes, signing keys, the audit log)');
      }),
    ),
    privacyAdmin: guardedAccess(
      [PRIVACY_ROLE],
      admin((caller) => {
        if (!caller.roles.includes(PRIVACY_ROLE))
          throw GatewayError.ROLE_ACCESS_DENIED(`Personal data export and erasure need the ${PRIVACY_ROLE} role`);
      }),
    ),
  };
}
export type GatewayAccess = ReturnType<typeof gatewayAccess>;

/** The admin the route's access rule admitted; only reachable behind `admin`, `superAdmin` or `privacyAdmin`. */
export function adminOf(request: FastifyRequest): AdminCaller {
  const caller = request.edge.admin;
  if (!caller)
    throw new Error(`${request.method} ${request.routeOptions.url} reads the admin caller but its access rule is not an admin rule`);
  return caller;
}

/** The user the `user` rule admitted. */
export function userOf(request: FastifyRequest): Consumer & { userId: string } {
  const consumer = request.edge.consumer;
  requireUser(consumer);
  return consumer;
}
