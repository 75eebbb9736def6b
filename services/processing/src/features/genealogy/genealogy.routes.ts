import { Type } from '@sinclair/typebox';
import { TraceGraph } from '@tributary/contracts';
import { errorResponseSchema, guardedAccess, type HttpApp } from '@tributary/platform/http';
import type { ServiceClient } from '@tributary/platform/resilience';
import type { FastifyRequest } from 'fastify';
import { ProcessingError } from '../../errors.js';
import { commandOf, type FeatureDeps } from '../deps.js';
import { traceCode } from './genealogy.service.js';
import { recallCsv } from './recall.csv.js';
import { recallReport } from './recall.service.js';

/**
 * Who may trace (ADR 0203): the officers, supervisors and admins of both sites (§7.6). Traders,
 * the gatepass desk and the box-filling machine see only their own step of the flow.
 */
export const TRACE_ROLES = [
  'MASTER-ADMIN',
  'GRANDPASS-ADMIN',
  'SEEDUWA-ADMIN',
  'GRANDPASS-OFFICER',
  'GRANDPASS-SUPERVISOR',
  'SEEDUWA-OFFICER',
] as const;

const traceGuard = guardedAccess(TRACE_ROLES, async (request: FastifyRequest): Promise<void> => {
  const roles = request.identity?.roles ?? [];
  if (!roles.some((role) => (TRACE_ROLES as readonly string[]).includes(role))) {
    throw ProcessingError.TRACE_ROLE_FORBIDDEN(`Tracing needs one of: ${TRACE_ROLES.join(', ')}`, {
      details: { allowed: [...TRACE_ROLES] },
    });
  }
});

const Code = Type.Object({
  code: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'a label barcode `table:uuid`, a lot/batch/invoice number, or a node id from a trace',
  }),
});
const errors = { 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

const Kg = Type.String({ pattern: '^[0-9]+\\.[0-9]{2}$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const RecallReportSchema = Type.Object({
  code: Type.String(),
  roots: Type.Array(Type.String()),
  rule: Type.String(),
  sources: TraceGraph.properties.sources,
  totals: Type.Object({ shipped_kg: Kg, attributable_shipped_kg: Kg, parcelled_kg: Kg, attributable_parcelled_kg: Kg }),
  shipments: Type.Array(
    Type.Object({
      request_code: Type.String(),
      shipment_code: Type.Integer(),
      order_code: Nullable(Type.String()),
      product_name: Nullable(Type.String()),
      status: Nullable(Type.String()),
      vehicle: Nullable(Type.String()),
      dispatched_at: Nullable(Type.String({ format: 'date-time' })),
      accepted_at: Nullable(Type.String({ format: 'date-time' })),
      bags: Type.Integer(),
      allocated_kg: Kg,
      attributable_kg: Kg,
    }),
  ),
  schedules: Type.Array(
    Type.Object({
      schedule_code: Type.String(),
      schedule_date: Nullable(Type.String()),
      order_code: Nullable(Type.String()),
      shift: Nullable(Type.String()),
      section: Nullable(Type.String()),
      parcelled_kg: Kg,
      attributable_kg: Kg,
    }),
  ),
  parcels: Type.Array(
    Type.Object({
      material: Type.String(),
      barcode: Type.String(),
      request_code: Type.String(),
      shipment_code: Type.Integer(),
      schedule_code: Type.String(),
      amount_kg: Kg,
      attributable_kg: Kg,
    }),
  ),
});

/** Lot genealogy (issue #13): the trace graph of any code, and the recall report of a lot. */
export function registerGenealogyRoutes(
  app: HttpApp,
  deps: FeatureDeps,
  orders: ServiceClient | undefined,
  /** The plant's zone, for the recall sheet's local-time columns. */
  timeZone: string,
): void {
  app.get(
    '/app/trace/:code',
    {
      config: { access: traceGuard },
      schema: {
        tags: ['traceability'],
        summary:
          'Genealogy of a barcode, lot, batch or invoice: up to garden/broker/invoice, down to batches, bags, shipments, vehicles, parcels and schedules (kg on every edge)',
        params: Code,
        response: { 200: TraceGraph, ...errors },
      },
    },
    async (request) => (await traceCode({ deps, orders, command: commandOf(request, deps) }, request.params.code)).graph,
  );

  app.get(
    '/app/trace/:code/recall',
    {
      config: { access: traceGuard },
      schema: {
        tags: ['traceability'],
        summary:
          'Recall report: every shipment, schedule and parcel the material reached, with the kg attributable to it. JSON, or CSV with `Accept: text/csv` or `format=csv`',
        params: Code,
        querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) }),
        response: {
          200: {
            description: 'the report',
            content: { 'application/json': { schema: RecallReportSchema }, 'text/csv': { schema: Type.String() } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const report = await recallReport({ deps, orders, command: commandOf(request, deps) }, request.params.code);
      if (request.query.format === 'csv' || (request.query.format === undefined && wantsCsv(request.headers.accept))) {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="recall-${fileSafe(request.params.code)}.csv"`)
          .send(recallCsv(report, timeZone));
      }
      return reply.type('application/json; charset=utf-8').send(report);
    },
  );
}

/** CSV only when the client prefers it to JSON (a browser's `*\/*` keeps JSON). */
function wantsCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0]!.trim().toLowerCase());
  const csv = types.indexOf('text/csv');
  const json = types.indexOf('application/json');
  return csv !== -1 && (json === -1 || csv < json);
}

const fileSafe = (code: string) => code.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
