import { queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';

export type Trace = paths['/api/v1/processing/app/trace/{code}']['get']['responses'][200]['content']['application/json'];
export type TraceNode = Trace['nodes'][number];
export type TraceEdge = Trace['edges'][number];

export const traceKeys = {
  all: ['processing', 'trace'] as const,
  graph: (code: string) => [...traceKeys.all, 'graph', { code }] as const,
};

export const traceQuery = (code: string) =>
  queryOptions({
    queryKey: traceKeys.graph(code),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/processing/app/trace/{code}', { params: { path: { code } }, signal })),
    enabled: code !== '',
  });

/** The recall report as processing writes it for a spreadsheet (one row per shipment and schedule reached). */
export async function recallCsv(code: string): Promise<string> {
  return callApi(
    api.GET('/api/v1/processing/app/trace/{code}/recall', {
      params: { path: { code }, query: { format: 'csv' } },
      parseAs: 'text',
    }),
  );
}
