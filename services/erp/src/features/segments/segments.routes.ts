import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { ErpError } from '../../errors.js';
import { erpRouteOptions, type RouteAccess } from '../../access.js';
import { actorOf, type Actor, type ErpDeps } from '../../shared/context.js';
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
// The response schema states what is answered; the service's own type is checked where it is written.
type MakeLink<B extends TSchema> = (deps: ErpDeps, customer: string, input: Static<B>, actor: Actor) => Promise<unknown>;
type EndLink = (deps: ErpDeps, customer: string, link: string, input: Static<typeof EndBody>, actor: Actor) => Promise<unknown>;

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
  // Segment assignments and territory mappings are both effective-dated links of a customer,
  // made under the customer's name and ended by the link's own name.
  const linkRoute = <B extends TSchema>(rule: RouteAccess, url: string, summary: string, body: B, out: TSchema, make: MakeLink<B>) =>
    app.post(url, customerAccess(rule, summary, { params: NameParams, body, response: { 201: out, ...errors } }), async (request, reply) =>
      reply.code(201).send(await make(deps, request.params.name, request.body, actorOf(request, deps))),
    );
  const endRoute = (rule: RouteAccess, url: string, summary: string, out: TSchema, end: EndLink) =>
    app.post(
      url,
      customerAccess(rule, summary, { params: CustomerChildParams, body: EndBody, response: { 200: out, ...errors } }),
      async (request) => end(deps, request.params.name, request.params.child, request.body, actorOf(request, deps)),
    );
  linkRoute(
    'writeBusiness',
    '/customers/:name/segments',
    'Assign a segment (effective-dated; one primary in force at a time)',
    AssignBody,
    AssignmentOut,
    assignSegment,
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
  endRoute(
    'writeBusiness',
    '/customers/:name/segments/:child/end',
    'End (deactivate) an assignment; history is kept',
    AssignmentOut,
    endAssignment,
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

  linkRoute('writeBusiness', '/customers/:name/territories', 'Map a customer to a territory', TerritoryBody, TerritoryOut, mapTerritory);
  app.get(
    '/customers/:name/territories',
    customerAccess('read', 'Territory mappings (all, or in force on as_of)', {
      params: NameParams,
      querystring: Type.Object({ as_of: Type.Optional(IsoDate()) }),
      response: { 200: Type.Object({ data: Type.Array(TerritoryOut) }) },
    }),
    async (request) => ({ data: await listTerritories(deps, request.params.name, request.query.as_of) }),
  );
  endRoute('writeBusiness', '/customers/:name/territories/:child/end', 'End a territory mapping', TerritoryOut, endTerritory);
}
