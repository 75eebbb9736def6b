import { randomUUID } from 'node:crypto';
import type { SyncNotificationChannelRow } from '../../db/schema.js';
import type { NotificationDeps } from '../../deps.js';
import { SyncError } from '../../errors.js';
import { captureEvents } from '../capture/capture.service.js';
import { outgoingUrlProblem } from '../delivery/outgoing-url.js';
import { newWebhookSecret } from '../delivery/standard-webhooks.js';
import { channelRoute } from './channel-routes.js';
import type { ChannelValues } from './notifications.repository.js';
import type { ChannelInput, ChannelPatch } from './notifications.schemas.js';

/** Where the platform's own notifications come from (a channel's test message). */
export const NOTIFICATION_SOURCE = 'sync';

/** A webhook channel needs a usable URL and no recipients; an e-mail channel the opposite. */
function checkShape(values: Omit<ChannelValues, 'secret'>): void {
  if (values.kind === 'webhook') {
    if (!values.url) throw SyncError.SYNC_CHANNEL_INVALID('A webhook channel needs a url');
    if (values.recipients) throw SyncError.SYNC_CHANNEL_INVALID('A webhook channel takes no recipients');
    const problem = outgoingUrlProblem(values.url);
    if (problem) throw SyncError.SYNC_CHANNEL_URL_INVALID(`url ${problem}`);
  } else {
    if (!values.recipients || values.recipients.length === 0) throw SyncError.SYNC_CHANNEL_INVALID('An e-mail channel needs recipients');
    if (values.url) throw SyncError.SYNC_CHANNEL_INVALID('An e-mail channel takes no url');
  }
}

function valuesOf(row: SyncNotificationChannelRow): ChannelValues {
  return {
    name: row.name,
    kind: row.kind,
    url: row.url,
    recipients: (row.recipients as string[] | null) ?? null,
    secret: row.secret,
    subscriptions: row.subscriptions as ChannelValues['subscriptions'],
    enabled: row.enabled,
  };
}

/** Creates a channel; a webhook channel gets a new `whsec_` secret, returned here once. */
export async function createChannel(deps: NotificationDeps, input: ChannelInput, actor: string): Promise<SyncNotificationChannelRow> {
  const { url, recipients, enabled, ...rest } = input;
  const values = { ...rest, url: url ?? null, recipients: recipients ?? null, enabled: enabled ?? true };
  checkShape(values);
  const row = await deps.channels.create(
    { ...values, secret: input.kind === 'webhook' ? newWebhookSecret() : null },
    actor,
    new Date(deps.clock.now()),
  );
  deps.routes.invalidate();
  return row;
}

export async function updateChannel(
  deps: NotificationDeps,
  channelId: string,
  patch: ChannelPatch,
  actor: string,
): Promise<SyncNotificationChannelRow> {
  const current = valuesOf(await deps.channels.get(channelId));
  const values: ChannelValues = { ...current, ...patch };
  checkShape(values);
  const row = await deps.channels.update(channelId, values, actor, new Date(deps.clock.now()));
  deps.routes.invalidate();
  return row;
}

/** A new secret for a webhook channel; deliveries still queued are signed with it from now on. */
export async function rotateSecret(deps: NotificationDeps, channelId: string, actor: string): Promise<SyncNotificationChannelRow> {
  const current = valuesOf(await deps.channels.get(channelId));
  if (current.kind !== 'webhook') throw SyncError.SYNC_CHANNEL_INVALID('Only a webhook channel has a secret');
  return deps.channels.update(channelId, { ...current, secret: newWebhookSecret() }, actor, new Date(deps.clock.now()));
}

export async function deleteChannel(deps: NotificationDeps, channelId: string): Promise<void> {
  await deps.channels.remove(channelId);
  deps.routes.invalidate();
}

/**
 * Queues a `notification.test` event for this channel alone, whatever it subscribes to, so an
 * operator sees the whole path work: queue, signature or SMTP, receiver.
 */
export async function sendTest(deps: NotificationDeps, channelId: string, actor: string): Promise<{ eventId: string }> {
  const row = await deps.channels.get(channelId);
  if (!row.enabled) throw SyncError.SYNC_CHANNEL_INVALID('The channel is disabled; enable it to test it');
  const eventId = randomUUID();
  await captureEvents(
    deps.capture,
    NOTIFICATION_SOURCE,
    [
      {
        id: eventId,
        source: NOTIFICATION_SOURCE,
        name: 'notification.test',
        aggregateType: 'notification_channel',
        aggregateId: row.id,
        payload: { channel: row.name, requestedBy: actor },
        createdAt: deps.clock.now(),
      },
    ],
    undefined,
    [channelRoute(row, deps.channelRetry)],
  );
  return { eventId };
}
