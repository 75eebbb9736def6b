import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireUser } from '../../edge/client-auth.js';
import { applyLimits, authenticateAtEdge, type EdgeAuthDeps } from '../../edge/limits.js';
import { GatewayError } from '../../errors.js';
import { SUPER_ROLE } from '../routing/access.js';

export const ADMIN_ROLES = [SUPER_ROLE, 'MASTER-ADMIN'];

export interface AdminCaller {
  userId: string;
  roles: readonly string[];
}

/** Authenticates at the edge, applies the caller's limits, and admits admin roles holding the admin scope. */
export async function requireAdminCaller(deps: EdgeAuthDeps, request: FastifyRequest, reply: FastifyReply): Promise<AdminCaller> {
  const consumer = await authenticateAtEdge(deps, request, reply);
  request.edge.consumer = consumer;
  requireUser(consumer);
  await applyLimits(deps, request, reply, consumer);
  if (!consumer.roles.some((role) => ADMIN_ROLES.includes(role)))
    throw GatewayError.ROLE_ACCESS_DENIED('The admin API needs the administrator role');
  if (consumer.scopes && !consumer.scopes.some((scope) => scope === '*' || scope === 'admin:*')) {
    throw GatewayError.SCOPE_ACCESS_DENIED('The credential lacks the admin scope');
  }
  return { userId: consumer.userId, roles: consumer.roles };
}
