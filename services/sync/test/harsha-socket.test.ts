import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { testDatabases, type TestDatabase } from '@tributary/platform/testing';
import { GatewayTokens } from './support/gateway-tokens.js';
import { SourceService } from './support/peers.js';
import { startSync, testEnv, type SyncUnderTest } from './support/sync.js';

const REDIS_URL = process.env.TEST_REDIS_URL;

function next<T = any>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, resolve));
}

/** The original real-time channel: Socket.IO on sync's HTTP server, authenticated by a gateway access token. */
for (const target of testDatabases({ dialects: ['pglite', 'postgres'] })) {
  describe(`${target.label}: the original Socket.IO channel`, () => {
    const handles: TestDatabase[] = [];
    const sockets: Socket[] = [];
    let tokens: GatewayTokens;
    let erp: SourceService;
    let sync: SyncUnderTest;
    let url = '';

    beforeAll(async () => {
      const [source, own] = await Promise.all([target.create(), target.create()]);
      handles.push(source!, own!);
      tokens = await GatewayTokens.start();
      erp = await SourceService.start(source!.database);
      // `down` is a target nothing listens on: its deliveries fail.
      sync = await startSync(
        own!.database,
        { erp: erp.url, down: 'http://127.0.0.1:9' },
        testEnv({ SYNC_SOURCES: 'erp', SYNC_JWKS_URL: tokens.jwksUrl }),
      );
      url = await sync.app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      for (const socket of sockets) socket.disconnect();
      await sync?.stop();
      await erp?.close();
      await tokens?.close();
      await Promise.all(handles.map((handle) => handle.destroy()));
    });

    const open = (options: Parameters<typeof connect>[1] = {}, base = url) => {
      const socket = connect(base, { transports: ['websocket'], reconnection: false, ...options });
      sockets.push(socket);
      return socket;
    };

    it('refuses a client without a token, with a token of another key, and with a token that is not an access token', async () => {
      const bare = open();
      expect((await next<Error>(bare, 'connect_error')).message).toBe('Authentication required');
      const stranger = await GatewayTokens.start('other-key');
      try {
        const forged = open({ auth: { token: await stranger.accessToken('mallory', 'administrator') } });
        expect((await next<Error>(forged, 'connect_error')).message).toBe('Invalid token');
      } finally {
        await stranger.close();
      }
      const refresh = open({ auth: { token: await tokens.accessToken('alice', 'integration', { typ: 'refresh' }) } });
      expect((await next<Error>(refresh, 'connect_error')).message).toBe('Invalid token');
      expect(bare.connected || refresh.connected).toBe(false);
    });

    it('an authenticated client gets connected, subscribes, and receives inventory-update when an erp stock movement reaches sync', async () => {
      const client = open({ auth: { token: await tokens.accessToken('floor-1', 'integration') } });
      const hello = await next(client, 'connected');
      expect(hello).toMatchObject({ clientId: expect.any(String), supportedChannels: expect.arrayContaining(['inventory:updates']) });

      const refused = next(client, 'subscription-error');
      const updated = next(client, 'subscription-updated');
      client.emit('subscribe', { channels: ['inventory:updates', 'system:alerts'] });
      expect(await refused).toEqual({ channel: 'system:alerts', error: 'Access denied to channel' });
      expect((await updated).subscriptions).toEqual(expect.arrayContaining(['inventory:updates', 'role:integration', 'user:floor-1']));

      const update = next(client, 'inventory-update');
      const syncEvent = next(client, 'sync-event');
      const [eventId] = await erp.write([
        {
          type: 'erp.batch.consumed',
          aggregateType: 'batch',
          aggregateId: 'B-LADOO-0001',
          payload: { batch: 'B-LADOO-0001', item_code: 'LADOO-250', warehouse: 'Stores - HD', qty: '-12' },
        },
      ]);
      expect(await update).toMatchObject({
        type: 'inventory-update',
        data: {
          id: eventId,
          eventType: 'erp.batch.consumed',
          source: 'erp',
          entityType: 'batch',
          entityId: 'B-LADOO-0001',
          payload: { qty: '-12' },
        },
        timestamp: expect.any(String),
      });
      expect(await syncEvent).toMatchObject({ type: 'sync-update', event: { id: eventId, kind: 'inventory' } });
    });

    it('answers get_sync_status, get_queue_stats, ping and a sync-request from an integration client', async () => {
      const client = open({ auth: { token: await tokens.accessToken('integration-bot', 'integration') } });
      await next(client, 'connected');
      const status = await client.emitWithAck('get_sync_status');
      expect(Object.keys(status.queues).sort()).toEqual(['customer-sync', 'inventory-sync', 'order-sync', 'pricing-sync']);
      expect(status.websocket.totalConnections).toBeGreaterThanOrEqual(1);
      expect((await client.emitWithAck('get_queue_stats')).queues['order-sync']).toMatchObject({ waiting: 0, failed: 0 });
      expect(await client.emitWithAck('ping')).toEqual({ timestamp: expect.any(String) });

      const acknowledged = next(client, 'sync-request-acknowledged');
      client.emit('sync-request', { requestId: 'req-1', entityType: 'inventory', operation: 'full' });
      const ack = await acknowledged;
      expect(ack).toMatchObject({ requestId: 'req-1', status: 'processing', event: 'inventory.sync_requested' });
      const stored = await sync.db
        .selectFrom('sync_events')
        .select(['event_source', 'source_user'])
        .where('event_id', '=', ack.id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ event_source: 'sync', source_user: 'integration-bot' });
    });

    it('refuses a sync-request from a role that may not ask for one', async () => {
      const client = open({ auth: { token: await tokens.accessToken('viewer', 'analyst') } });
      await next(client, 'connected');
      const refused = next(client, 'sync-request-error');
      client.emit('sync-request', { requestId: 'req-2', entityType: 'customer' });
      expect(await refused).toEqual({ requestId: 'req-2', error: 'Insufficient permissions for sync operation' });
    });

    it('tells administrators in system:alerts when a delivery fails for good', async () => {
      const created = await sync.call('POST', '/api/sync/configurations', {
        config_name: 'erp_expiring_batches_to_down',
        source_system: 'erp',
        target_system: 'down',
        configuration: { eventTypes: ['erp.batch.expiring'], target: { kind: 'service', service: 'down' } },
        error_handling_strategy: 'fail_fast',
      });
      expect(created.statusCode).toBe(201);
      const admin = open({ auth: { token: await tokens.accessToken('admin', 'administrator') } });
      await next(admin, 'connected');
      const subscribed = next(admin, 'subscription-updated');
      admin.emit('subscribe', { channels: ['system:alerts'] });
      expect((await subscribed).subscriptions).toEqual(expect.arrayContaining(['system:alerts', 'role:admin']));
      const alert = next(admin, 'system-alert');
      const [eventId] = await erp.write([
        { type: 'erp.batch.expiring', aggregateType: 'batch', aggregateId: 'B-PEDA-0007', payload: { expiry_date: '2026-12-31' } },
      ]);
      expect(await alert).toMatchObject({
        type: 'sync-failed',
        severity: 'high',
        details: { id: eventId, target: 'down', entityId: 'B-PEDA-0007' },
      });
    });

    it.runIf(REDIS_URL)('with REDIS_URL, an event captured by one worker reaches the clients of another', async () => {
      const other = await startSync(
        handles[1]!.database,
        { erp: erp.url },
        testEnv({ SYNC_SOURCES: 'erp', SYNC_JWKS_URL: tokens.jwksUrl, REDIS_URL: REDIS_URL! }),
        { background: false },
      );
      const collecting = await startSync(
        handles[1]!.database,
        { erp: erp.url },
        testEnv({ SYNC_SOURCES: 'erp', SYNC_JWKS_URL: tokens.jwksUrl, REDIS_URL: REDIS_URL! }),
      );
      try {
        const otherUrl = await other.app.listen({ host: '127.0.0.1', port: 0 });
        const client = open({ auth: { token: await tokens.accessToken('planner', 'administrator') } }, otherUrl);
        await next(client, 'connected');
        const subscribed = next(client, 'subscription-updated');
        client.emit('subscribe', { channels: ['orders:updates'] });
        expect((await subscribed).subscriptions).toContain('orders:updates');
        const update = next(client, 'order-update');
        // Both the first worker (no Redis) and the collecting one read the feed; only the latter publishes through Redis.
        await sync.background?.stop();
        const [eventId] = await erp.write([
          { type: 'erp.shipment.created', aggregateType: 'shipment', aggregateId: 'SHP-1', payload: { status: 'Draft' } },
        ]);
        expect(await update).toMatchObject({ type: 'order-update', data: { id: eventId, entityType: 'shipment' } });
        const shutdown = next(client, 'server-shutdown');
        await other.stop();
        expect(await shutdown).toMatchObject({ message: 'Server is shutting down' });
      } finally {
        await collecting.stop();
        if (other.app.server.listening) await other.stop();
      }
    });
  });
}
