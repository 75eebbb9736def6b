import { guardedAccess, signedAccess, type AccessRule } from '@tributary/platform/http';
import type { FastifyRequest } from 'fastify';
import { ProcessingError } from './errors.js';

/**
 * Who may call what in processing. Its callers are signed peers: the orders service's central
 * proxy and dispatch (acting for an MTP user, whose roles travel in the signed identity) and
 * the gateway. What a user may do to one element (a trader transition) is decided per element
 * by the feature, from those roles; event delivery is the kernel inbox's, for the configured deliverers only.
 */
export const ACCESS = {
  /** Any signed peer; the feature applies the user's roles where an element needs them. */
  peer: signedAccess,
} as const;

const ADMINS = ['MASTER-ADMIN', 'GRANDPASS-ADMIN', 'SEEDUWA-ADMIN'] as const;

/**
 * Stored MTP reconciliation reports (ADR 0601): the administrators and the two office roles
 * that already read shipments and their allocations read them; only administrators start a
 * run by hand, since a run reads every shipment and allocation of both services.
 */
export const RECONCILE_READERS = [...ADMINS, 'SEEDUWA-OFFICER', 'GRANDPASS-OFFICER'] as const;
export const RECONCILE_RUNNERS = ADMINS;

/**
 * A user with one of `roles`, or a signing service named in `principals` calling without a user
 * (the CLI, an operator's script). Anyone else is refused before the request is looked at.
 */
export function reconcileAccess(roles: readonly string[], principals: ReadonlySet<string>): AccessRule {
  return guardedAccess(roles, async (request: FastifyRequest): Promise<void> => {
    const identity = request.identity;
    if (!identity) throw ProcessingError.RECONCILE_AUTH_REQUIRED('Reconciliation reports need a signed request');
    if (identity.user === undefined && principals.has(identity.principal)) return;
    if (identity.user !== undefined && identity.roles.some((role) => roles.includes(role))) return;
    throw ProcessingError.RECONCILE_ROLE_FORBIDDEN(`This needs one of: ${roles.join(', ')}`, { details: { allowed: [...roles] } });
  });
}
