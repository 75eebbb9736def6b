import type { Logger } from '@tributary/platform/core';
import type { VersionSource } from '../../shared/versions.js';
import { toRouteConfig, type RouteTable } from './route-table.js';
import type { RoutesRepository } from './routes.repository.js';

/**
 * Keeps the in-memory route table in step with service_routes: the replica that changes a
 * route reloads at once; the others notice the bumped version within ROUTES_POLL_MS.
 */
export class RouteLoader {
  private timer: NodeJS.Timeout | undefined;
  private seen: string | undefined;
  private reloading: Promise<void> | undefined;

  constructor(
    private readonly repo: RoutesRepository,
    private readonly table: RouteTable,
    private readonly versions: VersionSource,
    private readonly logger: Logger,
    private readonly onReload: () => void = () => undefined,
  ) {}

  async reload(): Promise<void> {
    this.reloading ??= (async () => {
      try {
        const version = await this.versions.current('routes');
        const rows = await this.repo.active();
        const configs = [];
        for (const row of rows) {
          try {
            configs.push(toRouteConfig(row));
          } catch (error) {
            this.logger.error({ err: error, routeId: row.route_id }, 'route skipped: invalid configuration');
          }
        }
        this.table.replace(configs);
        this.seen = version;
        this.onReload();
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  /** After a local change: reload here and tell the other replicas. */
  async changed(): Promise<void> {
    await this.versions.bump('routes');
    await this.reload();
  }

  /** One poll: reload when another replica bumped the version. */
  async checkForChanges(): Promise<boolean> {
    if ((await this.versions.current('routes')) === this.seen) return false;
    await this.reload();
    return true;
  }

  start(pollMs: number): void {
    this.timer ??= setInterval(() => {
      this.checkForChanges().catch((error) => this.logger.warn({ err: error }, 'route reload check failed'));
    }, pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
