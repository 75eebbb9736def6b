import { queryOptions, useMutation } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

export type ExpiringBatch = Json<'/api/v1/erp/batches/expiring', 'get'>['data'][number];
export type Batch = Json<'/api/v1/erp/batches/{name}', 'get'>;
export type Movement = Json<'/api/v1/erp/batches/{name}/movements', 'get'>['data'][number];
export type PickRequest = NonNullable<paths['/api/v1/erp/stock/pick']['post']['requestBody']>['content']['application/json'];
export type PickPlan = Json<'/api/v1/erp/stock/pick', 'post'>;
export type Optimisation = Json<'/api/v1/erp/stock/optimisation', 'get'>['data'][number];
export type OptimiseRequest = NonNullable<paths['/api/v1/erp/stock/optimisation']['post']['requestBody']>['content']['application/json'];
export type ErpOrder = Json<'/api/v1/erp/orders', 'get'>['data'][number];

/** Every stocked batch is on the board: the server's alert levels, up to ten years out. */
const BOARD_DAYS = 3650;
export const LEDGER_PAGE = 20;

export const erpBatchKeys = {
  all: ['erp', 'batches'] as const,
  board: () => [...erpBatchKeys.all, 'board'] as const,
  detail: (name: string) => [...erpBatchKeys.all, 'detail', { name }] as const,
  ledger: (name: string, offset: number) => [...erpBatchKeys.all, 'ledger', { name, offset }] as const,
  orders: () => ['erp', 'orders', 'list'] as const,
  order: (id: string) => ['erp', 'orders', 'detail', { id }] as const,
  optimisation: () => ['erp', 'optimisation', 'list'] as const,
  warehouses: () => ['erp', 'warehouses', 'list'] as const,
  items: () => ['erp', 'items', 'list'] as const,
};

/** Stocked batches with the server's alert level (computed on the plant's calendar day). */
export const expiryBoardQuery = () =>
  queryOptions({
    queryKey: erpBatchKeys.board(),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/batches/expiring', { params: { query: { within_days: BOARD_DAYS } }, signal }))).data,
  });

export const batchQuery = (name: string) =>
  queryOptions({
    queryKey: erpBatchKeys.detail(name),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/erp/batches/{name}', { params: { path: { name } }, signal })),
    enabled: name !== '',
  });

/** One page of a batch's ledger, read from the server page by page (a busy batch has thousands of moves). */
export const ledgerQuery = (name: string, offset: number) =>
  queryOptions({
    queryKey: erpBatchKeys.ledger(name, offset),
    queryFn: ({ signal }) =>
      callApi(
        api.GET('/api/v1/erp/batches/{name}/movements', { params: { path: { name }, query: { limit: LEDGER_PAGE, offset } }, signal }),
      ),
    enabled: name !== '',
  });

export const recentOrdersQuery = () =>
  queryOptions({
    queryKey: erpBatchKeys.orders(),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/orders', { params: { query: { limit: 50, offset: 0, status: 'Processed' } }, signal }))).data,
  });

export const orderQuery = (id: string) =>
  queryOptions({
    queryKey: erpBatchKeys.order(id),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/erp/orders/{orderId}', { params: { path: { orderId: id } }, signal })),
    enabled: id !== '',
  });

export const warehousesQuery = () =>
  queryOptions({
    queryKey: erpBatchKeys.warehouses(),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/warehouses', { params: { query: { limit: 500, offset: 0 } }, signal }))).data,
  });

export const itemsQuery = () =>
  queryOptions({
    queryKey: erpBatchKeys.items(),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/items', { params: { query: { limit: 500, offset: 0 } }, signal }))).data,
  });

/** The FEFO plan the erp would pick by: it writes nothing, so it is a mutation only in that it is asked on demand. */
export const usePickPreview = () =>
  useMutation({ mutationFn: (request: PickRequest) => callApi(api.POST('/api/v1/erp/stock/pick', { body: request })) });

export const optimisationQuery = () =>
  queryOptions({
    queryKey: erpBatchKeys.optimisation(),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/stock/optimisation', { params: { query: { limit: 500, offset: 0 } }, signal }))).data,
  });

export const useOptimise = () =>
  useRefreshingMutation(erpBatchKeys.optimisation(), (request: OptimiseRequest) =>
    callApi(api.POST('/api/v1/erp/stock/optimisation', { body: request })),
  );
