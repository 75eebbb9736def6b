import { Type, type Static } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { ACCESS } from '../../access.js';
import type { SyncNotificationChannelRow } from '../../db/schema.js';
import type { NotificationDeps } from '../../deps.js';
import type { ChannelDeliveryRow } from './notifications.repository.js';
import {
  Channel,
  ChannelDelivery,
  ChannelInput,
  ChannelParams,
  ChannelPatch,
  ChannelWithSecret,
  type ChannelInput as Input,
  type ChannelPatch as Patch,
} from './notifications.schemas.js';
import { createChannel, deleteChannel, rotateSecret, sendTest, updateChannel } from './notifications.service.js';

export const CHANNELS_PATH = '/api/sync/notifications/channels';

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

function actor(request: FastifyRequest): string {
  return request.identity?.user ?? request.identity?.principal ?? 'unknown';
}

/** A channel as listed: the secret is write-only, shown only when created or rotated. */
function present(row: SyncNotificationChannelRow, revealSecret = false) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    url: row.url,
    recipients: (row.recipients as string[] | null) ?? null,
    subscriptions: row.subscriptions as Static<typeof Channel>['subscriptions'],
    enabled: row.enabled,
    secret: row.secret === null ? null : revealSecret ? row.secret : '[set]',
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    created_by: row.created_by,
    updated_by: row.updated_by,
  };
}

function presentDelivery(row: ChannelDeliveryRow): Static<typeof ChannelDelivery> {
  return {
    id: String(row.id),
    eventId: row.event_id,
    event: row.event_name,
    source: row.source_system,
    status: row.sync_status,
    attempts: row.retry_count,
    maxRetries: row.max_retries,
    lastError: row.last_error_message,
    lastErrorAt: iso(row.last_error_at),
    nextRetryAt: row.sync_status === 'pending' ? iso(row.next_retry_at) : null,
    completedAt: iso(row.completed_at),
    createdAt: row.created_at.toISOString(),
  };
}

/**
 * Notification channels: administrators manage them; integrations may read them (never a secret).
 * Every change invalidates the route cache, so the next captured event is routed by it.
 */
export function registerNotificationRoutes(app: HttpApp, deps: NotificationDeps): void {
  const tag = 'notifications';
  const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };
  const channelId = (request: FastifyRequest) => (request.params as Static<typeof ChannelParams>).channelId;

  app.get(
    CHANNELS_PATH,
    routeOptions(ACCESS.notificationsRead, tag, 'Notification channels', {
      response: { 200: Type.Object({ items: Type.Array(Channel) }), ...errors },
    }),
    async () => ({ items: (await deps.channels.list()).map((row) => present(row)) }),
  );
  app.get(
    `${CHANNELS_PATH}/:channelId`,
    routeOptions(ACCESS.notificationsRead, tag, 'One notification channel', {
      params: ChannelParams,
      response: { 200: Channel, ...errors },
    }),
    async (request) => present(await deps.channels.get(channelId(request))),
  );
  app.post(
    CHANNELS_PATH,
    routeOptions(ACCESS.notificationsAdmin, tag, 'Create a channel (a webhook channel answers its secret once)', {
      body: ChannelInput,
      response: { 201: ChannelWithSecret, 409: errorResponseSchema, ...errors },
    }),
    async (request, reply) => reply.code(201).send(present(await createChannel(deps, request.body as Input, actor(request)), true)),
  );
  app.patch(
    `${CHANNELS_PATH}/:channelId`,
    routeOptions(ACCESS.notificationsAdmin, tag, 'Change a channel (name, url or recipients, subscriptions, enabled)', {
      params: ChannelParams,
      body: ChannelPatch,
      response: { 200: Channel, 409: errorResponseSchema, ...errors },
    }),
    async (request) => present(await updateChannel(deps, channelId(request), request.body as Patch, actor(request))),
  );
  app.delete(
    `${CHANNELS_PATH}/:channelId`,
    routeOptions(ACCESS.notificationsAdmin, tag, 'Delete a channel (its queued deliveries fail as undeliverable)', {
      params: ChannelParams,
      response: { 204: Type.Null(), ...errors },
    }),
    async (request, reply) => {
      await deleteChannel(deps, channelId(request));
      return reply.code(204).send(null);
    },
  );
  app.post(
    `${CHANNELS_PATH}/:channelId/rotate-secret`,
    routeOptions(ACCESS.notificationsAdmin, tag, "Replace a webhook channel's secret (answered once)", {
      params: ChannelParams,
      response: { 200: ChannelWithSecret, ...errors },
    }),
    async (request) => present(await rotateSecret(deps, channelId(request), actor(request)), true),
  );
  app.post(
    `${CHANNELS_PATH}/:channelId/test`,
    routeOptions(ACCESS.notificationsAdmin, tag, 'Queue a notification.test event for this channel alone', {
      params: ChannelParams,
      response: { 202: Type.Object({ eventId: Type.String() }), ...errors },
    }),
    async (request, reply) => reply.code(202).send(await sendTest(deps, channelId(request), actor(request))),
  );
  const DeliveriesQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) });
  app.get(
    `${CHANNELS_PATH}/:channelId/deliveries`,
    routeOptions(ACCESS.notificationsRead, tag, "A channel's recent deliveries with their outcome, newest first", {
      params: ChannelParams,
      querystring: DeliveriesQuery,
      response: { 200: Type.Object({ items: Type.Array(ChannelDelivery) }), ...errors },
    }),
    async (request) => {
      const id = channelId(request);
      await deps.channels.get(id);
      const { limit } = request.query as Static<typeof DeliveriesQuery>;
      return { items: (await deps.channels.recentDeliveries(id, limit ?? 50)).map(presentDelivery) };
    },
  );
}
