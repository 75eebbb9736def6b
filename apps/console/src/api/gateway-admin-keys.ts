import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';
import { gatewayAdminKeys, type Answer } from './gateway-admin';

/** API keys (x-api-key) and SigV4 access keys: secrets come back once, in the create and rotate answers only. */
export type ApiKeyFilters = NonNullable<paths['/api/v1/admin/api-keys']['get']['parameters']['query']>;
export type ApiKey = Answer<'/api/v1/admin/api-keys', 'get'>['items'][number];
export type NewApiKey = paths['/api/v1/admin/api-keys']['post']['requestBody']['content']['application/json'];
export type AccessKeyFilters = NonNullable<paths['/api/v1/admin/access-keys']['get']['parameters']['query']>;
export type AccessKey = Answer<'/api/v1/admin/access-keys', 'get'>['items'][number];
export type NewAccessKey = paths['/api/v1/admin/access-keys']['post']['requestBody']['content']['application/json'];
export type IssuedAccessKey = Answer<'/api/v1/admin/access-keys', 'post'>;

const keyLists = {
  apiKeys: (filters: ApiKeyFilters) => [...gatewayAdminKeys.all, 'api-keys', filters] as const,
  accessKeys: (filters: AccessKeyFilters) => [...gatewayAdminKeys.all, 'access-keys', filters] as const,
};

export const apiKeysQuery = (filters: ApiKeyFilters) =>
  queryOptions({
    queryKey: keyLists.apiKeys(filters),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/admin/api-keys', { params: { query: filters }, signal })),
    placeholderData: keepPreviousData,
  });

export const accessKeysQuery = (filters: AccessKeyFilters) =>
  queryOptions({
    queryKey: keyLists.accessKeys(filters),
    queryFn: ({ signal }) => callApi(api.GET('/api/v1/admin/access-keys', { params: { query: filters }, signal })),
    placeholderData: keepPreviousData,
  });

/**
 * A call whose answer holds a secret. The page shows it once and then resets the mutation;
 * with no cache time the answer is dropped from the mutation cache at that moment, so the
 * secret is held nowhere in the browser beyond its one view.
 */
function useIssuingMutation<Input, Output>(call: (input: Input) => Promise<Output>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    gcTime: 0,
    onSuccess: async () => client.invalidateQueries({ queryKey: gatewayAdminKeys.all }),
  });
}

export const useCreateApiKey = () => useIssuingMutation((key: NewApiKey) => callApi(api.POST('/api/v1/admin/api-keys', { body: key })));

export const useRotateApiKey = () =>
  useIssuingMutation(({ id, graceSeconds }: { id: string; graceSeconds: number }) =>
    callApi(api.POST('/api/v1/admin/api-keys/{keyId}/rotate', { params: { path: { keyId: id } }, body: { graceSeconds } })),
  );

export const useRevokeApiKey = () =>
  useRefreshingMutation(gatewayAdminKeys.all, (keyId: string) =>
    callApi(api.DELETE('/api/v1/admin/api-keys/{keyId}', { params: { path: { keyId } } })),
  );

export const useCreateAccessKey = () =>
  useIssuingMutation((key: NewAccessKey) => callApi(api.POST('/api/v1/admin/access-keys', { body: key })));

export const useRotateAccessKey = () =>
  useIssuingMutation(({ id, graceSeconds }: { id: string; graceSeconds: number }) =>
    callApi(api.POST('/api/v1/admin/access-keys/{accessKeyId}/rotate', { params: { path: { accessKeyId: id } }, body: { graceSeconds } })),
  );

export const useRevokeAccessKey = () =>
  useRefreshingMutation(gatewayAdminKeys.all, (accessKeyId: string) =>
    callApi(api.DELETE('/api/v1/admin/access-keys/{accessKeyId}', { params: { path: { accessKeyId } } })),
  );
