import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { unauthenticated } from '../core/errors.js';
import { equalSecrets } from '../core/secrets.js';
import type { HttpServerInstance } from './types.js';
import { ownCredentialAccess } from './access.js';

type Labels = 'method' | 'route' | 'status';

export interface HttpMetrics {
  registry: Registry;
  requests: Counter<Labels>;
  duration: Histogram<Labels>;
}

/** The route label for requests no route matched: one series, however many URLs scanners try. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Seconds. Boundaries at the objectives the alerts and dashboards test against (p95 under 200 ms,
 * slow above 500 ms), so those quantiles come from a bucket edge rather than an interpolation.
 */
export const LATENCY_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/**
 * Process metrics (CPU, memory, event-loop lag, GC) describe the process, not an app, and
 * collecting them starts observers: doing that per app would measure the same process N
 * times. So they live in one registry per process, created on first use, and every app's
 * /metrics appends it to its own.
 */
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/**
 * A registry per app, not prom-client's global one, so several apps in one process never
 * collide. Its series carry a `service` label, so they stay apart when one process runs several
 * services and their scrapes are aggregated.
 */
export function createHttpMetrics(service: string): HttpMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const labelNames = ['method', 'route', 'status'] as const;
  return {
    registry,
    requests: new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to finishing its answer',
      labelNames,
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [registry],
    }),
  };
}

/** The route pattern, never the raw URL: `/orders/:id`, not one series per order. */
export function routeLabel(request: FastifyRequest): string {
  return request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
}

export const METRICS_PATH = '/metrics';

/** Who may scrape (ADR 0007). */
export interface MetricsAccess {
  /** `Authorization: Bearer <token>` is accepted when set (METRICS_TOKEN). */
  token?: string | undefined;
  /** The app verifies SigV4, so a signed scrape (any service key holder) is accepted. */
  signed: boolean;
}

const BEARER = /^Bearer[ ]+(\S+)\s*$/i;

/** A scrape presenting a bearer token: the SigV4 hook leaves it to the metrics route to judge. */
export function isMetricsBearerRequest(request: { url: string; headers: IncomingHttpHeaders }): boolean {
  return request.url.split('?', 1)[0] === METRICS_PATH && BEARER.test(request.headers.authorization ?? '');
}

/**
 * Process and request metrics say what runs and how busy it is: not public. A scrape must be
 * signed or carry the metrics token; an app with neither signatures nor a token configured
 * (a bare test app) has no credential to ask for and leaves the route open.
 */
function checkScrape(request: FastifyRequest, access: MetricsAccess): void {
  if (request.identity) return;
  const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (access.token !== undefined && presented !== undefined && equalSecrets(presented, access.token)) return;
  if (!access.signed && access.token === undefined) return;
  throw unauthenticated('METRICS_UNAUTHORIZED', 'Scraping /metrics needs a signed request or the metrics bearer token', {
    headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
  });
}

/**
 * Probes and scrapes are counted and timed like any route: they are few series, and a slow
 * /health/ready or /metrics is itself worth seeing on a dashboard.
 */
const SCRAPE = ownCredentialAccess('a signature or the metrics bearer token, checked by the route');

export function registerMetrics(app: HttpServerInstance, metrics: HttpMetrics, access: MetricsAccess = { signed: false }): void {
  // A callback hook, not an async one: a promise per request cost more than the counting itself.
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const labels = { method: request.method, route: routeLabel(request), status: String(reply.statusCode) };
    metrics.requests.inc(labels);
    metrics.duration.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  app.get(
    METRICS_PATH,
    { config: { access: SCRAPE }, schema: { hide: true }, preHandler: async (request) => checkScrape(request, access) },
    async (_request, reply) => {
      const [own, shared] = await Promise.all([metrics.registry.metrics(), processMetrics().metrics()]);
      return reply.type(metrics.registry.contentType).send(`${own}\n${shared}`);
    },
  );
}
