import { Type, type Static } from '@sinclair/typebox';
import { defineErrors } from './errors.js';

/**
 * The one convention of time-series reads: a window (`from`, `to`; the last 24 hours by default)
 * cut into buckets of `bucketMinutes`, counted by the database and answered as one figure per
 * bucket, so a chart draws what it is given and the payload stays small whatever the traffic.
 */
export const TimeBucketQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 24 hours before `to`' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
  bucketMinutes: Type.Integer({ minimum: 1, maximum: 10_080, default: 60 }),
});
export type TimeBucketQuery = Static<typeof TimeBucketQuery>;

/** A week by the hour; a wider window must take wider buckets. */
export const MAX_TIME_BUCKETS = 500;

export const TimeBucketError = defineErrors({
  TIME_RANGE_INVALID: 'invalid',
});

export interface TimeBuckets {
  from: Date;
  to: Date;
  bucketSeconds: number;
  /** Start of every bucket in the window (epoch ms), aligned on the epoch as SQL's `floor(epoch / size)` aligns them. */
  starts: number[];
}

/** The window a query asks for, checked, with its bucket starts. */
export function timeBuckets(query: TimeBucketQuery, now: number): TimeBuckets {
  const to = query.to ? new Date(query.to) : new Date(now);
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 86_400_000);
  const bucketSeconds = query.bucketMinutes * 60;
  const span = to.getTime() - from.getTime();
  if (span <= 0) throw TimeBucketError.TIME_RANGE_INVALID('`from` must be before `to`');
  if (span / 1000 / bucketSeconds > MAX_TIME_BUCKETS)
    throw TimeBucketError.TIME_RANGE_INVALID(`At most ${MAX_TIME_BUCKETS} buckets: widen the buckets or narrow the range`);
  const step = bucketSeconds * 1000;
  const starts: number[] = [];
  for (let at = Math.floor(from.getTime() / step) * step; at < to.getTime(); at += step) starts.push(at);
  return { from, to, bucketSeconds, starts };
}
