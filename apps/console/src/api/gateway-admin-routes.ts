import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';
import { numberOf, textOf, type OpenRow } from '../lib/open-row';
import { gatewayAdminKeys, type Answer } from './gateway-admin';

/** Routes with their live health, and the audit log. */
export type RouteChanges = NonNullable<paths['/api/v1/admin/routes/{routeId}']['patch']['requestBody']>['content']['application/json'];
export type RouteHealth = Answer<'/api/v1/admin/routes/health', 'get'>['items'][number];
export type AuditFilters = NonNullable<paths['/api/v1/admin/audit-logs']['get']['parameters']['query']>;

/** A route as the pages use it; the admin API documents routes as open objects. */
export interface RouteView {
  routeId: string;
  routeName: string;
  pathPattern: string;
  httpMethod: string;
  serviceName: string;
  upstreamUrl: string;
  priority: number;
  timeoutSeconds: number;
  retryAttempts: number;
  failureThreshold: number;
  authorizationRoles: string[];
  isActive: boolean;
}

function routeView(row: OpenRow): RouteView {
  const roles = row.authorizationRoles;
  return {
    routeId: textOf(row, 'routeId'),
    routeName: textOf(row, 'routeName'),
    pathPattern: textOf(row, 'pathPattern'),
    httpMethod: textOf(row, 'httpMethod'),
    serviceName: textOf(row, 'serviceName'),
    upstreamUrl: textOf(row, 'upstreamUrl'),
    priority: numberOf(row, 'priority'),
    timeoutSeconds: numberOf(row, 'timeoutSeconds'),
    retryAttempts: numberOf(row, 'retryAttempts'),
    failureThreshold: numberOf(row, 'failureThreshold'),
    authorizationRoles: Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [],
    isActive: row.isActive === true,
  };
}

const lists = {
  routes: () => [...gatewayAdminKeys.all, 'routes'] as const,
  health: () => [...gatewayAdminKeys.all, 'routes', 'health'] as const,
  audit: (filters: AuditFilters) => [...gatewayAdminKeys.all, 'audit', filters] as const,
};

/** Routes are few (tens): one page of the largest size holds them all, so the table sorts and filters them itself. */
export const routesQuery = () =>
  queryOptions({
    queryKey: lists.routes(),
    queryFn: async ({ signal }) =>
      (await callApi(api.GET('/api/v1/admin/routes', { params: { query: { page: 1, limit: 200 } }, signal }))).items.map(routeView),
  });

export const routeHealthQuery = () =>
  queryOptions({
    queryKey: lists.health(),
    queryFn: async ({ signal }) => (await callApi(api.GET('/api/v1/admin/routes/health', { signal }))).items,
    // Breakers open and close by the second; the page follows them while it is open.
    refetchInterval: 10_000,
  });

export const useChangeRoute = () =>
  useRefreshingMutation(lists.routes(), ({ routeId, changes }: { routeId: string; changes: RouteChanges }) =>
    callApi(api.PATCH('/api/v1/admin/routes/{routeId}', { params: { path: { routeId } }, body: changes })),
  );

export const auditQuery = (filters: AuditFilters) =>
  queryOptions({
    queryKey: lists.audit(filters),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/admin/audit-logs', { params: { query: filters }, signal })),
    placeholderData: keepPreviousData,
  });

export type AuditRow = Answer<'/api/v1/admin/audit-logs', 'get'>['items'][number];

/** Every row the filters match, page by page at the largest size: what the export holds. */
export async function allAuditRows(filters: Omit<AuditFilters, 'page' | 'limit'>, most: number): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  for (let page = 1; rows.length < most; page++) {
    const answer = await callApi(api.GET('/api/v1/admin/audit-logs', { params: { query: { ...filters, page, limit: 500 } } }));
    rows.push(...answer.items);
    if (answer.items.length === 0 || rows.length >= answer.total) break;
  }
  return rows.slice(0, most);
}
