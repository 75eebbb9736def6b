import type { FastifyRequest } from 'fastify';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { commandContextOf, type CommandContext } from '../command/context.js';
import { runCommand } from '../command/run.js';
import type { Clock } from '../core/clock.js';
import { defineErrors } from '../core/errors.js';
import { errorResponseSchema } from '../http/error-response.js';
import { guardedAccess } from '../http/access.js';
import type { HttpServerInstance } from '../http/types.js';
import { EventAck, EventEnvelope, INTERNAL_EVENTS_PATH } from './envelope.js';
import { asTables, type AnyKysely } from '../db/schema.js';
import { INBOX_TABLE, type OutboxTables } from './migrations.js';

export type ApplyOnceResult<T> = { applied: true; result: T } | { applied: false };

/**
 * Runs `fn` only if `eventId` was never applied before, recording it in the same transaction
 * as the change. Delivery is at least once; this makes the effect exactly once. A concurrent
 * duplicate waits on the primary key and then finds the row, so it too is skipped.
 */
export async function applyOnce<T>(
  db: AnyKysely,
  eventId: string,
  fn: () => Promise<T>,
  options: { source?: string; now?: () => number } = {},
): Promise<ApplyOnceResult<T>> {
  const trx = asTables<OutboxTables>(db);
  const row = { event_id: eventId, source: options.source ?? 'unknown', applied_at: (options.now ?? Date.now)() };
  const isMysql = !trx.getExecutor().adapter.supportsReturning;
  const insert = isMysql
    ? trx.insertInto(INBOX_TABLE).ignore().values(row)
    : trx
        .insertInto(INBOX_TABLE)
        .values(row)
        .onConflict((conflict) => conflict.column('event_id').doNothing());
  const result = await insert.executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 0) return { applied: false };
  return { applied: true, result: await fn() };
}

/**
 * PostgreSQL: `applyOnce` in one statement, so in one round trip and (outside a transaction) its
 * own commit. The inbox row is inserted in a CTE named `claimed`, holding the event id when this
 * is its first application and nothing for a duplicate; `effect` is one data-modifying statement
 * that takes its rows from `claimed` (`insert into … select … from claimed`), so a duplicate
 * changes nothing. The guarantee is applyOnce's: the inbox row commits with the effect, and a
 * concurrent duplicate waits on the inbox key and then finds the row.
 */
export async function applyOnceStatement(
  db: AnyKysely,
  eventId: string,
  effect: RawBuilder<unknown>,
  options: { source?: string; now?: () => number } = {},
): Promise<{ applied: boolean }> {
  const result = await sql<{ applied: boolean }>`
    with claimed as (
      insert into ${sql.table(INBOX_TABLE)} (event_id, source, applied_at)
      values (${eventId}, ${options.source ?? 'unknown'}, ${(options.now ?? Date.now)()})
      on conflict (event_id) do nothing
      returning event_id),
    effect as (${effect})
    select exists (select 1 from claimed) as applied`.execute(db);
  return { applied: result.rows[0]?.applied === true };
}

/** The inbox's own refusals, the same in every consuming service. */
export const InboxError = defineErrors({
  EVENT_DELIVERY_UNSIGNED: 'unauthenticated',
  EVENT_DELIVERER_FORBIDDEN: 'forbidden',
});

/** The role a route declares for event delivery (the OpenAPI document and access matrix show it). */
export const EVENT_DELIVERY_ACCESS = 'EVENT_DELIVERY';

export type EventStatus = EventAck['status'];

/**
 * Applies one delivered event inside the inbox's transaction. The context carries the
 * delivery's request id and trace and the event's acting user, so events it writes in turn
 * continue the same trace. Returning 'ignored' acknowledges an event that changed nothing.
 */
export type EventHandler<DB> = (trx: Transaction<DB>, event: EventEnvelope, context: CommandContext) => Promise<EventStatus | void>;

export interface EventInboxOptions<DB> {
  db: Kysely<DB>;
  clock: Clock;
  /** Signing principals allowed to deliver (the sync service's credential). */
  deliverers: ReadonlySet<string>;
  /** By event type; a type with no handler is acknowledged as 'ignored' and not recorded. */
  handlers: Readonly<Record<string, EventHandler<DB>>>;
  /** What the service consumes, for the OpenAPI summary. */
  summary?: string;
  /** Wakes the service's outbox readers when a handler wrote events. */
  onCommitted?: () => void;
  /** Counts outcomes (applied, duplicate, ignored) per event type. */
  onOutcome?: (type: string, status: EventStatus) => void;
}

/**
 * `POST /internal/events`, the one way a service consumes delivered events: only the sync
 * service's credential may call it, the envelope is validated, and each event id is applied
 * once (the inbox row commits with the change, so a refusal leaves nothing recorded).
 */
export function registerEventInbox<DB>(app: HttpServerInstance, options: EventInboxOptions<DB>): void {
  const onlyDeliverers = guardedAccess([EVENT_DELIVERY_ACCESS], async (request: FastifyRequest): Promise<void> => {
    const principal = request.identity?.principal;
    if (!principal) throw InboxError.EVENT_DELIVERY_UNSIGNED('Event delivery needs a signed request');
    if (!options.deliverers.has(principal)) throw InboxError.EVENT_DELIVERER_FORBIDDEN(`${principal} may not deliver events`);
  });

  app.post(
    INTERNAL_EVENTS_PATH,
    {
      config: { access: onlyDeliverers },
      schema: {
        tags: ['internal'],
        summary: options.summary ?? 'Event delivery (the sync service only)',
        body: EventEnvelope,
        response: {
          200: EventAck,
          400: errorResponseSchema,
          401: errorResponseSchema,
          403: errorResponseSchema,
          404: errorResponseSchema,
          409: errorResponseSchema,
        },
      },
    },
    async (request: FastifyRequest): Promise<EventAck> => {
      const event = request.body as EventEnvelope;
      const status = await receive(options, event, deliveryContext(request, options.clock, event));
      options.onOutcome?.(event.type, status);
      return { status };
    },
  );
}

async function receive<DB>(options: EventInboxOptions<DB>, event: EventEnvelope, context: CommandContext): Promise<EventStatus> {
  const handler = Object.hasOwn(options.handlers, event.type) ? options.handlers[event.type] : undefined;
  if (!handler) return 'ignored';
  const outcome = await runCommand(options.db, context, (trx) =>
    applyOnce(trx, event.id, () => handler(trx, event, context), { source: event.source, now: () => context.now }),
  );
  if (!outcome.applied) return 'duplicate';
  // Only an applied event can have written events; a duplicate's transaction changed nothing.
  options.onCommitted?.();
  return outcome.result ?? 'applied';
}

/**
 * The delivery's own request id and trace (sync sends the event's, with a child span), and
 * the event's acting user when it names one: what the consumer does was caused by that user.
 */
function deliveryContext(request: FastifyRequest, clock: Clock, event: EventEnvelope): CommandContext {
  return event.metadata ? commandContextOf(request, clock, event.metadata.actor) : commandContextOf(request, clock);
}
