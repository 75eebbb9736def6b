import type { TimeBuckets } from '@tributary/platform/core';
import type { UsageCountRow } from '../audit/usage-series.repository.js';

/** The routes drawn one by one; the rest are summed as "Other routes" so a chart stays legible. */
const TOP_ROUTES = 8;

function summed(rows: UsageCountRow[], keyOf: (row: UsageCountRow) => string, index: Map<number, number>, length: number) {
  const series = new Map<string, number[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const counts = series.get(key) ?? new Array<number>(length).fill(0);
    const at = index.get(row.bucket.getTime());
    if (at !== undefined) counts[at]! += row.requests;
    series.set(key, counts);
  }
  return [...series].map(([key, counts]) => ({ key, counts, total: counts.reduce((sum, n) => sum + n, 0) }));
}

/** The counted rows as aligned series: one count per bucket, empty buckets as 0. */
export function usageSeries(rows: UsageCountRow[], window: TimeBuckets) {
  const { starts } = window;
  const index = new Map(starts.map((at, i) => [at, i]));
  const classes = summed(rows, (row) => row.statusClass, index, starts.length).sort((a, b) => a.key.localeCompare(b.key));
  const routes = summed(rows, (row) => row.route, index, starts.length).sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  const shown = routes.slice(0, TOP_ROUTES);
  const rest = routes.slice(TOP_ROUTES);
  if (rest.length > 0) {
    const counts = starts.map((_, i) => rest.reduce((sum, route) => sum + route.counts[i]!, 0));
    shown.push({ key: 'Other routes', counts, total: counts.reduce((sum, n) => sum + n, 0) });
  }
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    bucketSeconds: window.bucketSeconds,
    buckets: starts.map((at) => new Date(at).toISOString()),
    byStatusClass: classes.map(({ key, counts, total }) => ({ statusClass: key, counts, total })),
    byRoute: shown.map(({ key, counts, total }) => ({ route: key, counts, total })),
  };
}
