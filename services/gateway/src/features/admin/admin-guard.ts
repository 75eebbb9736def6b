import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '@tributary/platform/core';
import { authenticateClient, requireUser } from '../../edge/client-auth.js';
import { applyLimits } from '../../edge/limits.js';
import { GatewayError } from '../../errors.js';
import type { GatewayRuntime } from '../../runtime.js';

export const ADMIN_ROLES = ['administrator', 'MASTER-ADMIN'];

export async function requireAdmin(runtime: GatewayRuntime, request: FastifyRequest, reply: FastifyReply): Promise<string> {
  const consumer = await authenticateClient(runtime, request);
  request.edge.consumer = consumer;
  requireUser(consumer);
  await applyLimits(runtime, request, reply, consumer);
  if (!consumer.roles.some((role) => ADMIN_ROLES.includes(role))) throw forbidden(GatewayError.RoleDenied, 'The admin API needs the administrator role');
  if (consumer.scopes && !consumer.scopes.some((scope) => scope === '*' || scope === 'admin:*')) {
    throw forbidden(GatewayError.ScopeDenied, 'The credential lacks the admin scope');
  }
  return consumer.userId;
}
