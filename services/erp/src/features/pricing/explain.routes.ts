import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { erpRouteOptions } from '../../access.js';
import type { ErpDeps } from '../../shared/context.js';
import { page } from '../../shared/schemas.js';
import { listApplications } from './applications.repository.js';
import { explainQuote } from './explain.js';
import { ApplicationOut, ApplicationQuery, ExplainBody, ExplainOut } from './explain.schemas.js';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema };

/** Read-only views of pricing for the desk: why a quote came out as it did, and what rules have given. */
export function registerPricingExplainRoutes(app: HttpApp, deps: ErpDeps): void {
  const access = erpRouteOptions(deps.config, ['pricing']);
  app.post(
    '/pricing/explain',
    // A read: it writes nothing, logs no application and uses no coupon, so analysts may ask too.
    access('read', 'Quote with the evaluator and explain it: every rule per line, its conditions, outcome and the applied stack', {
      body: ExplainBody,
      response: { 200: ExplainOut, ...errors },
    }),
    async (request) => explainQuote(deps, request.body),
  );
  app.get(
    '/pricing/applications',
    access('reports', 'The rule application log, newest first', { querystring: ApplicationQuery, response: { 200: page(ApplicationOut) } }),
    async (request) => listApplications(deps.db, request.query),
  );
}
