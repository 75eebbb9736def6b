import type { ConfigurationsRepository } from '../configurations/configurations.repository.js';
import type { Route } from './routes.js';

/**
 * Configurations are read on every capture and delivery; they change rarely. The cache is
 * reloaded after a local change at once and otherwise every `ttlMs`, so a change made through
 * another replica takes effect within that time.
 */
export class RouteCache {
  private routes: Route[] | undefined;
  private loadedAt = 0;
  private loading: Promise<Route[]> | undefined;
  /** Bumped by invalidate(): a load that started before a change must not be served after it. */
  private generation = 0;

  constructor(
    private readonly repository: Pick<ConfigurationsRepository, 'routes'>,
    private readonly ttlMs = 2000,
  ) {}

  async all(): Promise<Route[]> {
    if (this.routes && Date.now() - this.loadedAt < this.ttlMs) return this.routes;
    if (!this.loading) {
      const generation = this.generation;
      const load = this.repository
        .routes()
        .then((routes) => {
          if (generation === this.generation) {
            this.routes = routes;
            this.loadedAt = Date.now();
          }
          return routes;
        })
        .finally(() => {
          if (this.loading === load) this.loading = undefined;
        });
      this.loading = load;
    }
    return this.loading;
  }

  async byId(configId: string | null): Promise<Route | undefined> {
    if (!configId) return undefined;
    const routes = await this.all();
    return routes.find((route) => route.configId === configId);
  }

  invalidate(): void {
    this.generation += 1;
    this.routes = undefined;
    this.loading = undefined;
  }
}
