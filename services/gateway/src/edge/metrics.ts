import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS } from '@tributary/platform/http';
import type { GatewayDeps } from '../deps.js';

const STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** What one answered request is counted under; `route` is a configured template, never a URL. */
export interface RequestSeries {
  service: string;
  decision: string;
  route: string;
  method: string;
  status: number;
}

/**
 * Gateway metrics with bounded labels: service names, decisions, configured route templates,
 * standard methods and status classes, never users, keys or raw paths.
 */
export function createGatewayMetrics(registry: Registry, deps: Pick<GatewayDeps, 'audit' | 'upstreams'>) {
  const requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests by route service, edge decision, route template, method and status class',
    labelNames: ['service', 'decision', 'route', 'method', 'status_class'],
    registers: [registry],
  });
  const upstreamLatency = new Histogram({
    name: 'gateway_upstream_latency_seconds',
    help: 'From forwarding a request upstream to its answer headers, retries included, by route template',
    labelNames: ['service', 'route', 'method'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [registry],
  });
  new Gauge({
    name: 'gateway_circuit_state',
    help: 'Circuit breaker per upstream: 0 closed, 1 half-open, 2 open',
    labelNames: ['upstream'],
    registers: [registry],
    collect() {
      this.reset();
      for (const snapshot of deps.upstreams.breakerSnapshots()) this.set({ upstream: snapshot.name }, STATE_VALUE[snapshot.state]);
    },
  });
  new Gauge({
    name: 'gateway_targets_ejected',
    help: 'Upstream targets currently out of rotation (ejected or failing active checks)',
    registers: [registry],
    collect() {
      this.set(deps.upstreams.targetSnapshots().filter((t) => t.ejected || t.activeHealthy === false).length);
    },
  });
  new Gauge({
    name: 'gateway_audit_buffered',
    help: 'Audit records waiting to be written',
    registers: [registry],
    collect() {
      this.set(deps.audit.pending);
    },
  });
  new Counter({
    name: 'gateway_audit_dropped_total',
    help: 'Audit records dropped since start (buffer full or insert failed)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(deps.audit.dropped);
    },
  });
  return {
    answered(series: RequestSeries, upstreamSeconds: number | undefined): void {
      const method = METHODS.has(series.method) ? series.method : 'OTHER';
      const { service, route } = series;
      requests.inc({ service, decision: series.decision, route, method, status_class: `${Math.floor(series.status / 100)}xx` });
      if (upstreamSeconds !== undefined) upstreamLatency.observe({ service, route, method }, upstreamSeconds);
    },
  };
}
