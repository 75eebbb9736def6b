import { Type } from '@sinclair/typebox';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { erpRouteOptions } from '../../access.js';
import { actorOf, type ErpDeps } from '../../shared/context.js';
import { page } from '../../shared/schemas.js';
import { calculate } from './calculate.service.js';
import { CalculateBody, CalculateOut, RuleCreate, RuleListQuery, RuleNameParams, RuleOut, RulePatch } from './pricing.schemas.js';
import { createRule, getRule, listRules, ruleAnalytics, updateRule } from './rules.service.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema };
const AnalyticsOut = Type.Object({
  rule: Type.String(),
  usage_count: Type.Integer(),
  total_discount_given: Type.String(),
  last_applied: Type.Union([Type.String(), Type.Null()]),
});

export function registerPricingRoutes(app: HttpApp, deps: ErpDeps): void {
  const access = erpRouteOptions(deps.config, ['pricing']);
  app.post(
    '/pricing/rules',
    access('writeBusiness', 'Create a dynamic pricing rule', { body: RuleCreate, response: { 201: RuleOut, ...errors } }),
    async (request, reply) => reply.code(201).send(await createRule(deps, request.body, actorOf(request, deps))),
  );
  app.get(
    '/pricing/rules',
    access('read', 'List rules by priority', { querystring: RuleListQuery, response: { 200: page(RuleOut) } }),
    async (request) => listRules(deps, request.query),
  );
  app.get(
    '/pricing/rules/:name',
    access('read', 'Get a rule', { params: RuleNameParams, response: { 200: RuleOut, ...errors } }),
    async (request) => getRule(deps, request.params.name),
  );
  app.patch(
    '/pricing/rules/:name',
    access('writeBusiness', 'Change a rule (validated as a whole; children replaced when given)', {
      params: RuleNameParams,
      body: RulePatch,
      response: { 200: RuleOut, ...errors },
    }),
    async (request) => updateRule(deps, request.params.name, request.body, actorOf(request, deps)),
  );
  app.post(
    '/pricing/rules/:name/deactivate',
    access('writeBusiness', 'Deactivate a rule', { params: RuleNameParams, response: { 200: RuleOut, ...errors } }),
    async (request) => updateRule(deps, request.params.name, { is_active: false }, actorOf(request, deps)),
  );
  app.get(
    '/pricing/rules/:name/analytics',
    access('read', 'Usage from the application log', { params: RuleNameParams, response: { 200: AnalyticsOut, ...errors } }),
    async (request) => ruleAnalytics(deps, request.params.name),
  );
  app.post(
    '/pricing/calculate',
    access('machineFlows', 'Price a whole order: per-line base, discounts, final and rules applied', {
      body: CalculateBody,
      response: { 200: CalculateOut, ...errors },
    }),
    async (request) => {
      const result = await calculate(deps, request.body, actorOf(request, deps));
      return {
        success: true,
        quote_id: result.quote_id,
        customer: request.body.customer ?? null,
        known_customer: result.customer !== null,
        at: new Date(result.at).toISOString(),
        plant_time: { time_zone: deps.config.PLANT_TIME_ZONE, ...result.context.local },
        pricing: result.lines,
        free_items: result.free_items,
        totalBeforeDiscount: result.totalBeforeDiscount,
        totalDiscount: result.totalDiscount,
        totalAfterDiscount: result.totalAfterDiscount,
        coupons_applied: result.coupons_applied,
        logged_applications: result.logged_applications,
      };
    },
  );
}
