import { Type } from '@sinclair/typebox';
import type { HttpApp } from '@tributary/platform/http';
import { erpRouteOptions } from '../../access.js';
import type { ErpDeps } from '../../shared/context.js';
import { pageOf, selectPage } from '../../shared/docs.js';
import { IsoDate, Paging, page } from '../../shared/schemas.js';
import { today, toAssignmentOut } from './assignments.service.js';
import { AssignmentOut } from './segments.schemas.js';

const TABLE = 'tabHD Customer Segment Assignment' as const;

/**
 * The assignments the review (POST /segments/review) would look at on `as_of`: in force, Active
 * or Pending Review, and due. Read-only, so the desk sees the queue before anyone runs it.
 */
export async function reviewQueue(deps: ErpDeps, query: { as_of?: string; limit: number; offset: number }) {
  const day = query.as_of ?? today(deps);
  const select = deps.db
    .selectFrom(`${TABLE} as a`)
    .innerJoin('tabHD Customer Segment as s', 's.name', 'a.customer_segment')
    .selectAll('a')
    .select('s.segment_code')
    .where('a.status', 'in', ['Active', 'Pending Review'])
    .where('a.effective_from', '<=', day)
    .where((eb) => eb.or([eb('a.effective_to', 'is', null), eb('a.effective_to', '>', day)]))
    .where('a.review_date', '<=', day)
    .orderBy('a.review_date')
    .orderBy('a.customer')
    .orderBy('a.name');
  const rows = await selectPage(select, query);
  return pageOf(
    rows.map((row) => toAssignmentOut(row, deps.dialect, day)),
    query.limit,
    query.offset,
  );
}

export function registerReviewQueueRoute(app: HttpApp, deps: ErpDeps): void {
  const access = erpRouteOptions(deps.config, ['segments']);
  app.get(
    '/segments/review-queue',
    access('read', 'Assignments due for review on a day (default today): what the review would look at', {
      querystring: Type.Object({ ...Paging, as_of: Type.Optional(IsoDate()) }),
      response: { 200: page(AssignmentOut) },
    }),
    async (request) => reviewQueue(deps, request.query),
  );
}
