import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { errorResponseSchema, type HttpApp } from '@tributary/platform/http';
import { guard } from '../../access.js';
import type { ErpDeps } from '../../shared/context.js';
import { csvRequested, toCsv } from './csv.js';
import { EffectivenessReport, ReportQuery, SegmentRevenueReport } from './reports.schemas.js';
import { pricingEffectiveness, segmentRevenue } from './reports.service.js';

const errors = { 400: errorResponseSchema };
const tags = ['reports'];
const jsonOrCsv = (schema: TSchema) => ({
  description: 'the report: JSON, or CSV (one row per report row) with `Accept: text/csv` or `format=csv`',
  content: { 'application/json': { schema }, 'text/csv': { schema: Type.String() } },
});

/** Read-only reports over the pricing log, for managers and analysts (ROUTE_ACCESS.reports). */
export function registerReportRoutes(app: HttpApp, deps: ErpDeps): void {
  app.get(
    '/reports/segment-revenue',
    {
      config: { access: guard(deps.config, 'reports') },
      schema: {
        tags,
        summary: "Monthly revenue and discount per customer segment (the customer's primary segment in force that day)",
        querystring: ReportQuery,
        response: { 200: jsonOrCsv(SegmentRevenueReport), ...errors },
      },
    },
    async (request, reply) => {
      const report = await segmentRevenue(deps, request.query);
      if (!csvRequested(request.query.format, request.headers.accept)) return reply.type('application/json; charset=utf-8').send(report);
      const csv = toCsv(
        ['month', 'segment', 'segment_code', 'orders', 'lines', 'revenue', 'discount'],
        report.rows.map((r) => [r.month, r.segment, r.segment_code, r.orders, r.lines, r.revenue, r.discount]),
      );
      return sendCsv(reply, `segment-revenue-${report.from}-${report.to}.csv`, csv);
    },
  );
  app.get(
    '/reports/pricing-effectiveness',
    {
      config: { access: guard(deps.config, 'reports') },
      schema: {
        tags,
        summary: 'Per pricing rule: applications, documents, discount given and line revenue it touched',
        querystring: ReportQuery,
        response: { 200: jsonOrCsv(EffectivenessReport), ...errors },
      },
    },
    async (request, reply) => {
      const report = await pricingEffectiveness(deps, request.query);
      if (!csvRequested(request.query.format, request.headers.accept)) return reply.type('application/json; charset=utf-8').send(report);
      const columns = [
        'rule',
        'rule_code',
        'rule_name',
        'applications',
        'orders',
        'total_discount',
        'revenue_affected',
        'discount_per_application',
        'discount_share',
      ] as const;
      const csv = toCsv(
        columns,
        report.rows.map((r) => columns.map((c) => r[c])),
      );
      return sendCsv(reply, `pricing-effectiveness-${report.from}-${report.to}.csv`, csv);
    },
  );
}

function sendCsv(reply: FastifyReply, file: string, csv: string): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`).send(csv);
}
