import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';

/** The gateway's admin API (/api/v1/admin/*): platform users and rate-limit tiers. Keys, routes and the audit log are beside it. */
/** The JSON a call answers with on success (200 or 201). */
export type Answer<P extends keyof paths, M extends 'get' | 'post' | 'patch'> = paths[P][M] extends {
  responses: { 200: { content: { 'application/json': infer Body } } };
}
  ? Body
  : paths[P][M] extends { responses: { 201: { content: { 'application/json': infer Body } } } }
    ? Body
    : never;

export type UserFilters = NonNullable<paths['/api/v1/admin/users']['get']['parameters']['query']>;
export type PlatformUser = Answer<'/api/v1/admin/users', 'get'>['items'][number];
export type NewPlatformUser = paths['/api/v1/admin/users']['post']['requestBody']['content']['application/json'];
export type UserChanges = paths['/api/v1/admin/users/{userId}']['patch']['requestBody']['content']['application/json'];
export type Tier = NonNullable<NewPlatformUser['rateLimitTier']>;
export type TierRow = Answer<'/api/v1/admin/rate-limit-tiers', 'get'>['items'][number];

export const TIERS: readonly Tier[] = ['basic', 'standard', 'premium', 'unlimited'];

export const gatewayAdminKeys = {
  all: ['gateway-admin'] as const,
  users: (filters: UserFilters) => [...gatewayAdminKeys.all, 'users', filters] as const,
  tiers: () => [...gatewayAdminKeys.all, 'tiers'] as const,
};

export const platformUsersQuery = (filters: UserFilters) =>
  queryOptions({
    queryKey: gatewayAdminKeys.users(filters),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/admin/users', { params: { query: filters }, signal })),
    // The next page replaces the shown one only once it is here: the table does not blink empty.
    placeholderData: keepPreviousData,
  });

export const tiersQuery = () =>
  queryOptions({
    queryKey: gatewayAdminKeys.tiers(),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/admin/rate-limit-tiers', { signal })),
  });

// A user change moves counts on the tier page too, so every gateway admin list is refreshed.
export const useCreatePlatformUser = () =>
  useRefreshingMutation(gatewayAdminKeys.all, (user: NewPlatformUser) => callApi(api.POST('/api/v1/admin/users', { body: user })));

export const useChangePlatformUser = () =>
  useRefreshingMutation(gatewayAdminKeys.all, ({ userId, changes }: { userId: string; changes: UserChanges }) =>
    callApi(api.PATCH('/api/v1/admin/users/{userId}', { params: { path: { userId } }, body: changes })),
  );

export const useRevokeTokens = () =>
  useRefreshingMutation(gatewayAdminKeys.all, (userId: string) =>
    callApi(api.POST('/api/v1/admin/users/{userId}/revoke-tokens', { params: { path: { userId } } })),
  );
