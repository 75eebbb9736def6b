import { Readable } from 'node:stream';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { decodeCursor, PageOf, PageQuery, pageOf, PAGE_LIMIT_DEFAULT } from '@tributary/platform/core';
import { errorResponseSchema, routeOptionsFor, type HttpApp } from '@tributary/platform/http';
import { Barcode } from '../../http/schemas.js';
import { RECONCILE_READERS, RECONCILE_RUNNERS, reconcileAccess } from '../../access.js';
import { ProcessingError } from '../../errors.js';
import { commandOf } from '../deps.js';
import { differencePage, findReport, reportPage } from './reports.repository.js';
import { completeReconciliation, startReconciliation, type ReconciliationDeps } from './reports.service.js';
import {
  DIFFERENCE_CSV_COLUMNS,
  differenceCsvLine,
  DifferenceKind,
  DifferenceView,
  differenceView,
  ReportView,
  reportView,
} from './reports.views.js';

const ReportId = Type.Object({ id: Type.String({ pattern: Barcode.pattern, description: 'report id (uuid)' }) });
const ReportCursor = Type.Object({
  started_at: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$' }),
  id: Type.String({ pattern: Barcode.pattern }),
});
const DifferenceCursor = Type.Object({ seq: Type.Integer({ minimum: 0 }) });
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };
const route = routeOptionsFor(['reconciliation']);
/** The schema parts of a route under one report: its id in the path, and 404 when there is none. */
const ofReport = <Q extends object, R extends object>(querystring: Q, ok: R) => ({
  params: ReportId,
  querystring,
  response: { 200: ok, ...errors, 404: errorResponseSchema },
});

/**
 * Stored MTP reconciliation reports (ADR 0601, "Addendum: stored reports"). `POST` answers 202 with the
 * new report's id at once and runs in the background: a run reads every shipment and bag, and
 * a request may not wait for that. Reads page by keyset; the CSV streams page by page.
 */
export function registerReconcileReportRoutes(app: HttpApp, deps: ReconciliationDeps, principals: ReadonlySet<string>): void {
  const read = reconcileAccess(RECONCILE_READERS, principals);
  const inFlight = new Set<Promise<unknown>>();
  // A run still writing when the app closes finishes first (its database goes with the app).
  app.addHook('preClose', async () => {
    await Promise.allSettled([...inFlight]);
  });

  app.post(
    '/reconcile/reports',
    route(
      reconcileAccess(RECONCILE_RUNNERS, principals),
      'Start an MTP reconciliation now; 202 with the report id, then poll the report until it is no longer running',
      {
        response: {
          202: Type.Object({ id: Type.String({ format: 'uuid' }), status: Type.Literal('running') }),
          ...errors,
          409: errorResponseSchema,
          503: errorResponseSchema,
        },
      },
    ),
    async (request, reply) => {
      const run = { trigger: 'manual' as const, context: commandOf(request, deps) };
      const id = await startReconciliation(deps, run);
      // Failures are stored in the report and logged by the run; nothing is left to catch here.
      const running = completeReconciliation(deps, id, run).catch(() => undefined);
      inFlight.add(running);
      void running.finally(() => inFlight.delete(running));
      return reply.code(202).header('location', `/reconcile/reports/${id}`).send({ id, status: 'running' });
    },
  );

  app.get(
    '/reconcile/reports',
    route(read, 'Reconciliation reports, newest first', { querystring: PageQuery, response: { 200: PageOf(ReportView), ...errors } }),
    async (request) => {
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      const after = request.query.cursor === undefined ? undefined : decodeCursor(request.query.cursor, ReportCursor);
      const page = pageOf(await reportPage(deps.db, after, limit + 1), limit, (row) => ({
        started_at: row.started_at.toISOString(),
        id: row.id,
      }));
      return { items: page.items.map(reportView), next: page.next };
    },
  );

  app.get(
    '/reconcile/reports/:id',
    route(read, 'One report: status, counts per kind, totals', ofReport(Type.Object({}), ReportView)),
    async (request) => reportView(await existingReport(deps, request.params.id)),
  );

  const DifferenceQuery = Type.Composite([PageQuery, Type.Object({ kind: Type.Optional(DifferenceKind) })]);
  app.get(
    '/reconcile/reports/:id/differences',
    route(read, "A report's differences in the order found, optionally of one kind", ofReport(DifferenceQuery, PageOf(DifferenceView))),
    async (request) => {
      await existingReport(deps, request.params.id);
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      const afterSeq = request.query.cursor === undefined ? 0 : decodeCursor(request.query.cursor, DifferenceCursor).seq;
      const rows = await differencePage(deps.db, request.params.id, { kind: request.query.kind, afterSeq }, limit + 1);
      const page = pageOf(rows, limit, (row) => ({ seq: row.seq }));
      return { items: page.items.map(differenceView), next: page.next };
    },
  );

  app.get(
    '/reconcile/reports/:id/differences.csv',
    route(
      read,
      `Every difference of a report as CSV (${DIFFERENCE_CSV_COLUMNS.join(', ')})`,
      ofReport(Type.Object({ kind: Type.Optional(DifferenceKind) }), {
        description: 'the differences',
        content: { 'text/csv': { schema: Type.String() } },
      }),
    ),
    async (request, reply) => {
      const report = await existingReport(deps, request.params.id);
      const kind = request.query.kind;
      async function* lines(): AsyncGenerator<string> {
        yield `${DIFFERENCE_CSV_COLUMNS.join(',')}\r\n`;
        let afterSeq = 0;
        for (;;) {
          const rows = await differencePage(deps.db, report.id, { kind, afterSeq }, CSV_PAGE);
          for (const row of rows) yield differenceCsvLine(differenceView(row));
          if (rows.length < CSV_PAGE) return;
          afterSeq = rows.at(-1)!.seq;
        }
      }
      // The schema documents the file; what is sent is a stream of its lines.
      const streaming: FastifyReply = reply;
      return streaming
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="mtp-reconciliation-${report.id}.csv"`)
        .send(Readable.from(lines()));
    },
  );
}

const CSV_PAGE = 1000;

async function existingReport(deps: Pick<ReconciliationDeps, 'db'>, id: string) {
  const report = await findReport(deps.db, id);
  if (!report) throw ProcessingError.REPORT_NOT_FOUND(`No reconciliation report ${id}`);
  return report;
}
