import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { guard } from '../../access.js';
import type { ErpDeps } from '../../shared/context.js';
import { csvRequested, toCsv } from './csv.js';
import { EffectivenessReport, ReportQuery, SegmentRevenueReport } from './reports.schemas.js';
import { pricingEffectiveness, segmentRevenue } from './reports.service.js';

interface Report<S extends TSchema> {
  path: string;
  summary: string;
  schema: S;
  build(deps: ErpDeps, query: Static<typeof ReportQuery>): Promise<Static<S>>;
  /** The CSV columns: keys of one row of the report, in order. */
  columns: readonly string[];
}

const REPORTS = [
  {
    path: 'segment-revenue',
    summary: "Monthly revenue per customer segment from every processed order line, with the pricing rules' discount impact",
    schema: SegmentRevenueReport,
    build: segmentRevenue,
    columns: ['month', 'segment', 'segment_code', 'orders', 'lines', 'revenue', 'discount', 'rule_lines', 'rule_discount'],
  } satisfies Report<typeof SegmentRevenueReport>,
  {
    path: 'pricing-effectiveness',
    summary: 'Per pricing rule: applications, documents, discount given and line revenue it touched',
    schema: EffectivenessReport,
    build: pricingEffectiveness,
    columns: [
      'rule',
      'rule_code',
      'rule_name',
      'applications',
      'orders',
      'total_discount',
      'revenue_affected',
      'discount_per_application',
      'discount_share',
    ],
  } satisfies Report<typeof EffectivenessReport>,
];

/** Read-only reports over the pricing log, for managers and analysts (ROUTE_ACCESS.reports). */
export function registerReportRoutes(app: HttpApp, deps: ErpDeps): void {
  for (const report of REPORTS) registerReport(app, deps, report as Report<TSchema>);
}

function registerReport(app: HttpApp, deps: ErpDeps, report: Report<TSchema>): void {
  app.get(
    `/reports/${report.path}`,
    {
      config: { access: guard(deps.config, 'reports') },
      schema: {
        tags: ['reports'],
        summary: report.summary,
        querystring: ReportQuery,
        response: {
          200: {
            description: 'the report: JSON, or CSV (one record per row) with `Accept: text/csv` or `format=csv`',
            content: { 'application/json': { schema: report.schema }, 'text/csv': { schema: Type.String() } },
          },
          400: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const body = (await report.build(deps, request.query)) as { from: string; to: string; rows: Record<string, string | number>[] };
      if (!csvRequested(request.query.format, request.headers.accept)) return reply.type('application/json; charset=utf-8').send(body);
      const csv = toCsv(
        report.columns,
        body.rows.map((row) => report.columns.map((column) => row[column] ?? '')),
      );
      return sendCsv(reply, `${report.path}-${body.from}-${body.to}.csv`, csv);
    },
  );
}

function sendCsv(reply: FastifyReply, file: string, csv: string): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(csv);
}
