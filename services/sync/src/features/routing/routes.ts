import { SEVERITIES, type Route, type RouteSubscription, type Severity } from '../configurations/route.js';
import { anyMatches, globMatches } from './glob.js';

// Routes are built by the configurations feature (it owns their source rows); routing only reads them.
export type { Route };

export interface RoutableEvent {
  source: string;
  name: string;
  aggregateType: string;
  /** Only notification channels look at it; configurations route by name alone. */
  severity?: Severity;
}

function subscribed(subscriptions: readonly RouteSubscription[], event: RoutableEvent): boolean {
  const rank = SEVERITIES.indexOf(event.severity ?? 'info');
  return subscriptions.some(
    (subscription) => globMatches(subscription.event, event.name) && rank >= SEVERITIES.indexOf(subscription.minSeverity ?? 'info'),
  );
}

/**
 * The routes an event takes: at most one per target system (the event id is the target's
 * idempotency key, so two deliveries of one event to one target would collapse into one).
 * Among several matches for the same target the earliest-created configuration wins.
 */
export function routesFor(event: RoutableEvent, routes: readonly Route[]): Route[] {
  const chosen = new Map<string, Route>();
  for (const route of routes) {
    if (!route.isActive) continue;
    if (!globMatches(route.sourceSystem, event.source)) continue;
    if (route.subscriptions ? !subscribed(route.subscriptions, event) : !anyMatches(route.spec.eventTypes, event.name)) continue;
    if (route.spec.aggregateTypes && route.spec.aggregateTypes.length > 0 && !anyMatches(route.spec.aggregateTypes, event.aggregateType))
      continue;
    // An event never goes back to the system it came from.
    if (route.targetSystem === event.source) continue;
    if (!chosen.has(route.targetSystem)) chosen.set(route.targetSystem, route);
  }
  return [...chosen.values()];
}

/** The route a queued delivery was made by: its configuration, or for a notification its channel. */
export function routeOfDelivery(row: { config_id: string | null; target_system: string }, routes: readonly Route[]): Route | undefined {
  return row.config_id !== null
    ? routes.find((route) => route.configId === row.config_id)
    : routes.find((route) => route.channelId !== undefined && route.targetSystem === row.target_system);
}
