import { queryOptions } from '@tanstack/react-query';
import type { paths } from './gen/tributary.gen';
import { api, callApi } from '../lib/api';
import { useRefreshingMutation } from '../lib/mutation';

export type Schedule = paths['/order/schedule']['get']['responses'][200]['content']['application/json'][number];
export type NewSchedule = paths['/order/schedule']['post']['requestBody']['content']['application/json'][number];

export const scheduleKeys = {
  all: ['orders', 'schedules'] as const,
  list: (date: string) => [...scheduleKeys.all, 'list', { date }] as const,
};

/** The schedules of one plant day, or of every day when no date is given. */
export const schedulesQuery = (date: string) =>
  queryOptions({
    queryKey: scheduleKeys.list(date),
    queryFn: ({ signal }) => callApi(api.GET('/order/schedule', { params: { query: date ? { schedule_date: date } : {} }, signal })),
  });

export const useCreateSchedules = () =>
  useRefreshingMutation(scheduleKeys.all, (schedules: NewSchedule[]) => callApi(api.POST('/order/schedule', { body: schedules })));
export const useCompleteSchedule = () =>
  useRefreshingMutation(scheduleKeys.all, (scheduleCode: number) =>
    callApi(api.PUT('/order/schedule', { body: [{ schedule_code: scheduleCode }] })),
  );
