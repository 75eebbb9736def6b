import { Counter, Gauge, type Registry } from 'prom-client';
import type { GatewayDeps } from '../deps.js';

const STATE_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/** Gateway metrics with bounded labels: service names, decisions and identifier types, never users or paths. */
export function createGatewayMetrics(registry: Registry, deps: Pick<GatewayDeps, 'audit' | 'upstreams'>) {
  const decisions = new Counter({
    name: 'gateway_requests_total',
    help: 'Requests by route service and edge decision',
    labelNames: ['service', 'decision'],
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
  new Gauge({
    name: 'gateway_audit_dropped',
    help: 'Audit records dropped since start (buffer full or insert failed)',
    registers: [registry],
    collect() {
      this.set(deps.audit.dropped);
    },
  });
  return { decisions };
}
