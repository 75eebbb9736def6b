import { Type, type Static } from '@sinclair/typebox';
import { TimeBucketQuery, timeBuckets } from '@tributary/platform/core';
import { errorResponseSchema, routeOptions, type HttpApp } from '@tributary/platform/http';
import { ACCESS } from '../../access.js';
import type { HealthRouteDeps } from '../../deps.js';
import { countFlowBuckets, type FlowBucketRow } from './series.repository.js';

const Numbers = Type.Array(Type.Integer());
const Lags = Type.Array(Type.Union([Type.Integer(), Type.Null()]));
const Flow = Type.Object({
  source: Type.String(),
  target: Type.String(),
  delivered: Numbers,
  failed: Numbers,
  avgLagMs: Lags,
  maxLagMs: Lags,
});
const Series = Type.Object({
  from: Type.String(),
  to: Type.String(),
  bucketSeconds: Type.Integer(),
  buckets: Type.Array(Type.String({ description: 'Start of each bucket (UTC)' })),
  flows: Type.Array(Flow),
});

/** The counted rows as aligned series per flow: one value per bucket, no deliveries as 0 and no lag as null. */
function alignedFlows(rows: FlowBucketRow[], starts: number[]) {
  const index = new Map(starts.map((at, i) => [at, i]));
  const flows = new Map<string, Static<typeof Flow>>();
  for (const row of rows) {
    const key = `${row.source}→${row.target}`;
    let flow = flows.get(key);
    if (!flow) {
      const empty = () => new Array<null>(starts.length).fill(null);
      flow = {
        source: row.source,
        target: row.target,
        delivered: new Array<number>(starts.length).fill(0),
        failed: new Array<number>(starts.length).fill(0),
        avgLagMs: empty(),
        maxLagMs: empty(),
      };
      flows.set(key, flow);
    }
    const at = index.get(row.bucket.getTime());
    if (at === undefined) continue;
    flow.delivered[at] = row.delivered;
    flow.failed[at] = row.failed;
    flow.avgLagMs[at] = row.avgLagMs;
    flow.maxLagMs[at] = row.maxLagMs;
  }
  return [...flows.values()].sort((a, b) => `${a.source}→${a.target}`.localeCompare(`${b.source}→${b.target}`));
}

/** Throughput, failures and lag per flow over time, bucketed here so a chart draws what it is given. */
export function registerSeriesRoutes(app: HttpApp, deps: HealthRouteDeps): void {
  app.get(
    '/api/sync/series',
    routeOptions(ACCESS.peer, 'health', 'Deliveries, failures and lag per flow (source → target) over time, in buckets', {
      querystring: TimeBucketQuery,
      response: { 200: Series, 400: errorResponseSchema },
    }),
    async (request) => {
      const { from, to, bucketSeconds, starts } = timeBuckets(request.query as TimeBucketQuery, deps.clock.now());
      const rows = await countFlowBuckets(deps.db, { from, to, bucketSeconds });
      return {
        from: from.toISOString(),
        to: to.toISOString(),
        bucketSeconds,
        buckets: starts.map((at) => new Date(at).toISOString()),
        flows: alignedFlows(rows, starts),
      };
    },
  );
}
