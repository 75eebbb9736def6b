import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { ManualClock, silentLogger } from '@tributary/platform/core';
import { createHttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import type { ServiceContext } from '@tributary/platform/service';
import { afterAll, beforeAll } from 'vitest';
import {
  testAuth,
  useTestBed,
  type TestBed,
  type TestDatabase,
  type TestDatabaseTarget,
  testServiceContext,
} from '@tributary/platform/testing';
import { buildGateway, type Gateway } from '../src/app.js';
import { migrations } from '../src/db/migrations/index.js';
import type { GatewayDatabase, RateLimitTier } from '../src/db/schema.js';
import type { GatewayOptions } from '../src/deps.js';
import { seedRoutes } from '../src/seed.js';

export const PASSWORD = 'correct-horse-battery';

/** Cheap argon2 for tests; the cost parameters live in each hash, so verification is unchanged. */
/** Tests run replicas side by side on one database, so the revocation version must be shared (not in-process). */
export const TEST_ENV = { ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1', HEALTH_CHECKS: 'false', REVOCATION_STORE: 'postgres' };

export interface Upstream {
  name: string;
  url: string;
  hits: number;
  /** Status to answer with; 200 by default. */
  status: number;
  /** When set, requests wait for it before answering. */
  hold: Promise<void> | undefined;
  extraHeaders: Record<string, string>;
  /** Status of GET /health/live on unsigned upstreams. */
  healthStatus: number;
  last?: { path: string; method: string; identity: unknown; headers: Record<string, unknown>; body: unknown };
  app: FastifyInstance;
}

/**
 * A real HTTP upstream built on the kernel app with SigV4 verification switched on, so every
 * forwarded request proves the gateway signed it (identity headers included).
 */
export async function startUpstream(name: string, options: { verify?: boolean } = {}): Promise<Upstream> {
  const upstream = { name, hits: 0, status: 200, hold: undefined, extraHeaders: {}, healthStatus: 200 } as unknown as Upstream;
  const app =
    options.verify === false
      ? (Fastify() as unknown as FastifyInstance)
      : ((await createHttpApp({ name, logger: silentLogger(), auth: testAuth() })) as unknown as FastifyInstance);
  if (options.verify === false)
    app.get('/health/live', async (_request, reply) => reply.code(upstream.healthStatus).send({ status: upstream.healthStatus }));
  app.route({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/*',
    handler: async (request, reply) => {
      upstream.hits++;
      if (upstream.hold) await upstream.hold;
      const path = request.url.split('?')[0]!;
      upstream.last = {
        path,
        method: request.method,
        identity: (request as { identity?: unknown }).identity,
        headers: request.headers,
        body: request.body,
      };
      reply.headers(upstream.extraHeaders);
      return reply
        .code(upstream.status)
        .send({ service: name, path, query: request.query, identity: upstream.last.identity, n: upstream.hits });
    },
  });
  upstream.app = app;
  upstream.url = await app.listen({ host: '127.0.0.1', port: 0 });
  return upstream;
}

export interface TestGateway extends Gateway {
  clock: ManualClock;
  context: ServiceContext;
}

export async function migrated(handle: TestDatabase): Promise<void> {
  await migrateToLatest(handle.database, migrations);
}

export interface StartGatewayOptions {
  peers?: Record<string, string>;
  env?: Record<string, string>;
  clock?: ManualClock;
  gateway?: GatewayOptions;
}

export async function startGateway(handle: TestDatabase, options: StartGatewayOptions = {}): Promise<TestGateway> {
  const clock = options.clock ?? new ManualClock(Date.now());
  const context = testServiceContext<GatewayDatabase>('gateway', handle.database, {
    peers: options.peers,
    env: { ...TEST_ENV, ...options.env },
    clock,
  });
  const gateway = await buildGateway(context, { manualBackground: true, ...options.gateway });
  await gateway.app.ready();
  return { ...gateway, clock, context };
}

/** A migrated gateway database for one block; the gateways and upstreams started through it close after the block. */
export interface GatewayBed extends TestBed {
  gateway(options?: StartGatewayOptions): Promise<TestGateway>;
  upstream(name: string, options?: { verify?: boolean }): Promise<Upstream>;
}

export function gatewayBed(target: TestDatabaseTarget): GatewayBed {
  const bed = useTestBed({ beforeAll, afterAll }, target, migrated);
  return {
    get handle() {
      return bed.handle;
    },
    closing: (resource, close) => bed.closing(resource, close),
    gateway: async (options) => bed.closing(await startGateway(bed.handle, options), (gateway) => gateway.app.close()),
    upstream: async (name, options) => bed.closing(await startUpstream(name, options), (upstream) => upstream.app.close()),
  };
}

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

export async function createUser(gateway: Gateway, username: string, role: string, tier: RateLimitTier = 'standard', password = PASSWORD) {
  return gateway.deps.users.create({
    userId: `usr_${username.replace(/[^a-z0-9]+/gi, '_')}`,
    username,
    email: `${username}@test.local`,
    passwordHash: await gateway.deps.hasher.hash(password),
    fullName: username,
    role,
    tier,
    createdBy: 'test',
  });
}

export async function login(gateway: Gateway, username: string, password = PASSWORD, remoteAddress = '127.0.0.1') {
  return gateway.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });
}

export async function tokenFor(gateway: Gateway, username: string, password = PASSWORD): Promise<string> {
  const response = await login(gateway, username, password);
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  return response.json().accessToken as string;
}

export function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

/** An open route to a plain upstream that analysts may call, whose traffic the audit tests read back. */
export const AUDITED_ROUTE = {
  pathPattern: '/audited/*',
  httpMethod: 'ANY',
  serviceName: 'svc',
  routeName: 'audited',
  upstreamAuth: 'none',
  authorizationRoles: ['analyst'],
};

/** A route to one plain (unsigned) upstream, named after its path; `extra` sets the rest. */
export function plainRoute(path: string, serviceName: string, upstreamUrl: string, extra: Record<string, unknown> = {}) {
  return { pathPattern: path, httpMethod: 'GET', serviceName, routeName: path.slice(1), upstreamUrl, upstreamAuth: 'none', ...extra };
}

/** Adds a route through the admin API, as an operator does. */
export function postRoute(gateway: Gateway, adminToken: string, route: Record<string, unknown>) {
  return gateway.app.inject({ method: 'POST', url: '/api/v1/admin/routes', headers: bearer(adminToken), payload: route });
}

export { seedRoutes };
