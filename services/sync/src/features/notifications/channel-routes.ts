import type { ChannelTarget, Route, RouteSubscription } from '../configurations/route.js';
import type { SyncNotificationChannelRow } from '../../db/schema.js';

/** Deliveries to a channel are queued for this target system, so each channel has its own lane and limits. */
export const CHANNEL_TARGET_PREFIX = 'notification:';

export interface ChannelRetryPolicy {
  maxRetries: number;
  retryDelayMs: number;
}

export function channelTargetSystem(channelId: string): string {
  return `${CHANNEL_TARGET_PREFIX}${channelId}`;
}

/** For a queued notification whose channel is gone or disabled: the delivery still resolves to it (and fails plainly). */
export function channelTargetOf(targetSystem: string): ChannelTarget | undefined {
  return targetSystem.startsWith(CHANNEL_TARGET_PREFIX)
    ? { kind: 'channel', channelId: targetSystem.slice(CHANNEL_TARGET_PREFIX.length) }
    : undefined;
}

/**
 * An enabled channel as a route from every source: its subscriptions decide which events it
 * takes. Notifications are independent messages, so they are not ordered per aggregate (one
 * failing e-mail must not hold back the next alert).
 */
export function channelRoute(row: SyncNotificationChannelRow, retry: ChannelRetryPolicy): Route {
  const subscriptions = row.subscriptions as RouteSubscription[];
  return {
    configId: row.id,
    channelId: row.id,
    name: `notification channel ${row.name}`,
    sourceSystem: '*',
    targetSystem: channelTargetSystem(row.id),
    entityType: null,
    spec: {
      eventTypes: subscriptions.map((subscription) => subscription.event),
      target: { kind: 'channel', channelId: row.id },
      ordering: 'none',
      concurrency: 4,
    },
    subscriptions,
    validationRules: null,
    frequency: 'real_time',
    batchSize: 1,
    maxRetries: retry.maxRetries,
    retryDelayMs: retry.retryDelayMs,
    failFast: false,
    isActive: row.enabled,
  };
}
