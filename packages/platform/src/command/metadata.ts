import type { EventActor, EventMetadata } from '../core/events.js';

export { EventActor, EventMetadata } from '../core/events.js';

/**
 * The stored form of event metadata (the outbox's `metadata` column, the feed, sync's event
 * log). It stays flat because rows written before the typed metadata name the actor as a
 * string under `actor` (orders, erp) or `user`/`principal` (processing), and readers of those
 * rows must keep working: the typed actor is written as the same flat keys plus `actorType`.
 */
export type StoredEventMetadata = Record<string, unknown>;

export function toStoredMetadata(metadata: EventMetadata): StoredEventMetadata {
  const { actor } = metadata;
  return {
    ...(metadata.requestId !== undefined ? { requestId: metadata.requestId } : {}),
    ...(metadata.traceparent !== undefined ? { traceparent: metadata.traceparent } : {}),
    actor: actor.id,
    actorType: actor.type,
    ...(actor.type === 'user' ? { user: actor.id } : {}),
    ...(actor.principal !== undefined ? { principal: actor.principal } : actor.type === 'service' ? { principal: actor.id } : {}),
  };
}

const ACTOR_TYPES = new Set<EventActor['type']>(['user', 'service', 'system', 'anonymous']);
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Reads stored metadata of any age back into the typed form; undefined when it names no one.
 * Old rows: `actor` (a string), or `user` with the signing `principal`, or only a `principal`.
 */
export function readEventMetadata(stored: unknown): EventMetadata | undefined {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined;
  const record = stored as Record<string, unknown>;
  const actor = readActor(record);
  if (!actor) return undefined;
  const metadata: EventMetadata = { actor };
  if (typeof record.requestId === 'string' && record.requestId !== '' && record.requestId.length <= 128)
    metadata.requestId = record.requestId;
  if (typeof record.traceparent === 'string' && TRACEPARENT.test(record.traceparent)) metadata.traceparent = record.traceparent;
  return metadata;
}

function readActor(record: Record<string, unknown>): EventActor | undefined {
  const text = (key: string) => (typeof record[key] === 'string' && record[key] !== '' ? (record[key] as string) : undefined);
  const principal = text('principal');
  if (typeof record.actor === 'object' && record.actor !== null) {
    const nested = record.actor as Record<string, unknown>;
    if (typeof nested.id === 'string' && nested.id !== '' && ACTOR_TYPES.has(nested.type as EventActor['type'])) {
      return {
        type: nested.type as EventActor['type'],
        id: nested.id,
        ...(typeof nested.principal === 'string' ? { principal: nested.principal } : {}),
      };
    }
  }
  const user = text('user');
  const id = user ?? text('actor') ?? principal;
  if (id === undefined) return undefined;
  const declared = text('actorType') as EventActor['type'] | undefined;
  const type = declared && ACTOR_TYPES.has(declared) ? declared : user !== undefined ? 'user' : id === principal ? 'service' : 'user';
  return { type, id, ...(principal !== undefined && principal !== id ? { principal } : {}) };
}
