import type { FastifyReply, FastifyRequest } from 'fastify';
import { requireUser } from '../../edge/client-auth.js';
import { applyLimits, authenticateAtEdge } from '../../edge/limits.js';
import { GatewayError } from '../../errors.js';
import type { GatewayRuntime } from '../../runtime.js';
import { SUPER_ROLE } from '../routing/access.js';

export const ADMIN_ROLES = [SUPER_ROLE, 'MASTER-ADMIN'];

export interface AdminCaller {
  userId: string;
  roles: readonly string[];
}

export async function requireAdminCaller(runtime: GatewayRuntime, request: FastifyRequest, reply: FastifyReply): Promise<AdminCaller> {
  const consumer = await authenticateAtEdge(runtime, request, reply);
  request.edge.consumer = consumer;
  requireUser(consumer);
  await applyLimits(runtime, request, reply, consumer);
  if (!consumer.roles.some((role) => ADMIN_ROLES.includes(role))) throw GatewayError.ROLE_ACCESS_DENIED('The admin API needs the administrator role');
  if (consumer.scopes && !consumer.scopes.some((scope) => scope === '*' || scope === 'admin:*')) {
    throw GatewayError.SCOPE_ACCESS_DENIED('The credential lacks the admin scope');
  }
  return { userId: consumer.userId, roles: consumer.roles };
}

export async function requireAdmin(runtime: GatewayRuntime, request: FastifyRequest, reply: FastifyReply): Promise<string> {
  return (await requireAdminCaller(runtime, request, reply)).userId;
}

/**
 * Routes carry roles and decide what reaches every service, so only the top role changes
 * them: a MASTER-ADMIN route to erp would otherwise be a way into the confectionery. The
 * audit log spans every tenant, so it is the top role's too.
 */
export async function requireSuperAdmin(runtime: GatewayRuntime, request: FastifyRequest, reply: FastifyReply): Promise<string> {
  const caller = await requireAdminCaller(runtime, request, reply);
  if (!caller.roles.includes(SUPER_ROLE)) throw GatewayError.ROLE_ESCALATION_DENIED('Only the administrator role may do this (routes, signing keys, the audit log)');
  return caller.userId;
}
