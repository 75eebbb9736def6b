import type { SigningCredentials, SigningScope } from '../auth/sign.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { Database } from '../db/create.js';
import type { Migration } from '../migrate/migrate.js';
import type { Keyring } from './keys.js';

/**
 * Everything a service needs from its process, handed over by `main.ts` or by `tributary up`.
 * `DB` is the service's schema, named once by its definition, so `database.db` is typed with
 * no cast. It defaults to `any` like Database's: the composition roots hold every service's
 * definition at once and never query.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the composition roots hold every service's definition at once (see above)
export interface ServiceContext<DB = any> {
  name: string;
  database: Database<DB>;
  logger: Logger;
  clock: Clock;
  /** Who may call this service (verification) — the platform keyring. */
  keyring: Keyring;
  /** The key this service signs its outgoing calls with. */
  credentials: SigningCredentials;
  scope: SigningScope;
  /** Base URLs of the other services, by service name. */
  peers: Record<string, string>;
  /** The service's own environment (already validated settings are read from it by the service). */
  env: Record<string, string | undefined>;
}

export interface BackgroundTask {
  stop(): Promise<void>;
}

/**
 * What every service folder exports from `src/service.ts`. The composition roots (a service's
 * `main.ts`, the CLI's `up`) only ever talk to services through this shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as ServiceContext's default
export interface ServiceDefinition<DB = any, App = unknown, Deps = unknown> {
  name: string;
  /** Default port when run alone or under `tributary up`. */
  defaultPort: number;
  migrations: readonly Migration[];
  /**
   * What the HTTP app and the background workers of one instance share (caches, metrics, the
   * workers' wake-up), built once per instance by startService and handed to both. A service
   * whose app and workers share nothing leaves it out.
   */
  deps?(context: ServiceContext<DB>): Deps;
  /** Without `deps` (tests building the app alone) the service builds its own. */
  buildApp(context: ServiceContext<DB>, deps?: Deps): Promise<App>;
  /** Demo data for a first start; must be idempotent. */
  seed?(context: ServiceContext<DB>): Promise<void>;
  /**
   * Start-up work after migrations and seeding, before the app is built, on every start (the
   * gateway's first administrator). Must be safe when replicas run it at once.
   */
  bootstrap?(context: ServiceContext<DB>): Promise<void>;
  /** Lines for the startup banner of `tributary up` (e.g. the gateway's logins), given the URL it listens on. */
  notes?(context: ServiceContext<DB>, url: string): Promise<string[]>;
  /** Workers that run beside the HTTP server (outbox relays, schedulers). */
  startBackground?(context: ServiceContext<DB>, deps?: Deps): Promise<BackgroundTask>;
}
