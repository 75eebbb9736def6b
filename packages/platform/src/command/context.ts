import type { FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { uuid } from '../core/ids.js';
import { formatTraceparent, parseTraceparent } from '../http/trace-context.js';
import { randomBytes } from 'node:crypto';
import type { EventActor, EventMetadata } from './metadata.js';

/**
 * Everything a write needs to know about why it happens, built once at the edge: who acts,
 * which request and trace it belongs to, and the time the command is taken at.
 */
export interface CommandContext {
  actor: EventActor;
  requestId: string;
  /** This hop's traceparent: the trace id of the caller, this request's span as the parent. */
  traceparent: string;
  tracestate?: string;
  /** UTC epoch ms, read once so every row of one command carries the same time. */
  now: number;
}

/** The acting user named by the signed identity, else the signing service, else no one. */
export function actorOfRequest(request: FastifyRequest): EventActor {
  const identity = request.identity;
  if (identity?.user) return { type: 'user', id: identity.user, principal: identity.principal };
  if (identity?.principal) return { type: 'service', id: identity.principal };
  return { type: 'anonymous', id: 'anonymous' };
}

export function commandContextOf(request: FastifyRequest, clock: Clock, actor: EventActor = actorOfRequest(request)): CommandContext {
  return {
    actor,
    requestId: String(request.id),
    traceparent: request.trace.traceparent,
    ...(request.trace.tracestate !== undefined ? { tracestate: request.trace.tracestate } : {}),
    now: clock.now(),
  };
}

/**
 * For work no request asked for (schedules, seeds, start-up repairs): a system actor and a
 * new trace, so its events still correlate with the job's own log lines.
 */
export function systemCommandContext(job: string, clock: Clock): CommandContext {
  const traceparent = formatTraceparent({ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), flags: '00' });
  return { actor: { type: 'system', id: job }, requestId: uuid(), traceparent, now: clock.now() };
}

export function metadataOf(context: Pick<CommandContext, 'actor' | 'requestId' | 'traceparent'>): EventMetadata {
  return { requestId: context.requestId, traceparent: context.traceparent, actor: context.actor };
}

/** The trace id inside a traceparent, for logs and for comparing hops. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return parseTraceparent(traceparent)?.traceId;
}
