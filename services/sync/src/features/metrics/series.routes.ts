import { Type, type Static } from '@sinclair/typebox';
import { errorResponseSchema, routeOptions, type HttpApp } from '@tributary/platform/http';
import { ACCESS } from '../../access.js';
import type { HealthRouteDeps } from '../../deps.js';
import { SyncError } from '../../errors.js';
import { countFlowBuckets, type FlowBucketRow } from './series.repository.js';

const HOUR = 3_600_000;
/** A week by the hour at most; a wider ask must take wider buckets. */
const MAX_BUCKETS = 500;

const SeriesQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 24 hours before `to`' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
  bucketMinutes: Type.Integer({ minimum: 1, maximum: 10_080, default: 60 }),
});
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
      querystring: SeriesQuery,
      response: { 200: Series, 400: errorResponseSchema },
    }),
    async (request) => {
      const query = request.query as Static<typeof SeriesQuery>;
      const to = query.to ? new Date(query.to) : new Date(deps.clock.now());
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - 24 * HOUR);
      const bucketSeconds = query.bucketMinutes * 60;
      const span = to.getTime() - from.getTime();
      if (span <= 0) throw SyncError.SYNC_SERIES_RANGE_INVALID('`from` must be before `to`');
      if (span / 1000 / bucketSeconds > MAX_BUCKETS)
        throw SyncError.SYNC_SERIES_RANGE_INVALID(`At most ${MAX_BUCKETS} buckets: widen the buckets or narrow the range`);
      const step = bucketSeconds * 1000;
      const starts: number[] = [];
      for (let at = Math.floor(from.getTime() / step) * step; at < to.getTime(); at += step) starts.push(at);
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
