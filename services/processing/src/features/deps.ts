import type { Clock, Logger } from '@tributary/platform/core';
import type { Kysely } from '@tributary/platform/db';
import type { FastifyRequest } from 'fastify';
import type { ProcessingDb } from '../db/schema.js';
import type { EventActor } from '../events.js';

/** What every feature needs; built once in app.ts. */
export interface FeatureDeps {
  db: Kysely<ProcessingDb>;
  clock: Clock;
  logger: Logger;
  /** Called after a commit that wrote events, so outbox long-polls answer at once. */
  eventsCommitted(): void;
}

export function actorOf(request: FastifyRequest): EventActor {
  return {
    requestId: String(request.id),
    ...(request.identity?.user ? { user: request.identity.user } : {}),
    ...(request.identity?.principal ? { principal: request.identity.principal } : {}),
  };
}
