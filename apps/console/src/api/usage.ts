import { queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';

export type UsageSeries = paths['/api/v1/admin/usage/series']['get']['responses'][200]['content']['application/json'];

export const usageKeys = {
  all: ['gateway', 'usage'] as const,
  series: (hours: number, bucketMinutes: number) => [...usageKeys.all, 'series', { hours, bucketMinutes }] as const,
};

/** Requests over the last `hours`, counted per bucket by the gateway. */
export const usageSeriesQuery = (hours: number, bucketMinutes: number) =>
  queryOptions({
    queryKey: usageKeys.series(hours, bucketMinutes),
    queryFn: ({ signal }) =>
      callApi(
        api.GET('/api/v1/admin/usage/series', {
          params: { query: { from: new Date(Date.now() - hours * 3_600_000).toISOString(), bucketMinutes } },
          signal,
        }),
      ),
  });
