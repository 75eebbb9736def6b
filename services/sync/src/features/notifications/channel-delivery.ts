import type { ChannelSender, DeliveryOutcome, DeliveryRequest, WebhookPost } from '../delivery/targets.js';
import type { Mailer } from './mailer.js';
import { notificationFor } from './message.js';
import type { ChannelsRepository } from './notifications.repository.js';

export interface ChannelDeliveryDeps {
  channels: Pick<ChannelsRepository, 'find'>;
  /** Undefined without SMTP_URL: e-mail channels then wait (retryable) until it is set. */
  mailer: Mailer | undefined;
  timeZone: string;
}

/**
 * Sends one queued event to a notification channel, read at delivery time so a changed URL,
 * recipient list or rotated secret applies to what is still queued.
 */
export class ChannelDelivery implements ChannelSender {
  constructor(private readonly deps: ChannelDeliveryDeps) {}

  async deliver(
    channelId: string,
    request: DeliveryRequest,
    postWebhook: (post: WebhookPost) => Promise<DeliveryOutcome>,
  ): Promise<DeliveryOutcome> {
    const channel = await this.deps.channels.find(channelId);
    if (!channel) return { kind: 'permanent', message: 'The notification channel was deleted', details: { channelId } };
    if (!channel.enabled) return { kind: 'permanent', message: 'The notification channel is disabled', details: { channelId } };
    const notification = notificationFor(request.envelope, this.deps.timeZone);
    if (channel.kind === 'webhook') {
      if (!channel.url || !channel.secret)
        return { kind: 'permanent', message: 'The webhook channel has no URL or secret', details: { channelId } };
      return postWebhook({ url: channel.url, body: notification.body, secret: channel.secret });
    }
    if (!this.deps.mailer) return { kind: 'retryable', message: 'SMTP_URL is not set: e-mail cannot be sent', details: { channelId } };
    return this.deps.mailer.send({
      to: channel.recipients as string[],
      subject: notification.subject,
      text: notification.text,
      json: JSON.stringify(notification.body, null, 2),
      messageId: `<${request.idempotencyKey}.${channelId}@tributary.sync>`,
    });
  }

  async close(): Promise<void> {
    this.deps.mailer?.close();
  }
}
