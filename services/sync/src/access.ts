import { guardedAccess, ownCredentialAccess, publicAccess, signedAccess } from '@tributary/platform/http';
import { SyncError } from './errors.js';

/**
 * Roles (from the gateway's signed identity headers) that may ask sync to do work on their behalf:
 * the machine integrations and the platform's administrators. A peer signing as itself with no
 * user carries no role, so it is refused too: deny by default.
 */
export const REQUEST_ROLES = ['integration', 'administrator'] as const;

const integration = guardedAccess(REQUEST_ROLES, async (request) => {
  const roles = request.identity?.roles ?? [];
  if (!REQUEST_ROLES.some((role) => roles.includes(role))) {
    throw SyncError.SYNC_ROLE_FORBIDDEN(`This operation needs one of: ${REQUEST_ROLES.join(', ')}`, {
      details: { allowed: REQUEST_ROLES },
    });
  }
});

/** Sync's scheduled jobs and notification channels are the platform's upkeep: administrators only. */
export const JOB_ROLES = ['administrator'] as const;

const administrator = guardedAccess(JOB_ROLES, async (request) => {
  const roles = request.identity?.roles ?? [];
  if (!JOB_ROLES.some((role) => roles.includes(role))) {
    throw SyncError.SYNC_ROLE_FORBIDDEN(`This operation needs one of: ${JOB_ROLES.join(', ')}`, { details: { allowed: JOB_ROLES } });
  }
});

/**
 * Who may call what in sync. Its API is for signed peers and operators' tools (through the
 * gateway, which signs); external systems push webhooks, which carry the HMAC of their body
 * with the source's own secret instead of a signature.
 */
export const ACCESS = {
  peer: signedAccess,
  integration,
  administrator,
  /** Reading notification channels (never their secrets): integrations too, to see where alerts go. */
  notificationsRead: integration,
  notificationsAdmin: administrator,
  alertmanager: ownCredentialAccess(
    'Alertmanager sends a bearer token (ALERTMANAGER_TOKEN), compared in constant time before the body is validated or used',
  ),
  webhook: ownCredentialAccess("the HMAC-SHA256 of the raw body with the source's own secret, checked before the body is read"),
  webhookSources: publicAccess('names the configured sources, which external senders need; no secret or event'),
  health: publicAccess('the original service answered /health unauthenticated; only readiness facts, no data'),
  index: publicAccess('lists the endpoint paths, as the original service did; no data'),
} as const;
