import { queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';

export type MtpUser = paths['/admin/user']['get']['responses'][200]['content']['application/json'][number];
export type NewMtpUser = paths['/admin/user']['post']['requestBody']['content']['application/json'];

export const adminKeys = {
  all: ['admin'] as const,
  users: () => [...adminKeys.all, 'users', 'list'] as const,
  groups: () => [...adminKeys.all, 'groups', 'list'] as const,
};

export const usersQuery = () =>
  queryOptions({ queryKey: adminKeys.users(), queryFn: ({ signal }) => callApi(api.GET('/admin/user', { signal })) });
export const groupsQuery = () =>
  queryOptions({ queryKey: adminKeys.groups(), queryFn: ({ signal }) => callApi(api.GET('/admin/group', { signal })) });

export const useAddUser = () =>
  useRefreshingMutation(adminKeys.users(), (user: NewMtpUser) => callApi(api.POST('/admin/user', { body: user })));
export const useRemoveUser = () =>
  useRefreshingMutation(adminKeys.users(), (sub: string) => callApi(api.DELETE('/admin/user', { params: { query: { sub } } })));
