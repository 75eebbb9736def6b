import type { Route, RouteSubscription } from '../configurations/route.js';
import type { SyncNotificationChannelRow } from '../../db/schema.js';
import { channelTargetSystem } from '../routing/channel-target.js';

export interface ChannelRetryPolicy {
  maxRetries: number;
  retryDelayMs: number;
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
