import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';

type Json<P extends keyof paths, M extends 'get' | 'post' | 'patch'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;

export type PricingRule = Json<'/api/v1/erp/pricing/rules/{name}', 'get'>;
export type RulePatch = NonNullable<paths['/api/v1/erp/pricing/rules/{name}']['patch']['requestBody']>['content']['application/json'];
export type ExplainRequest = NonNullable<paths['/api/v1/erp/pricing/explain']['post']['requestBody']>['content']['application/json'];
export type Explanation = Json<'/api/v1/erp/pricing/explain', 'post'>;
export type ExplainedLine = Explanation['lines'][number];
export type Application = Json<'/api/v1/erp/pricing/applications', 'get'>['data'][number];
/** The report's JSON form (the same route answers CSV when asked for it). */
export type Effectiveness = Exclude<Json<'/api/v1/erp/reports/pricing-effectiveness', 'get'>, string>;
export type ErpCustomer = Json<'/api/v1/erp/customers', 'get'>['data'][number];
export type ErpSegment = Json<'/api/v1/erp/segments', 'get'>['data'][number];

export const LOG_PAGE = 25;

export const erpPricingKeys = {
  all: ['erp', 'pricing'] as const,
  rules: () => [...erpPricingKeys.all, 'rules', 'list'] as const,
  log: (rule: string, offset: number) => [...erpPricingKeys.all, 'log', { rule, offset }] as const,
  effectiveness: (from: string, to: string) => [...erpPricingKeys.all, 'effectiveness', { from, to }] as const,
  customers: () => ['erp', 'customers', 'list'] as const,
  segments: () => ['erp', 'segments', 'list'] as const,
};

export const rulesQuery = () =>
  queryOptions({
    queryKey: erpPricingKeys.rules(),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/pricing/rules', { params: { query: { limit: 500, offset: 0 } }, signal }))).data,
  });

/** One page of the application log, newest first, from the server (the log grows with every priced line). */
export const applicationLogQuery = (rule: string, offset: number) =>
  queryOptions({
    queryKey: erpPricingKeys.log(rule, offset),
    queryFn: ({ signal }) =>
      callApi(
        api.GET('/api/v1/erp/pricing/applications', {
          params: { query: { limit: LOG_PAGE, offset, ...(rule ? { rule } : {}) } },
          signal,
        }),
      ),
  });

export const effectivenessQuery = (from: string, to: string) =>
  queryOptions({
    queryKey: erpPricingKeys.effectiveness(from, to),
    queryFn: async ({ signal }): Promise<Effectiveness> => {
      const report = await callApi(
        api.GET('/api/v1/erp/reports/pricing-effectiveness', { params: { query: { from, to, format: 'json' } }, signal }),
      );
      if (typeof report === 'string') throw new Error('The report came as CSV instead of JSON.');
      return report;
    },
    enabled: from !== '' && to !== '',
  });

export const customersQuery = () =>
  queryOptions({
    queryKey: erpPricingKeys.customers(),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/customers', { params: { query: { limit: 500, offset: 0 } }, signal }))).data,
  });

export const segmentsQuery = () =>
  queryOptions({
    queryKey: erpPricingKeys.segments(),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/erp/segments', { params: { query: { limit: 500, offset: 0 } }, signal }))).data,
  });

/** A rule change refreshes the rules and every explanation (a simulator open beside it re-asks). */
export function useUpdateRule() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, patch }: { name: string; patch: RulePatch }) =>
      callApi(api.PATCH('/api/v1/erp/pricing/rules/{name}', { params: { path: { name } }, body: patch })),
    onSuccess: async () => client.invalidateQueries({ queryKey: erpPricingKeys.all }),
  });
}

/**
 * The simulator's quote. The server writes nothing for it (no log, no coupon used), so it is a
 * query: under the pricing keys, a rule change re-asks it and the open simulator shows the new price.
 */
export const explainQuery = (request: ExplainRequest | undefined) =>
  queryOptions({
    queryKey: [...erpPricingKeys.all, 'explain', request] as const,
    queryFn: ({ signal }) => callApi(api.POST('/api/v1/erp/pricing/explain', { body: request!, signal })),
    enabled: request !== undefined,
  });
