import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { Server, type DefaultEventsMap, type Socket } from 'socket.io';
import type { IncomingEvent } from '../capture/capture.types.js';
import type { DeliveryNotice } from '../delivery/worker.js';
import { entityKindOf } from '../overview/entity-kind.js';
import { REQUEST_SOURCE } from '../requests/requests.service.js';
import { ADMIN_ROOM, ALERTS_ROOM, automaticRooms, supportedChannels, UPDATES, type SocketUser } from './rooms.js';
import { handshakeToken, type TokenCheck } from './socket-auth.js';
import { registerSocketHandlers, type SocketHandlerDeps } from './socket-handlers.js';

export interface RealtimeOptions extends Omit<SocketHandlerDeps, 'connectionStats'> {
  checkToken: TokenCheck;
  /** With several sync workers, emits travel through Redis to the clients of every worker. */
  redisUrl: string | undefined;
}

export interface ConnectionStats {
  totalConnections: number;
  activeSubscriptions: number;
  clientsByRole: Record<string, number>;
  subscriptionsByChannel: Record<string, number>;
}

type SocketData = { user?: SocketUser };
type SyncServer = Server<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>;

const SYNC_STATUS_ROOM = 'sync:status';
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The original service's Socket.IO channel on sync's own HTTP server: authenticated with a
 * gateway access token, the original rooms and events, and an announcement of every event sync
 * captures in the room of its entity. Before `attach` (a process with no HTTP server) emits
 * are dropped: nobody can be listening there.
 */
export class Realtime {
  private io: SyncServer | undefined;
  private readonly closers: Array<() => Promise<unknown>> = [];

  constructor(private readonly options: RealtimeOptions) {}

  async attach(server: HttpServer): Promise<void> {
    const io: SyncServer = new Server(server, { path: '/socket.io', serveClient: false, pingInterval: 25_000, pingTimeout: 60_000 });
    if (this.options.redisUrl) await this.useRedis(io, this.options.redisUrl);
    io.use((socket, next) => {
      const token = handshakeToken(socket.handshake.auth, socket.handshake.headers.authorization, socket.handshake.query);
      if (!token) return next(new Error('Authentication required'));
      this.options.checkToken(token).then(
        (user) => {
          socket.data.user = user;
          next();
        },
        () => next(new Error('Invalid token')),
      );
    });
    io.on('connection', (socket) => this.connected(socket));
    this.io = io;
  }

  /** Announces captured events to the rooms of their entities (sync requests only as sync events). */
  publish(events: readonly IncomingEvent[]): void {
    const io = this.io;
    if (!io) return;
    const timestamp = new Date(this.options.now()).toISOString();
    for (const event of events) {
      const kind = entityKindOf(event.aggregateType);
      const summary = {
        id: event.id,
        source: event.source,
        eventType: event.name,
        entityType: event.aggregateType,
        entityId: event.aggregateId,
      };
      const rooms = kind ? [SYNC_STATUS_ROOM, UPDATES[kind].room] : [SYNC_STATUS_ROOM];
      io.to(rooms).emit('sync-event', { type: 'sync-update', event: { ...summary, kind: kind ?? null }, timestamp });
      if (!kind || event.source === REQUEST_SOURCE) continue;
      const { room, event: name } = UPDATES[kind];
      // Customer payloads carry personal data: subscribers get the id and read the rest through the API's access rules.
      const data = kind === 'customer' ? summary : { ...summary, payload: event.payload };
      io.to(room).emit(name, { type: name, data, timestamp });
    }
  }

  /**
   * Completions as sync events in the entity's room; a dead letter or a conflict also as a
   * system alert, since a person must act on it. Retries stay quiet: they settle by themselves.
   */
  delivery(notice: DeliveryNotice): void {
    const io = this.io;
    if (!io || notice.outcome === 'retry') return;
    const kind = entityKindOf(notice.entityType);
    const timestamp = new Date(this.options.now()).toISOString();
    const event = {
      id: notice.eventId,
      source: notice.source,
      eventType: notice.eventName,
      entityType: notice.entityType,
      entityId: notice.entityId,
      target: notice.target,
    };
    const type = notice.outcome === 'delivered' ? 'sync-completed' : notice.outcome === 'failed' ? 'sync-failed' : 'sync-conflict';
    io.to(kind ? [SYNC_STATUS_ROOM, UPDATES[kind].room] : [SYNC_STATUS_ROOM]).emit('sync-event', {
      type,
      event: { ...event, kind: kind ?? null },
      timestamp,
    });
    if (notice.outcome === 'delivered') return;
    this.alert({
      type,
      severity: notice.outcome === 'failed' ? 'high' : 'medium',
      message:
        notice.outcome === 'failed'
          ? `Delivery to ${notice.target} failed for good: ${notice.message ?? ''}`
          : `Delivery to ${notice.target} is in conflict`,
      details: event,
    });
  }

  alert(alert: { type: string; severity: string; message: string; details?: unknown }): void {
    this.io?.to([ALERTS_ROOM, ADMIN_ROOM]).emit('system-alert', { ...alert, timestamp: new Date(this.options.now()).toISOString() });
  }

  /** This worker's connections (each worker counts its own). */
  stats(): ConnectionStats {
    const stats: ConnectionStats = { totalConnections: 0, activeSubscriptions: 0, clientsByRole: {}, subscriptionsByChannel: {} };
    const namespace = this.io?.of('/');
    if (!namespace) return stats;
    stats.totalConnections = namespace.sockets.size;
    for (const socket of namespace.sockets.values()) {
      for (const role of socket.data.user?.roles ?? []) stats.clientsByRole[role] = (stats.clientsByRole[role] ?? 0) + 1;
    }
    for (const [room, members] of namespace.adapter.rooms) {
      if (namespace.sockets.has(room)) continue;
      stats.subscriptionsByChannel[room] = members.size;
    }
    stats.activeSubscriptions = Object.keys(stats.subscriptionsByChannel).length;
    return stats;
  }

  state(): { running: boolean; connections: number } {
    return { running: this.io !== undefined, connections: this.io?.of('/').sockets.size ?? 0 };
  }

  /** Tells this worker's clients, closes their sockets (the HTTP server's close would wait for them), then Redis. */
  async close(): Promise<void> {
    const io = this.io;
    this.io = undefined;
    if (io) {
      io.local.emit('server-shutdown', { message: 'Server is shutting down', timestamp: new Date(this.options.now()).toISOString() });
      io.local.disconnectSockets(true);
      io.engine.close();
    }
    await Promise.allSettled(this.closers.splice(0).map((close) => close()));
  }

  private connected(socket: Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, SocketData>): void {
    const user = socket.data.user;
    if (!user) return void socket.disconnect(true);
    for (const room of automaticRooms(user)) void socket.join(room);
    if (user.expiresAt !== undefined) {
      const timer = setTimeout(
        () => socket.disconnect(true),
        Math.min(MAX_TIMER_MS, Math.max(0, user.expiresAt * 1000 - this.options.now())),
      );
      timer.unref();
      socket.once('disconnect', () => clearTimeout(timer));
    }
    registerSocketHandlers(socket, user, { ...this.options, connectionStats: () => ({ ...this.stats() }) });
    socket.emit('connected', {
      clientId: socket.id,
      timestamp: new Date(this.options.now()).toISOString(),
      supportedChannels: supportedChannels(user.roles),
    });
  }

  private async useRedis(io: SyncServer, url: string): Promise<void> {
    // Loaded only when Redis is configured: a single worker never needs the client.
    const { createClient } = await import('redis');
    const publisher = createClient({ url });
    const subscriber = publisher.duplicate();
    for (const client of [publisher, subscriber]) {
      // The URL may hold a password: only the message is logged.
      client.on('error', (error: Error) => this.options.logger.warn({ message: error.message }, 'socket.io redis adapter error'));
    }
    await Promise.all([publisher.connect(), subscriber.connect()]);
    io.adapter(createAdapter(publisher, subscriber));
    this.closers.push(
      () => publisher.close(),
      () => subscriber.close(),
    );
  }
}
