import type { Kysely } from 'kysely';
import { dbErrorKind } from '@tributary/platform/db';
import type { Route } from '../configurations/route.js';
import type { SyncDatabase, SyncNotificationChannelRow } from '../../db/schema.js';
import { SyncError } from '../../errors.js';
import { channelTargetSystem } from '../routing/channel-target.js';
import { channelRoute, type ChannelRetryPolicy } from './channel-routes.js';

export interface ChannelValues {
  name: string;
  kind: 'webhook' | 'email';
  url: string | null;
  recipients: string[] | null;
  secret: string | null;
  subscriptions: { event: string; minSeverity?: string }[];
  enabled: boolean;
}

export interface ChannelDeliveryRow {
  id: string;
  event_id: string;
  event_name: string;
  source_system: string;
  sync_status: string;
  retry_count: number;
  max_retries: number;
  last_error_message: string | null;
  last_error_at: Date | null;
  next_retry_at: Date;
  completed_at: Date | null;
  created_at: Date;
}

function translate(error: unknown, name: string): unknown {
  if (dbErrorKind(error) === 'unique') return SyncError.SYNC_CHANNEL_NAME_TAKEN(`A channel named "${name}" exists`);
  return error;
}

/** Notification channels, and their deliveries as the queue recorded them. */
export class ChannelsRepository {
  constructor(
    private readonly db: Kysely<SyncDatabase>,
    private readonly retry: ChannelRetryPolicy,
  ) {}

  list(): Promise<SyncNotificationChannelRow[]> {
    return this.db.selectFrom('sync_notification_channels').selectAll().orderBy('name').execute();
  }

  find(id: string): Promise<SyncNotificationChannelRow | undefined> {
    return this.db.selectFrom('sync_notification_channels').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async get(id: string): Promise<SyncNotificationChannelRow> {
    const row = await this.find(id);
    if (!row) throw SyncError.SYNC_CHANNEL_NOT_FOUND(`No notification channel ${id}`);
    return row;
  }

  async create(values: ChannelValues, actor: string, now: Date): Promise<SyncNotificationChannelRow> {
    const insert = this.db
      .insertInto('sync_notification_channels')
      .values({ ...columns(values), created_at: now, updated_at: now, created_by: actor })
      .returningAll();
    return insert.executeTakeFirstOrThrow().catch((error: unknown) => Promise.reject(translate(error, values.name)));
  }

  async update(id: string, values: ChannelValues, actor: string, now: Date): Promise<SyncNotificationChannelRow> {
    const row = await this.db
      .updateTable('sync_notification_channels')
      .set({ ...columns(values), updated_at: now, updated_by: actor })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
      .catch((error: unknown) => Promise.reject(translate(error, values.name)));
    if (!row) throw SyncError.SYNC_CHANNEL_NOT_FOUND(`No notification channel ${id}`);
    return row;
  }

  async remove(id: string): Promise<void> {
    const result = await this.db.deleteFrom('sync_notification_channels').where('id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw SyncError.SYNC_CHANNEL_NOT_FOUND(`No notification channel ${id}`);
  }

  /** Enabled channels as routes; the route cache adds them to the configurations'. */
  async routes(): Promise<Route[]> {
    const rows = await this.db
      .selectFrom('sync_notification_channels')
      .selectAll()
      .where('enabled', '=', true)
      .orderBy('created_at')
      .execute();
    return rows.map((row) => channelRoute(row, this.retry));
  }

  /** The channel's latest deliveries, newest first, with their outcome so far. */
  recentDeliveries(channelId: string, limit: number): Promise<ChannelDeliveryRow[]> {
    return this.db
      .selectFrom('sync_status')
      .select([
        'id',
        'event_id',
        'event_name',
        'source_system',
        'sync_status',
        'retry_count',
        'max_retries',
        'last_error_message',
        'last_error_at',
        'next_retry_at',
        'completed_at',
        'created_at',
      ])
      .where('target_system', '=', channelTargetSystem(channelId))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}

function columns(values: ChannelValues) {
  return {
    name: values.name,
    kind: values.kind,
    url: values.url,
    recipients: values.recipients === null ? null : JSON.stringify(values.recipients),
    secret: values.secret,
    subscriptions: JSON.stringify(values.subscriptions),
    enabled: values.enabled,
  };
}
