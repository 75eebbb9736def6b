import type { Logger } from '@tributary/platform/core';
import type { Socket } from 'socket.io';
import { REQUEST_ROLES } from '../../access.js';
import { ENTITY_KINDS, type EntityKind } from '../overview/entity-kind.js';
import type { QueueStats } from '../overview/queue-stats.service.js';
import type { RecordedRequest, SyncRequest } from '../requests/requests.service.js';
import { canSubscribe, type SocketUser } from './rooms.js';

export interface SocketHandlerDeps {
  logger: Logger;
  now(): number;
  queueStats(): Promise<QueueStats>;
  connectionStats(): Record<string, unknown>;
  request(request: SyncRequest): Promise<RecordedRequest>;
}

type Ack = (answer: unknown) => void;
const MAX_CHANNELS = 50;

/** Channel names from `{channels: [...]}`, a list or one name; anything else is no channel. */
function channelsOf(data: unknown): string[] {
  const value = typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as { channels?: unknown }).channels : data;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string' && item.length > 0 && item.length <= 100).slice(0, MAX_CHANNELS);
}

function record(data: unknown): Record<string, unknown> {
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

function kindOf(value: unknown): EntityKind | undefined {
  const text = typeof value === 'string' ? value.toLowerCase() : '';
  const alias: Record<string, EntityKind> = { customers: 'customer', price: 'pricing', product: 'inventory', orders: 'order' };
  return (ENTITY_KINDS as readonly string[]).includes(text) ? (text as EntityKind) : alias[text];
}

/** The original client → server events, on one authenticated socket. */
export function registerSocketHandlers(socket: Socket, user: SocketUser, deps: SocketHandlerDeps): void {
  const subscriptions = () => [...socket.rooms].filter((room) => room !== socket.id);
  const answer = (ack: unknown, event: string, payload: unknown): void => {
    if (typeof ack === 'function') (ack as Ack)(payload);
    else socket.emit(event, payload);
  };
  // One failing read must not end the connection: the client gets an error answer, the log the cause.
  const guarded = (name: string, handler: (data: unknown, ack: unknown) => Promise<void>) => (data: unknown, ack?: unknown) => {
    handler(data, typeof data === 'function' ? data : ack).catch((error: unknown) => {
      deps.logger.warn({ err: error, event: name }, 'socket request failed');
      answer(typeof data === 'function' ? data : ack, 'request-error', { event: name, error: 'The request failed' });
    });
  };

  socket.on('subscribe', (data: unknown) => {
    for (const channel of channelsOf(data)) {
      if (canSubscribe(user, channel)) void socket.join(channel);
      else socket.emit('subscription-error', { channel, error: 'Access denied to channel' });
    }
    socket.emit('subscription-updated', { subscriptions: subscriptions() });
  });

  socket.on('unsubscribe', (data: unknown) => {
    for (const channel of channelsOf(data)) void socket.leave(channel);
    socket.emit('subscription-updated', { subscriptions: subscriptions() });
  });

  const syncRequest = (name: string) =>
    guarded(name, async (data, ack) => {
      const body = record(data);
      const requestId = typeof body.requestId === 'string' ? body.requestId.slice(0, 100) : null;
      const refuse = (error: string) => answer(ack, 'sync-request-error', { requestId, error });
      if (!REQUEST_ROLES.some((role) => user.roles.includes(role))) {
        refuse('Insufficient permissions for sync operation');
        return;
      }
      const kind = kindOf(body.entityType ?? body.entity ?? body.type);
      if (!kind) {
        refuse(`entityType must be one of ${ENTITY_KINDS.join(', ')}`);
        return;
      }
      const detail = { operation: typeof body.operation === 'string' ? body.operation.slice(0, 50) : null, requestId, via: 'socket' };
      const recorded = await deps.request({ kind, action: 'sync_requested', detail, actor: user.userId });
      answer(ack, 'sync-request-acknowledged', { requestId, status: 'processing', id: recorded.id, event: recorded.name });
    });
  socket.on('sync-request', syncRequest('sync-request'));
  socket.on('trigger_sync', syncRequest('trigger_sync'));

  socket.on(
    'get_sync_status',
    guarded('get_sync_status', async (_data, ack) => {
      const queues = await deps.queueStats();
      answer(ack, 'sync_status', { queues, websocket: deps.connectionStats(), timestamp: new Date(deps.now()).toISOString() });
    }),
  );
  socket.on(
    'get_queue_stats',
    guarded('get_queue_stats', async (_data, ack) => {
      answer(ack, 'queue_stats', { queues: await deps.queueStats(), timestamp: new Date(deps.now()).toISOString() });
    }),
  );
  socket.on('ping', (data: unknown, ack?: unknown) =>
    answer(typeof data === 'function' ? data : ack, 'pong', { timestamp: new Date(deps.now()).toISOString() }),
  );
}
