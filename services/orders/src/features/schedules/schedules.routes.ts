import { Type } from '@sinclair/typebox';
import { errorResponseSchema, nextCursorHeaders, PAGED_ARRAY, sendNextCursor, type HttpApp, routeOptions } from '@tributary/platform/http';
import { guard } from '../../access.js';
import { commandFrom, type ScheduleDeps } from '../../deps.js';
import {
  ScheduleCompleteBody,
  ScheduleCreateBody,
  ScheduleDone,
  ScheduleListQuery,
  ScheduleOut,
  ScheduleWithShipments,
} from './schedules.schemas.js';
import * as schedules from './schedules.service.js';

const errors = { 400: errorResponseSchema, 403: errorResponseSchema };

export function registerScheduleRoutes(app: HttpApp, deps: ScheduleDeps): void {
  app.get(
    '/order/schedule',
    routeOptions(
      guard(deps.config, 'listSchedules'),
      'schedules',
      "A day's production schedules and the received shipments to fill them from",
      {
        description: PAGED_ARRAY,
        querystring: ScheduleListQuery,
        response: { 200: Type.Array(ScheduleWithShipments, { headers: nextCursorHeaders }), ...errors },
      },
    ),
    async (request, reply) => {
      if (request.query.limit === undefined && request.query.cursor === undefined) return schedules.listSchedules(deps, request.query);
      const page = await schedules.listSchedulesPage(deps, request.query);
      sendNextCursor(reply, request.url, page.next);
      return page.items;
    },
  );

  app.post(
    '/order/schedule',
    routeOptions(guard(deps.config, 'createSchedules'), 'schedules', 'Create production (box-filling) schedules', {
      body: ScheduleCreateBody,
      response: { 200: Type.Array(ScheduleOut), ...errors, 404: errorResponseSchema },
    }),
    async (request) => schedules.createSchedules(deps, commandFrom(request, deps), request.body),
  );

  app.put(
    '/order/schedule',
    routeOptions(guard(deps.config, 'completeSchedules'), 'schedules', 'Mark schedules completed (idempotent)', {
      body: ScheduleCompleteBody,
      response: { 200: Type.Array(ScheduleDone), ...errors, 404: errorResponseSchema },
    }),
    async (request) => schedules.completeSchedules(deps, commandFrom(request, deps), request.body),
  );
}
