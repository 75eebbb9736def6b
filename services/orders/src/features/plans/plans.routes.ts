import { Type } from '@sinclair/typebox';
import { errorResponseSchema, nextCursorHeaders, PAGED_ARRAY, sendNextCursor, type HttpApp, routeOptions } from '@tributary/platform/http';
import { guard } from '../../access.js';
import { commandFrom, type PlanDeps } from '../../deps.js';
import { XLSX_MEDIA_TYPE, planRowsFromBody } from './plan-upload.js';
import { PlanDeleteQuery, PlanListQuery, PlanOut, PlanUploadBody, PlanWithRequests, SuccessOut } from './plans.schemas.js';
import * as plans from './plans.service.js';

const errors = { 400: errorResponseSchema, 403: errorResponseSchema };
const upload = Type.Unknown({ description: `The .xlsx plan: as the whole body (${XLSX_MEDIA_TYPE}) or a multipart field named "file"` });

export function registerPlanRoutes(app: HttpApp, deps: PlanDeps): void {
  app.get(
    '/order/plan',
    routeOptions(guard(deps.config, 'listPlans'), 'plans', 'Plans with their requests and the quantity still allowed', {
      description: PAGED_ARRAY,
      querystring: PlanListQuery,
      response: { 200: Type.Array(PlanWithRequests, { headers: nextCursorHeaders }), ...errors },
    }),
    async (request, reply) => {
      if (request.query.limit === undefined && request.query.cursor === undefined)
        return plans.listPlansWithRequests(deps, request.query.order_code);
      const page = await plans.listPlansPage(deps, request.query);
      sendNextCursor(reply, request.url, page.next);
      return page.items;
    },
  );

  app.post(
    '/order/plan',
    {
      config: { access: guard(deps.config, 'uploadPlan') },
      bodyLimit: deps.config.planUploadMaxBytes,
      schema: {
        tags: ['plans'],
        summary: 'Upload the Excel production plan (rows as JSON, or the .xlsx itself)',
        description:
          'Rows are grouped by order_code: requirement summed, earliest plan_start, latest plan_end, one product_name per order, ' +
          'item_code = first BLT/BTL/FLT blend code in the rows. Any row problem refuses the whole upload (PLAN_ROWS_INVALID lists each row).',
        body: {
          content: {
            'application/json': { schema: PlanUploadBody },
            [XLSX_MEDIA_TYPE]: { schema: upload },
            'multipart/form-data': { schema: upload },
          },
        },
        response: { 200: Type.Array(PlanOut), ...errors },
      },
    },
    async (request) =>
      plans.uploadPlan(deps, commandFrom(request, deps), await planRowsFromBody(request.body, request.headers['content-type'])),
  );

  app.delete(
    '/order/plan',
    routeOptions(guard(deps.config, 'deletePlan'), 'plans', 'Delete a plan no request or schedule refers to', {
      querystring: PlanDeleteQuery,
      response: { 200: SuccessOut, ...errors, 404: errorResponseSchema, 409: errorResponseSchema },
    }),
    async (request) => plans.deletePlan(deps, commandFrom(request, deps), request.query.order_code),
  );
}
