import { TRACE_LOOKUP_PATH, TraceLookupRequest, TraceLookupResponse } from '@tributary/contracts';
import { errorResponseSchema, type HttpApp, routeOptions } from '@tributary/platform/http';
import { guard } from '../../access.js';
import type { LookupDeps } from '../../deps.js';
import { lookupForTrace } from './trace.service.js';

/**
 * Orders' part of traceability (ADR 0203): processing walks the genealogy and asks here, in one
 * call, for the workflow details of the shipments and schedules it reached.
 */
export function registerTraceRoutes(app: HttpApp, deps: LookupDeps): void {
  app.post(
    TRACE_LOOKUP_PATH,
    routeOptions(
      guard(deps.config, 'trace'),
      'internal',
      'Shipments (order, quantity, status, dispatch vehicle, gatepass acceptance) and schedules by code, for a trace',
      {
        body: TraceLookupRequest,
        response: { 200: TraceLookupResponse, 400: errorResponseSchema, 403: errorResponseSchema },
      },
    ),
    (request) => lookupForTrace(deps, request.body),
  );
}
