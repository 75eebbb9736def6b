import type { FastifyRequest } from 'fastify';
import { guardedAccess, signedAccess, type AccessRule } from '@tributary/platform/http';
import { ProcessingError } from './errors.js';

/**
 * Who may call what in processing. Its callers are signed peers: the orders service's central
 * proxy and dispatch (acting for an MTP user, whose roles travel in the signed identity) and
 * the gateway. What a user may do to one element (a trader transition) is decided per element
 * by the feature, from those roles; event delivery is for the configured deliverers only.
 */
export const ACCESS = {
  /** Any signed peer; the feature applies the user's roles where an element needs them. */
  peer: signedAccess,
  /** The principals allowed to deliver the orders service's events (PROCESSING_EVENT_DELIVERERS). */
  eventDelivery(deliverers: ReadonlySet<string>): AccessRule {
    return guardedAccess([], async (request: FastifyRequest) => {
      const principal = request.identity?.principal ?? '';
      if (!deliverers.has(principal)) throw ProcessingError.EVENT_DELIVERER_FORBIDDEN(`${principal || 'this caller'} may not deliver events`);
    });
  },
} as const;
