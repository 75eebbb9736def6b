import type { Kysely } from 'kysely';
import type { Clock, Logger } from '@tributary/platform/core';
import type { GatewayDatabase } from '../../db/schema.js';
import type { RouteTable } from './route-table.js';
import type { Target, Upstreams } from './upstreams.js';

const CHECK_TIMEOUT_MS = 5_000;

/**
 * Active checks: GET <target><health path> per route's interval; 2xx is healthy. Results go
 * to service_health. A target found healthy again is back in rotation at once, whatever
 * passive ejection said, so targets always come back.
 */
export class HealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private readonly nextAt = new Map<Target, number>();
  private running: Promise<void> | undefined;

  constructor(
    private readonly routes: RouteTable,
    private readonly upstreams: Upstreams,
    private readonly db: Kysely<GatewayDatabase>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(tickMs = 1_000): void {
    this.timer ??= setInterval(() => void this.runOnce(false), tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Checks every due target (all of them when forced). */
  async runOnce(force = true): Promise<void> {
    if (this.running) return this.running;
    this.running = this.round(force).finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(force: boolean): Promise<void> {
    const now = this.clock.now();
    const due = new Map<Target, { path: string; service: string; interval: number }>();
    for (const route of this.routes.routes()) {
      if (!route.healthCheckUrl) continue;
      for (const target of this.upstreams.targetsOf(route)) {
        if (due.has(target)) continue;
        if (!force && (this.nextAt.get(target) ?? 0) > now) continue;
        due.set(target, { path: route.healthCheckUrl, service: route.serviceName, interval: route.healthCheckIntervalMs });
      }
    }
    if (due.size === 0) return;
    const rows = await Promise.all(
      [...due].map(async ([target, check]) => {
        this.nextAt.set(target, now + check.interval);
        const started = Date.now();
        let healthy = false;
        let error: string | null = null;
        try {
          const path = check.path.startsWith('/') ? `${target.basePath}${check.path}` : new URL(check.path).pathname;
          const response = await target.pool.request({
            method: 'GET',
            path,
            headersTimeout: CHECK_TIMEOUT_MS,
            bodyTimeout: CHECK_TIMEOUT_MS,
          });
          await response.body.dump();
          healthy = response.statusCode >= 200 && response.statusCode < 300;
          if (!healthy) error = `status ${response.statusCode}`;
        } catch (thrown) {
          error = thrown instanceof Error ? thrown.message : String(thrown);
        }
        const wasHealthy = target.activeHealthy;
        const nowHealthy = this.upstreams.reportActive(target, healthy);
        if (wasHealthy !== undefined && wasHealthy !== nowHealthy) {
          this.logger.warn({ target: target.url, healthy: nowHealthy, error }, 'upstream target health changed');
        }
        return {
          service_name: check.service,
          server_url: target.url,
          status: healthy ? ('healthy' as const) : ('unhealthy' as const),
          response_time_ms: Date.now() - started,
          error_message: error,
          check_timestamp: new Date(now),
          check_type: 'automatic',
          consecutive_successes: target.activeSuccesses,
          consecutive_failures: target.activeFailures,
        };
      }),
    );
    try {
      await this.db
        .insertInto('service_health')
        .values(rows)
        .onConflict((oc) => oc.constraint('uk_service_health').doNothing())
        .execute();
    } catch (thrown) {
      this.logger.warn({ err: thrown }, 'could not record health checks');
    }
  }
}
