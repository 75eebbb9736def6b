import { queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';

export type SystemReadiness = paths['/api/v1/admin/system/readiness']['get']['responses'][200]['content']['application/json'];
export type ServiceReadiness = SystemReadiness['services'][number];

export const systemKeys = {
  all: ['gateway', 'system'] as const,
  readiness: () => [...systemKeys.all, 'readiness'] as const,
};

/** Every service's readiness probe, asked by the gateway; asked again every 15 s while the page is open. */
export const readinessQuery = () =>
  queryOptions({
    queryKey: systemKeys.readiness(),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/admin/system/readiness', { signal })),
    refetchInterval: 15_000,
  });
