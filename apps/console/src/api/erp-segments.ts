import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';

type Json<P extends keyof paths, M extends 'get' | 'post'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;
type Body<P extends keyof paths> = paths[P] extends { post: { requestBody?: { content: { 'application/json': infer B } } } } ? B : never;

export type Assignment = Json<'/api/v1/erp/customers/{name}/segments', 'get'>['data'][number];
export type Territory = Json<'/api/v1/erp/customers/{name}/territories', 'get'>['data'][number];
export type NewAssignment = Body<'/api/v1/erp/customers/{name}/segments'>;
export type NewTerritory = Body<'/api/v1/erp/customers/{name}/territories'>;

export const QUEUE_PAGE = 25;

export const erpSegmentKeys = {
  all: ['erp', 'segment-links'] as const,
  assignments: (customer: string) => [...erpSegmentKeys.all, 'assignments', { customer }] as const,
  territories: (customer: string) => [...erpSegmentKeys.all, 'territories', { customer }] as const,
  queue: (asOf: string, offset: number) => [...erpSegmentKeys.all, 'review-queue', { asOf, offset }] as const,
};

/** A customer's whole assignment history, newest first (ended and future ones too). */
export const assignmentsQuery = (customer: string) =>
  queryOptions({
    queryKey: erpSegmentKeys.assignments(customer),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/customers/{name}/segments', { params: { path: { name: customer }, query: {} }, signal }))).data,
    enabled: customer !== '',
  });

export const territoriesQuery = (customer: string) =>
  queryOptions({
    queryKey: erpSegmentKeys.territories(customer),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/customers/{name}/territories', { params: { path: { name: customer }, query: {} }, signal })))
        .data,
    enabled: customer !== '',
  });

export const reviewQueueQuery = (asOf: string, offset: number) =>
  queryOptions({
    queryKey: erpSegmentKeys.queue(asOf, offset),
    queryFn: ({ signal }) =>
      callApi(
        api.GET('/api/v1/erp/segments/review-queue', {
          params: { query: { limit: QUEUE_PAGE, offset, ...(asOf ? { as_of: asOf } : {}) } },
          signal,
        }),
      ),
  });

/** Any change to a customer's links refreshes every list of links and the queue (they overlap). */
function useLinkMutation<Input, Output>(call: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: call, onSuccess: async () => client.invalidateQueries({ queryKey: erpSegmentKeys.all }) });
}

export const useAssign = () =>
  useLinkMutation(({ customer, body }: { customer: string; body: NewAssignment }) =>
    callApi(api.POST('/api/v1/erp/customers/{name}/segments', { params: { path: { name: customer } }, body })),
  );
export const useEndAssignment = () =>
  useLinkMutation(({ customer, assignment }: { customer: string; assignment: string }) =>
    callApi(
      api.POST('/api/v1/erp/customers/{name}/segments/{child}/end', { params: { path: { name: customer, child: assignment } }, body: {} }),
    ),
  );
export const useMapTerritory = () =>
  useLinkMutation(({ customer, body }: { customer: string; body: NewTerritory }) =>
    callApi(api.POST('/api/v1/erp/customers/{name}/territories', { params: { path: { name: customer } }, body })),
  );
export const useRunReview = () => useLinkMutation(() => callApi(api.POST('/api/v1/erp/segments/review', { body: {} })));
