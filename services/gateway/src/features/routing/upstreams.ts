import { Pool } from 'undici';
import { CircuitBreaker, type BreakerSnapshot } from '@tributary/platform/resilience';
import type { Clock, Logger } from '@tributary/platform/core';
import type { RouteConfig } from './route-table.js';

export interface PassivePolicy {
  /** Consecutive failures (5xx, connect errors, timeouts) that eject a target. Envoy's consecutive_5xx. */
  consecutiveFailures: number;
  /** First ejection length; doubles with each repeat ejection, capped at 8×. */
  baseEjectionMs: number;
  /** Never eject more than this fraction of a route's targets. */
  maxEjectionPercent: number;
}

export const DEFAULT_PASSIVE: PassivePolicy = { consecutiveFailures: 3, baseEjectionMs: 30_000, maxEjectionPercent: 50 };

export class Target {
  readonly pool: Pool;
  readonly origin: string;
  /** Path prefix of the target URL ('' or '/base'), put before the forwarded path. */
  readonly basePath: string;
  active = 0;
  requests = 0;
  consecutiveFailures = 0;
  ejectedUntil = 0;
  ejections = 0;
  /** Set by active checks; undefined until the first check. */
  activeHealthy: boolean | undefined;
  activeFailures = 0;
  activeSuccesses = 0;

  constructor(
    readonly url: string,
    connections: number,
  ) {
    const parsed = new URL(url);
    this.origin = parsed.origin;
    this.basePath = parsed.pathname.replace(/\/+$/, '');
    this.pool = new Pool(this.origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  ejected(now: number): boolean {
    return now < this.ejectedUntil;
  }
}

const PROVOKED_WINDOW_MS = 60_000;
const PROVOKED_CONSUMERS_MAX = 10_000;

/**
 * Routes of one service normally share settings and so one breaker; a route with its own
 * threshold or recovery time gets its own, rather than two routes resetting each other's.
 */
function breakerKey(route: RouteConfig): string {
  return `${route.serviceName}|${route.failureThreshold}|${route.recoveryTimeoutMs}`;
}

/** `peer:orders` is a Tributary service's base URL from the peers map; anything else is used as is. */
export function resolveUpstream(url: string, peers: Record<string, string>): string | undefined {
  if (url.startsWith('peer:')) return peers[url.slice(5)];
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Targets, load balancing, passive ejection and one circuit breaker per upstream service.
 * Ejection is per target (one bad replica leaves the rotation); the breaker is per upstream
 * (the whole service is failing, so answer at once instead of queueing on it).
 */
export class Upstreams {
  private readonly targets = new Map<string, Target>();
  private readonly cursors = new Map<string, number>();
  private readonly smooth = new Map<string, Map<string, number>>();
  private readonly breakers = new Map<string, CircuitBreaker>();
  /** Per breaker, per consumer: when that consumer's requests last met a failure it could have provoked. */
  private readonly provoked = new Map<string, Map<string, number[]>>();

  constructor(
    private readonly peers: Record<string, string>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly passive: PassivePolicy = DEFAULT_PASSIVE,
    private readonly connections = 64,
  ) {}

  /** The route's targets, resolved; empty when none can be resolved (a misconfigured peer). */
  targetsOf(route: RouteConfig): Target[] {
    const list: Target[] = [];
    for (const server of route.servers) {
      const url = resolveUpstream(server.url, this.peers);
      if (!url) continue;
      let target = this.targets.get(url);
      if (!target) {
        target = new Target(url, this.connections);
        this.targets.set(url, target);
      }
      list.push(target);
    }
    return list;
  }

  allTargets(): Target[] {
    return [...this.targets.values()];
  }

  pick(route: RouteConfig, exclude: ReadonlySet<Target> = new Set()): Target | undefined {
    const all = this.targetsOf(route);
    const now = this.clock.now();
    let eligible = all.filter((t) => !exclude.has(t) && !t.ejected(now) && t.activeHealthy !== false);
    // Panic mode: when health says nobody is fit, try everyone rather than fail closed.
    if (eligible.length === 0) eligible = all.filter((t) => !exclude.has(t));
    if (eligible.length <= 1) return eligible[0];
    switch (route.loadBalancer) {
      case 'least_connections': {
        const fewest = Math.min(...eligible.map((t) => t.active));
        const tied = eligible.filter((t) => t.active === fewest);
        return tied[this.nextCursor(route.routeId, tied.length)];
      }
      case 'weighted':
        return this.smoothWeighted(route, eligible);
      default:
        return eligible[this.nextCursor(route.routeId, eligible.length)];
    }
  }

  private nextCursor(key: string, length: number): number {
    const cursor = this.cursors.get(key) ?? 0;
    this.cursors.set(key, cursor + 1);
    return cursor % length;
  }

  /** nginx's smooth weighted round robin: weights 5,1,1 give a,a,b,a,c,a,a, not a burst of a's. */
  private smoothWeighted(route: RouteConfig, eligible: Target[]): Target {
    const weights = new Map(route.servers.map((s) => [resolveUpstream(s.url, this.peers), s.weight] as const));
    const state = this.smooth.get(route.routeId) ?? new Map<string, number>();
    this.smooth.set(route.routeId, state);
    let total = 0;
    let best: Target = eligible[0]!;
    let bestWeight = -Infinity;
    for (const target of eligible) {
      const weight = weights.get(target.url) ?? 1;
      total += weight;
      const current = (state.get(target.url) ?? 0) + weight;
      state.set(target.url, current);
      if (current > bestWeight) {
        bestWeight = current;
        best = target;
      }
    }
    state.set(best.url, bestWeight - total);
    return best;
  }

  /** Passive health: called with every proxied outcome. */
  report(route: RouteConfig, target: Target, ok: boolean): void {
    if (ok) {
      target.consecutiveFailures = 0;
      if (!target.ejected(this.clock.now())) target.ejections = 0;
      return;
    }
    target.consecutiveFailures++;
    if (target.consecutiveFailures < this.passive.consecutiveFailures) return;
    const now = this.clock.now();
    if (target.ejected(now)) return;
    const peers = this.targetsOf(route);
    const ejectedNow = peers.filter((t) => t.ejected(now)).length;
    if (((ejectedNow + 1) / peers.length) * 100 > this.passive.maxEjectionPercent) return;
    const multiplier = Math.min(8, 2 ** target.ejections);
    target.ejectedUntil = now + this.passive.baseEjectionMs * multiplier;
    target.ejections++;
    target.consecutiveFailures = 0;
    this.logger.warn({ target: target.url, until: new Date(target.ejectedUntil).toISOString() }, 'upstream target ejected');
  }

  /** A healthy active check brings an ejected target straight back. */
  reportActive(target: Target, healthy: boolean, threshold = 2): boolean {
    if (healthy) {
      target.activeSuccesses++;
      target.activeFailures = 0;
      target.activeHealthy = true;
      target.ejectedUntil = 0;
      target.consecutiveFailures = 0;
    } else {
      target.activeFailures++;
      target.activeSuccesses = 0;
      if (target.activeFailures >= threshold) target.activeHealthy = false;
    }
    return target.activeHealthy !== false;
  }

  /**
   * A timeout or a 502/503/504 can be provoked by the request itself (a query that makes the
   * upstream slow or shed load). Such failures count against the breaker only up to half its
   * threshold per consumer in a minute, so opening it takes the failures of at least two
   * consumers: one client can no longer open the breaker for everyone. Refused connections
   * are not provoked by anyone and always count.
   */
  admitProvokedFailure(route: RouteConfig, consumer: string): boolean {
    const key = breakerKey(route);
    const now = this.clock.now();
    let perConsumer = this.provoked.get(key);
    if (!perConsumer) {
      perConsumer = new Map();
      this.provoked.set(key, perConsumer);
    }
    if (perConsumer.size > PROVOKED_CONSUMERS_MAX) {
      for (const [name, times] of perConsumer) if (times.every((t) => t <= now - PROVOKED_WINDOW_MS)) perConsumer.delete(name);
    }
    const recent = (perConsumer.get(consumer) ?? []).filter((t) => t > now - PROVOKED_WINDOW_MS);
    const admitted = recent.length < Math.max(1, Math.ceil(route.failureThreshold / 2));
    recent.push(now);
    perConsumer.set(consumer, recent);
    return admitted;
  }

  breakerFor(route: RouteConfig): CircuitBreaker | undefined {
    if (!route.breakerEnabled) return undefined;
    const key = breakerKey(route);
    let breaker = this.breakers.get(key);
    if (!breaker) {
      breaker = new CircuitBreaker(route.serviceName, {
        consecutiveFailures: route.failureThreshold,
        failureRateThreshold: 0.5,
        minimumRequests: 20,
        windowMs: 60_000,
        halfOpenAfterMs: route.recoveryTimeoutMs,
        now: () => this.clock.now(),
        onStateChange: (change) =>
          this.logger.warn(
            { upstream: change.name, from: change.from, to: change.to, reason: change.reason },
            'circuit breaker state changed',
          ),
      });
      this.breakers.set(key, breaker);
    }
    return breaker;
  }

  /** The route's breaker as it stands, without creating one: none until the route first forwards. */
  breakerSnapshotOf(route: RouteConfig): BreakerSnapshot | undefined {
    return route.breakerEnabled ? this.breakers.get(breakerKey(route))?.snapshot() : undefined;
  }

  breakerSnapshots(): BreakerSnapshot[] {
    return [...this.breakers.values()].map((breaker) => breaker.snapshot());
  }

  targetSnapshots() {
    const now = this.clock.now();
    return this.allTargets().map((t) => ({
      url: t.url,
      activeRequests: t.active,
      requests: t.requests,
      ejected: t.ejected(now),
      ejectedUntil: t.ejected(now) ? new Date(t.ejectedUntil).toISOString() : null,
      activeHealthy: t.activeHealthy ?? null,
      consecutiveFailures: t.consecutiveFailures,
    }));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.allTargets().map((t) => t.pool.close()));
  }
}
