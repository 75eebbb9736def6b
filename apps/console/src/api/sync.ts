import { queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';

/** The sync service's API as the gateway serves it (`/api/v1/sync/*`). */
type StatusQuery = NonNullable<paths['/api/v1/sync/api/sync/status']['get']['parameters']['query']>;
export type DeliveryState = NonNullable<StatusQuery['status']>;
export type SyncSeries = paths['/api/v1/sync/api/sync/series']['get']['responses'][200]['content']['application/json'];
export type SyncHealth = paths['/api/v1/sync/api/sync/health']['get']['responses'][200]['content']['application/json'];
type ConflictQuery = NonNullable<paths['/api/v1/sync/api/sync/conflicts']['get']['parameters']['query']>;
export type ConflictStatus = NonNullable<ConflictQuery['status']>;
type ResolveBody = paths['/api/v1/sync/api/sync/conflicts/{conflictId}/resolve']['post']['requestBody']['content']['application/json'];

/** Sync answers its rows as stored (snake_case, loosely typed); the pages read them through these views. */
export type Row = Record<string, unknown>;

/** A field of a row as text: '' when absent, JSON when not a string. */
export function textOf(row: Row, key: string): string {
  const value = row[key];
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** What narrows a delivery list: every field the sync API filters on. */
export interface DeliveryFilter {
  status?: DeliveryState;
  source?: string;
  target?: string;
  entityId?: string;
}

export interface RowPage {
  items: Row[];
  nextBefore: string | null;
}

export const PAGE_SIZE = 25;

export const syncKeys = {
  all: ['sync'] as const,
  health: () => [...syncKeys.all, 'health'] as const,
  series: (hours: number, bucketMinutes: number) => [...syncKeys.all, 'series', { hours, bucketMinutes }] as const,
  deliveries: (filter: DeliveryFilter, before: string | undefined) =>
    [...syncKeys.all, 'deliveries', 'list', { ...filter, before }] as const,
  conflicts: (status: ConflictStatus, before: string | undefined) => [...syncKeys.all, 'conflicts', 'list', { status, before }] as const,
  conflict: (conflictId: string) => [...syncKeys.all, 'conflicts', 'detail', conflictId] as const,
  configurations: () => [...syncKeys.all, 'configurations', 'list'] as const,
  webhookSources: () => [...syncKeys.all, 'webhook-sources'] as const,
};

/** Queue depth, dead letters, pending conflicts and how far behind each source is. */
export const syncHealthQuery = () =>
  queryOptions({
    queryKey: syncKeys.health(),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/sync/api/sync/health', { signal })),
    refetchInterval: 10_000,
  });

export const syncSeriesQuery = (hours: number, bucketMinutes: number) =>
  queryOptions({
    queryKey: syncKeys.series(hours, bucketMinutes),
    queryFn: ({ signal }) =>
      callApi(
        api.GET('/api/v1/sync/api/sync/series', {
          params: { query: { from: new Date(Date.now() - hours * 3_600_000).toISOString(), bucketMinutes } },
          signal,
        }),
      ),
  });

const defined = (filter: DeliveryFilter) => Object.fromEntries(Object.entries(filter).filter(([, value]) => value)) as DeliveryFilter;

/** One page of deliveries, newest first, paged on the server (`before` = the last id of the page before). */
export const deliveriesQuery = (filter: DeliveryFilter, before: string | undefined) =>
  queryOptions({
    queryKey: syncKeys.deliveries(filter, before),
    queryFn: async ({ signal }): Promise<RowPage> => {
      const query = { ...defined(filter), limit: PAGE_SIZE, ...(before ? { before } : {}) };
      const page = await callApi(api.GET('/api/v1/sync/api/sync/status', { params: { query }, signal }));
      return { items: page.items, nextBefore: page.nextBefore };
    },
  });

export const conflictsQuery = (status: ConflictStatus, before: string | undefined) =>
  queryOptions({
    queryKey: syncKeys.conflicts(status, before),
    queryFn: async ({ signal }): Promise<RowPage> => {
      const query = { limit: PAGE_SIZE, status, ...(before ? { before } : {}) };
      return callApi(api.GET('/api/v1/sync/api/sync/conflicts', { params: { query }, signal }));
    },
  });

export const conflictQuery = (conflictId: string) =>
  queryOptions({
    queryKey: syncKeys.conflict(conflictId),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/sync/api/sync/conflicts/{conflictId}', { params: { path: { conflictId } }, signal })),
  });

export const configurationsQuery = () =>
  queryOptions({
    queryKey: syncKeys.configurations(),
    queryFn: async ({ signal }) => (await callApi(api.GET('/api/v1/sync/api/sync/configurations', { signal }))).items,
  });

export const webhookSourcesQuery = () =>
  queryOptions({
    queryKey: syncKeys.webhookSources(),
    queryFn: async ({ signal }) => (await callApi(api.GET('/api/v1/sync/webhooks/health', { signal }))).sources,
  });

/** Sends one parked delivery again; every list and count of sync is refreshed after. */
export const useReplayOne = () =>
  useRefreshingMutation(syncKeys.all, (syncId: string) =>
    callApi(api.POST('/api/v1/sync/api/sync/status/{syncId}/replay', { params: { path: { syncId } } })),
  );

/** Sends again every dead letter the filter holds (up to 1,000 at a time, the API's cap). */
export const useReplayFiltered = () =>
  useRefreshingMutation(syncKeys.all, (filter: { source?: string; target?: string }) =>
    callApi(api.POST('/api/v1/sync/api/sync/replay', { body: { ...defined(filter) } })),
  );

export const useResolveConflict = () =>
  useRefreshingMutation(syncKeys.all, ({ conflictId, ...body }: ResolveBody & { conflictId: string }) =>
    callApi(api.POST('/api/v1/sync/api/sync/conflicts/{conflictId}/resolve', { params: { path: { conflictId } }, body })),
  );
