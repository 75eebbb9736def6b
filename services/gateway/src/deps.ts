import type { SigningCredentials, SigningScope } from '@tributary/platform/auth';
import type { Clock, Logger } from '@tributary/platform/core';
import type { Database, Kysely } from '@tributary/platform/db';
import type { ServiceContext } from '@tributary/platform/service';
import type { EdgeAuthDeps } from './edge/limits.js';
import { readConfig, type GatewayConfig } from './config.js';
import { SecretBox } from './crypto.js';
import type { GatewayDatabase } from './db/schema.js';
import { AuditWriter } from './features/audit/audit-writer.js';
import { maintainAuditPartitions } from './features/audit/partitions.js';
import { AuthService } from './features/auth/auth.service.js';
import { PasswordHasher, type PasswordPolicy } from './features/auth/passwords.js';
import { SigningKeys } from './features/auth/signing-keys.js';
import { TokensRepository } from './features/auth/tokens.repository.js';
import { gatewayFieldCipher, UsersRepository } from './features/auth/users.repository.js';
import { TwoFactorRepository } from './features/two-factor/two-factor.repository.js';
import { TwoFactorService } from './features/two-factor/two-factor.service.js';
import { KeysRepository } from './features/keys/keys.repository.js';
import { KeysService } from './features/keys/keys.service.js';
import { RateLimitService } from './features/limits/limiter.js';
import { LimiterFactory } from './features/limits/store.js';
import { UsageTracker } from './features/limits/tracking.js';
import { HealthChecker } from './features/routing/health-checker.js';
import { ResponseCache } from './features/routing/response-cache.js';
import { RouteLoader } from './features/routing/route-loader.js';
import { RouteTable } from './features/routing/route-table.js';
import { installDefaultRoutesIfEmpty } from './features/routing/default-routes.js';
import { RoutesRepository } from './features/routing/routes.repository.js';
import { Upstreams, DEFAULT_PASSIVE, type PassivePolicy } from './features/routing/upstreams.js';
import { connectRedis, type RedisClient } from './shared/redis.js';
import { dbVersions, localVersions, redisVersions, VersionedCache, type VersionSource } from './shared/versions.js';

export interface GatewayOptions {
  /** Tests shorten ejection times and the like. */
  passive?: Partial<PassivePolicy>;
  /** Skip background timers (tests drive reloads, checks and flushes by hand). */
  manualBackground?: boolean;
}

/**
 * Every long-lived part of one gateway replica, built once from the service context in
 * app.ts. No feature takes the whole of it: each declares the part it uses (the types below),
 * and app.ts hands that over.
 */
export interface GatewayDeps {
  config: GatewayConfig;
  clock: Clock;
  logger: Logger;
  database: Database<GatewayDatabase>;
  db: Kysely<GatewayDatabase>;
  /** Base URLs of the services, by name; and what the gateway signs its calls to them with. */
  peers: Record<string, string>;
  credentials: SigningCredentials;
  scope: SigningScope;
  env: Record<string, string | undefined>;
  redis: RedisClient | undefined;
  versions: VersionSource;
  box: SecretBox;
  users: UsersRepository;
  tokens: TokensRepository;
  signingKeys: SigningKeys;
  hasher: PasswordHasher;
  auth: AuthService;
  twoFactor: TwoFactorService;
  keysRepo: KeysRepository;
  keys: KeysService;
  limiters: LimiterFactory;
  limits: RateLimitService;
  tracker: UsageTracker;
  routesRepo: RoutesRepository;
  routes: RouteTable;
  routeLoader: RouteLoader;
  upstreams: Upstreams;
  health: HealthChecker;
  cache: ResponseCache;
  audit: AuditWriter;
  policy: PasswordPolicy;
}

/** What each feature is handed. */
export type AuthRouteDeps = EdgeAuthDeps & Pick<GatewayDeps, 'users' | 'signingKeys'>;
export type HarshaAdminDeps = EdgeAuthDeps & Pick<GatewayDeps, 'db' | 'audit' | 'clock'>;
export type HarshaHealthDeps = Pick<GatewayDeps, 'database' | 'redis' | 'clock'>;
export type HarshaAuthDeps = EdgeAuthDeps & Pick<GatewayDeps, 'users' | 'hasher' | 'policy' | 'twoFactor' | 'clock'>;
export type AdminUserDeps = EdgeAuthDeps &
  Pick<GatewayDeps, 'users' | 'tokens' | 'signingKeys' | 'hasher' | 'policy' | 'versions' | 'clock'>;
export type AdminKeyDeps = EdgeAuthDeps & Pick<GatewayDeps, 'keysRepo' | 'users'>;
export type AdminRouteDeps = EdgeAuthDeps &
  Pick<
    GatewayDeps,
    'config' | 'db' | 'database' | 'redis' | 'audit' | 'cache' | 'routes' | 'routesRepo' | 'routeLoader' | 'upstreams' | 'peers' | 'clock'
  >;
export type AdminStatusDeps = EdgeAuthDeps & Pick<GatewayDeps, 'db' | 'routes' | 'upstreams' | 'peers' | 'clock'>;
export type PrivacyDeps = EdgeAuthDeps &
  Pick<
    GatewayDeps,
    'db' | 'database' | 'audit' | 'tracker' | 'users' | 'versions' | 'clock' | 'logger' | 'peers' | 'credentials' | 'scope' | 'env'
  >;
export type DocsDeps = Pick<GatewayDeps, 'routes' | 'clock' | 'logger' | 'peers' | 'credentials' | 'scope'>;
export type PipelineDeps = EdgeAuthDeps & Pick<GatewayDeps, 'peers' | 'credentials' | 'scope' | 'logger' | 'clock'>;
export type EdgeDeps = EdgeAuthDeps &
  Pick<GatewayDeps, 'config' | 'audit' | 'tracker' | 'routes' | 'cache' | 'upstreams' | 'credentials' | 'scope' | 'clock'>;

/** Starts and stops the replica's timers and workers with the app. */
export interface GatewayLifecycle {
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function passwordPolicy(config: GatewayConfig): PasswordPolicy {
  return {
    minLength: config.PASSWORD_MIN_LENGTH,
    requireUpper: config.PASSWORD_REQUIRE_UPPER,
    requireLower: config.PASSWORD_REQUIRE_LOWER,
    requireDigit: config.PASSWORD_REQUIRE_DIGIT,
    requireSymbol: config.PASSWORD_REQUIRE_SYMBOL,
    memoryCost: config.ARGON2_MEMORY_KIB,
    timeCost: config.ARGON2_TIME_COST,
    parallelism: config.ARGON2_PARALLELISM,
  };
}

/**
 * Where the revocation version lives. Local (in-process) is exact only when this process is
 * the only replica: PGlite guarantees that (one process per data directory), so `auto` picks it
 * there; with PostgreSQL several replicas may share the database, so `auto` reads the version
 * row (or Redis when configured).
 */
function versionSource(
  config: GatewayConfig,
  context: ServiceContext<GatewayDatabase>,
  redis: RedisClient | undefined,
  db: Kysely<GatewayDatabase>,
): VersionSource {
  const store =
    config.REVOCATION_STORE === 'auto'
      ? redis
        ? 'redis'
        : context.database.dialect === 'pglite'
          ? 'local'
          : 'postgres'
      : config.REVOCATION_STORE;
  if (store === 'redis') {
    if (!redis) throw new Error('REVOCATION_STORE=redis needs REDIS_URL');
    return redisVersions(redis, db, (error) =>
      context.logger.warn({ err: error }, 'Redis unavailable for the revocation version; reading PostgreSQL'),
    );
  }
  return store === 'local' ? localVersions() : dbVersions(db);
}

export async function buildDeps(
  context: ServiceContext<GatewayDatabase>,
  options: GatewayOptions = {},
): Promise<{ deps: GatewayDeps; lifecycle: GatewayLifecycle }> {
  const config = readConfig(context.env);
  const db = context.database.db;
  const logger = context.logger;
  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL) : undefined;
  const versions = versionSource(config, context, redis, db);
  // Without a configured key, the gateway's own service secret (shared by its replicas) seals secrets.
  const box = new SecretBox(config.GATEWAY_SECRET_KEY ?? context.credentials.secretAccessKey);
  const authCache = new VersionedCache<unknown>(versions, 'auth');
  const users = new UsersRepository(db, await gatewayFieldCipher(context));
  await users.encryptExisting();
  const tokens = new TokensRepository(db);
  const policy = passwordPolicy(config);
  const hasher = new PasswordHasher(policy);
  const signingKeys = new SigningKeys(
    db,
    box,
    context.clock,
    { issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS },
    logger,
  );
  const limiters = new LimiterFactory(redis);
  const twoFactor = new TwoFactorService({
    repo: new TwoFactorRepository(db),
    box,
    users,
    clock: context.clock,
    issuer: config.JWT_ISSUER,
  });
  const auth = new AuthService({
    db,
    secondFactor: twoFactor,
    users,
    tokens,
    keys: signingKeys,
    hasher,
    versions,
    cache: authCache,
    limiters,
    clock: context.clock,
    logger,
    settings: {
      accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
      rememberMeRefreshTtlSeconds: config.REMEMBER_ME_REFRESH_TTL_SECONDS,
      lockoutMaxFailures: config.LOCKOUT_MAX_FAILURES,
      lockoutSeconds: config.LOCKOUT_DURATION_SECONDS,
      loginIpMaxFailures: config.LOGIN_IP_MAX_FAILURES,
      loginIpWindowSeconds: config.LOGIN_IP_WINDOW_SECONDS,
      policy,
    },
  });
  twoFactor.auth = auth;
  const keysRepo = new KeysRepository(db);
  const keys = new KeysService({
    keys: keysRepo,
    users,
    box,
    versions,
    cache: authCache,
    clock: context.clock,
    logger,
    sigv4: { region: config.CLIENT_SIGV4_REGION, service: config.CLIENT_SIGV4_SERVICE },
  });
  const limits = new RateLimitService(limiters, { failOpen: config.RATE_LIMIT_FAIL_OPEN, logger });
  const tracker = new UsageTracker(db, logger, 5_000);
  const routesRepo = new RoutesRepository(db);
  const routes = new RouteTable();
  const cache = new ResponseCache(config.CACHE_MAX_BYTES, () => context.clock.now());
  // A route change may change who may see what: drop cached responses with it.
  const routeLoader = new RouteLoader(routesRepo, routes, versions, logger, () => cache.clear());
  const upstreams = new Upstreams(context.peers, context.clock, logger, { ...DEFAULT_PASSIVE, ...options.passive });
  const health = new HealthChecker(routes, upstreams, db, context.clock, logger);
  const audit = new AuditWriter(db, logger, { flushMs: config.AUDIT_FLUSH_MS, batchSize: config.AUDIT_BATCH_SIZE });

  let maintenance: NodeJS.Timeout | undefined;
  let usageTimer: NodeJS.Timeout | undefined;
  let ticks = 0;
  const deps: GatewayDeps = {
    config,
    clock: context.clock,
    logger,
    database: context.database,
    db,
    peers: context.peers,
    credentials: context.credentials,
    scope: context.scope,
    env: context.env,
    redis,
    versions,
    box,
    users,
    tokens,
    signingKeys,
    hasher,
    auth,
    twoFactor,
    keysRepo,
    keys,
    limiters,
    limits,
    tracker,
    routesRepo,
    routes,
    routeLoader,
    upstreams,
    health,
    cache,
    audit,
    policy,
  };
  const lifecycle: GatewayLifecycle = {
    async start() {
      await maintainAuditPartitions(db, new Date(context.clock.now()), config.AUDIT_RETENTION_MONTHS, logger);
      await signingKeys.init();
      // A gateway with no routes at all is a fresh install: give it the Tributary defaults.
      // Once any route exists the table is the operator's, and nothing is re-added.
      // Installed, the version is bumped: a replica that loaded an empty table meanwhile reloads.
      if (config.DEFAULT_ROUTES && (await installDefaultRoutesIfEmpty(routesRepo)) > 0) await routeLoader.changed();
      else await routeLoader.reload();
      if (options.manualBackground) return;
      audit.start();
      tracker.start();
      routeLoader.start(config.ROUTES_POLL_MS);
      if (config.HEALTH_CHECKS) health.start();
      usageTimer = setInterval(() => {
        void keys.flushUsage();
        // Picks up a rotation done on another replica well before the retired key stops verifying.
        if (++ticks % 6 === 0) void signingKeys.reload().catch((error) => logger.warn({ err: error }, 'signing key reload failed'));
      }, 5_000);
      usageTimer.unref();
      maintenance = setInterval(
        () => {
          void maintainAuditPartitions(db, new Date(context.clock.now()), config.AUDIT_RETENTION_MONTHS, logger).catch((error) =>
            logger.warn({ err: error }, 'audit partition maintenance failed'),
          );
          void tokens.deleteExpired(new Date(context.clock.now() - 24 * 3600 * 1000)).catch(() => undefined);
        },
        6 * 3600 * 1000,
      );
      maintenance.unref();
    },
    async stop() {
      if (maintenance) clearInterval(maintenance);
      if (usageTimer) clearInterval(usageTimer);
      routeLoader.stop();
      await health.stop();
      await audit.stop();
      await tracker.stop();
      await keys.flushUsage();
      await upstreams.close();
      if (redis) await redis.quit().catch(() => undefined);
    },
  };
  return { deps, lifecycle };
}
