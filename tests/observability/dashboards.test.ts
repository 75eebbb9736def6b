import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureHttpEdge } from '@tributary/platform/http';
import { PLATFORM_TEST_ENV, SERVICE_NAMES, startPlatform, type FuzzPlatform } from '../security/platform.js';
import { exportedNames, readAlertRules, readDashboards, seriesNamesIn } from './metric-names.js';

const TOKEN = 'observability-scrape-token-0123456789';
/** Series Prometheus writes itself for every target it scrapes. */
const SYNTHETIC = new Set(['up']);

/** Each service's exposition as Prometheus would scrape it: over HTTP, with the metrics token. */
const scrapes = new Map<string, string>();
let platform: FuzzPlatform;

beforeAll(async () => {
  // The token every app of this process accepts, as a service process reads METRICS_TOKEN.
  configureHttpEdge({ metricsToken: TOKEN });
  platform = await startPlatform(PLATFORM_TEST_ENV);
  for (const name of SERVICE_NAMES) {
    const response = await fetch(`${platform.node(name).url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status, name).toBe(200);
    scrapes.set(name, await response.text());
  }
});

afterAll(async () => {
  await platform.stop();
});

const exported = () => new Set([...scrapes.values()].flatMap((text) => [...exportedNames(text)]));
const recorded = () => new Set(readAlertRules().groups.flatMap((group) => group.rules.flatMap((rule) => rule.record ?? [])));
const unknownIn = (expr: string, known: Set<string>) => seriesNamesIn(expr).filter((name) => !known.has(name) && !SYNTHETIC.has(name));

describe('what the services export', () => {
  it('every service reports its database pool and HTTP traffic; the gateway, sync and erp their own series', () => {
    for (const [name, text] of scrapes) {
      const names = exportedNames(text);
      expect(names, name).toContain('db_pool_connections');
      expect(names, name).toContain('db_connection_failures_total');
      expect(names, name).toContain('http_request_duration_seconds_bucket');
    }
    expect(exportedNames(scrapes.get('gateway')!)).toContain('gateway_upstream_latency_seconds_bucket');
    expect(exportedNames(scrapes.get('sync')!)).toContain('sync_behind_source_seconds');
    // Services with scheduled jobs: the scheduler's series, each job present from the start.
    for (const name of ['erp', 'sync']) {
      for (const series of [
        'scheduler_job_runs_total',
        'scheduler_job_duration_seconds_bucket',
        'scheduler_job_last_success_timestamp_seconds',
        'scheduler_job_running',
      ])
        expect(exportedNames(scrapes.get(name)!), name).toContain(series);
    }
    expect(scrapes.get('erp')).toMatch(/^scheduler_job_runs_total\{job="expiry-scan",outcome="failed",service="erp"\} 0$/m);
    expect(scrapes.get('sync')).toMatch(/^sync_conflict_oldest_pending_age_seconds\{service="sync"\} \d/m);
    expect(scrapes.get('sync')).toMatch(/^sync_conflicts_resolved_total\{resolver="system",service="sync"\} \d+$/m);
    // Counted on scrape from the seeded batches: a number, whatever the demo data's dates.
    expect(scrapes.get('erp')).toMatch(/^erp_batches_expiring\{within_days="7",service="erp"\} \d+$/m);
    // PGlite has no pool: the gauges are declared with no samples.
    expect(scrapes.get('orders')).not.toMatch(/^db_pool_connections\{/m);
  });

  it('names carry base units: counters end in _total, histograms in a unit, nothing is in milliseconds', () => {
    for (const [name, text] of scrapes) {
      for (const [, family, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        expect(family, `${name}: ${family}`).not.toMatch(/(^|_)(ms|milliseconds)(_|$)/);
        if (type === 'counter') expect(family, `${name}: ${family} is a counter`).toMatch(/_total$/);
        if (type === 'histogram') expect(family, `${name}: ${family} is a histogram`).toMatch(/_(seconds|bytes)$/);
      }
    }
  });
});

describe('deploy/grafana/dashboards', () => {
  it('has the gateway, sync, MTP pipeline and ERP dashboards, each panel with a query', () => {
    const dashboards = readDashboards();
    expect(dashboards.map((dashboard) => dashboard.file)).toEqual(['erp.json', 'gateway.json', 'mtp-pipeline.json', 'sync.json']);
    for (const dashboard of dashboards) {
      expect(dashboard.uid, dashboard.file).toMatch(/^tributary-/);
      expect(dashboard.panels.length, dashboard.file).toBeGreaterThan(5);
      for (const panel of dashboard.panels) expect(panel.targets?.length, `${dashboard.file}: ${panel.title}`).toBeGreaterThan(0);
    }
  });

  it('every panel queries only series the services export', () => {
    const known = exported();
    for (const dashboard of readDashboards()) {
      for (const panel of dashboard.panels) {
        for (const target of panel.targets ?? []) {
          expect(seriesNamesIn(target.expr).length, target.expr).toBeGreaterThan(0);
          expect(unknownIn(target.expr, known), `${dashboard.file}: ${panel.title}: ${target.expr}`).toEqual([]);
        }
      }
    }
  });
});

describe('deploy/prometheus/alerts.yml', () => {
  it('every rule reads only exported series or series recorded by the rules', () => {
    const known = new Set([...exported(), ...recorded()]);
    const rules = readAlertRules().groups.flatMap((group) => group.rules);
    expect(rules.filter((rule) => rule.alert).map((rule) => rule.alert)).toEqual([
      'GatewayDown',
      'SyncDeliveryFailures',
      'DatabaseConnectionFailures',
      'GatewaySlowResponses',
      'BatchesExpiringSoon',
      'SyncConflictsUnresolved',
      'ScheduledJobFailed',
      'ScheduledJobNotSucceeding',
      'MtpReconciliationDifferences',
      'MtpReconciliationNotRun',
    ]);
    for (const rule of rules) expect(unknownIn(rule.expr, known), `${rule.alert ?? rule.record}: ${rule.expr}`).toEqual([]);
  });

  it('the name check is real: it finds the series in a query and refuses one no service exports', () => {
    const expr =
      'histogram_quantile(0.95, sum by (le) (rate(gateway_upstream_latency_seconds_bucket{route!~"/x"}[$__rate_interval]))) / on (job) sync_ms_behind_source offset 5m';
    expect(seriesNamesIn(expr)).toEqual(['gateway_upstream_latency_seconds_bucket', 'sync_ms_behind_source']);
    expect(unknownIn(expr, exported())).toEqual(['sync_ms_behind_source']);
  });
});
