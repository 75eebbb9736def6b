import { Type, type Static } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { ErpError } from '../../errors.js';
import { erpRouteOptions } from '../../access.js';
import { actorOf, type ErpDeps } from '../../shared/context.js';
import { DocName, IsoDate, NameParams, page } from '../../shared/schemas.js';
import { assignSegment, endAssignment, listAssignments, today } from './assignments.service.js';
import { autoAssign, putMetrics, reviewAssignments } from './automation.service.js';
import {
  AssignBody,
  AssignmentListQuery,
  AssignmentOut,
  EndBody,
  MetricsBody,
  ReviewBody,
  SegmentCreate,
  SegmentListQuery,
  SegmentOut,
  SegmentPatch,
  TerritoryBody,
  TerritoryOut,
} from './segments.schemas.js';
import { createSegment, getSegment, listSegments, segmentCreditLimit, toSegmentOut, updateSegment } from './segments.service.js';
import { endTerritory, listTerritories, mapTerritory } from './territories.service.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const CustomerChildParams = Type.Object({ name: DocName(), child: DocName() });

export function registerSegmentRoutes(app: HttpApp, deps: ErpDeps): void {
  const access = erpRouteOptions(deps.config, ['segments']);
  app.post(
    '/segments',
    access('writeBusiness', 'Create a customer segment', { body: SegmentCreate, response: { 201: SegmentOut, ...errors } }),
    async (request, reply) => reply.code(201).send(await createSegment(deps, request.body, actorOf(request, deps))),
  );
  app.get(
    '/segments',
    access('read', 'List segments by priority', { querystring: SegmentListQuery, response: { 200: page(SegmentOut) } }),
    async (request) => listSegments(deps.db, request.query),
  );
  app.get(
    '/segments/:name',
    access('read', 'Get a segment by name or code', { params: NameParams, response: { 200: SegmentOut, ...errors } }),
    async (request) => toSegmentOut(await getSegment(deps.db, request.params.name)),
  );
  app.patch(
    '/segments/:name',
    access('writeBusiness', 'Update a segment', { params: NameParams, body: SegmentPatch, response: { 200: SegmentOut, ...errors } }),
    async (request) => updateSegment(deps, request.params.name, request.body, actorOf(request, deps)),
  );
  app.post(
    '/segments/:name/auto-assign',
    access('writeBusiness', 'Assign every qualifying customer to this segment by its rules', {
      params: NameParams,
      response: {
        200: Type.Object({
          assigned: Type.Array(
            Type.Object({ customer: Type.String(), segment: Type.String(), assignment: Type.String(), is_primary: Type.Boolean() }),
          ),
        }),
        ...errors,
      },
    }),
    async (request) => ({ assigned: await autoAssign(deps, request.params.name, actorOf(request, deps)) }),
  );
  app.post(
    '/segments/review',
    access('machineFlows', 'Review assignments: extend, escalate, demote or deactivate', {
      body: ReviewBody,
      response: {
        200: Type.Object({
          reviewed: Type.Array(
            Type.Object({
              customer: Type.String(),
              assignment: Type.String(),
              segment: Type.String(),
              action: Type.String(),
              new_assignment: Type.Optional(Type.String()),
              new_segment: Type.Optional(Type.String()),
            }),
          ),
        }),
        ...errors,
      },
    }),
    async (request) => ({ reviewed: await reviewAssignments(deps, request.body, actorOf(request, deps)) }),
  );

  const customerAccess = erpRouteOptions(deps.config, ['customer segments']);
  app.post(
    '/customers/:name/segments',
    customerAccess('writeBusiness', 'Assign a segment (effective-dated; one primary in force at a time)', {
      params: NameParams,
      body: AssignBody,
      response: { 201: AssignmentOut, ...errors },
    }),
    async (request, reply) => reply.code(201).send(await assignSegment(deps, request.params.name, request.body, actorOf(request, deps))),
  );
  app.get(
    '/customers/:name/segments',
    customerAccess('read', 'Assignment history, or the assignments in force on as_of', {
      params: NameParams,
      querystring: AssignmentListQuery,
      response: { 200: Type.Object({ data: Type.Array(AssignmentOut) }), ...errors },
    }),
    async (request) => ({ data: await listAssignments(deps, request.params.name, request.query) }),
  );
  app.get(
    '/customers/:name/segments/primary',
    customerAccess('read', 'The primary segment in force on a date (default today) with its benefits', {
      params: NameParams,
      querystring: Type.Object({ as_of: Type.Optional(IsoDate()) }),
      response: {
        200: Type.Object({
          assignment: AssignmentOut,
          segment: SegmentOut,
          benefits: Type.Object({
            discount_percentage: Type.String(),
            credit_limit: Type.String(),
            payment_terms: Type.Union([Type.String(), Type.Null()]),
            default_price_list: Type.Union([Type.String(), Type.Null()]),
          }),
        }),
        ...errors,
      },
    }),
    async (request) => {
      const asOf = request.query.as_of ?? today(deps);
      const [assignment] = await listAssignments(deps, request.params.name, { as_of: asOf, primary_only: true });
      if (!assignment) throw ErpError.ASSIGNMENT_NOT_FOUND(`customer ${request.params.name} has no primary segment on ${asOf}`);
      const segment = await getSegment(deps.db, assignment.customer_segment);
      const customer = await deps.db
        .selectFrom('tabCustomer')
        .select('credit_limit')
        .where('name', '=', request.params.name)
        .executeTakeFirstOrThrow();
      return {
        assignment,
        segment: toSegmentOut(segment),
        benefits: {
          discount_percentage: toSegmentOut(segment).discount_percentage,
          credit_limit: segmentCreditLimit(assignment.credit_limit_at_assignment ?? customer.credit_limit, segment.credit_limit_multiplier),
          payment_terms: segment.payment_terms,
          default_price_list: segment.default_price_list,
        },
      };
    },
  );
  app.post(
    '/customers/:name/segments/:child/end',
    customerAccess('writeBusiness', 'End (deactivate) an assignment; history is kept', {
      params: CustomerChildParams,
      body: EndBody,
      response: { 200: AssignmentOut, ...errors },
    }),
    async (request) => endAssignment(deps, request.params.name, request.params.child, request.body, actorOf(request, deps)),
  );
  app.put(
    '/customers/:name/metrics',
    customerAccess('machineFlows', 'Purchase metrics the auto-assignment rules read', {
      params: NameParams,
      body: MetricsBody,
      response: {
        200: Type.Object({
          customer: Type.String(),
          annual_purchase: Type.String(),
          total_orders: Type.Integer(),
          last_order_date: Type.Union([Type.String(), Type.Null()]),
        }),
        ...errors,
      },
    }),
    async (request) => putMetrics(deps, request.params.name, request.body as Static<typeof MetricsBody>, actorOf(request, deps)),
  );

  app.post(
    '/customers/:name/territories',
    customerAccess('writeBusiness', 'Map a customer to a territory', {
      params: NameParams,
      body: TerritoryBody,
      response: { 201: TerritoryOut, ...errors },
    }),
    async (request, reply) => reply.code(201).send(await mapTerritory(deps, request.params.name, request.body, actorOf(request, deps))),
  );
  app.get(
    '/customers/:name/territories',
    customerAccess('read', 'Territory mappings (all, or in force on as_of)', {
      params: NameParams,
      querystring: Type.Object({ as_of: Type.Optional(IsoDate()) }),
      response: { 200: Type.Object({ data: Type.Array(TerritoryOut) }) },
    }),
    async (request) => ({ data: await listTerritories(deps, request.params.name, request.query.as_of) }),
  );
  app.post(
    '/customers/:name/territories/:child/end',
    customerAccess('writeBusiness', 'End a territory mapping', {
      params: CustomerChildParams,
      body: EndBody,
      response: { 200: TerritoryOut, ...errors },
    }),
    async (request) => endTerritory(deps, request.params.name, request.params.child, request.body, actorOf(request, deps)),
  );
}
