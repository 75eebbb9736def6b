import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { QUEUE_PAGE, reviewQueueQuery, useRunReview, type Assignment } from '../../api/erp-segments';
import { dayFirst } from '../../lib/format';
import { DataTable, type Column } from '../../ui/data-table';
import { Pager } from '../../ui/pager';
import { ErrorPanel } from '../../ui/error-panel';
import { QueryState } from '../../ui/query-state';

const COLUMNS: ReadonlyArray<Column<Assignment>> = [
  { key: 'customer', header: 'Customer', text: (row) => row.customer },
  { key: 'segment', header: 'Segment', text: (row) => row.segment_code },
  { key: 'primary', header: 'Primary', text: (row) => (row.is_primary ? 'Primary' : '') },
  { key: 'review', header: 'Review due', text: (row) => (row.review_date ? dayFirst(row.review_date) : '') },
  { key: 'how', header: 'How assigned', text: (row) => row.assignment_type },
  { key: 'status', header: 'Status', text: (row) => row.status },
];

/** Assignments due for review today: the review extends, escalates, demotes or ends each by the segment's rules. */
export function ReviewQueue({ manage }: { manage: boolean }) {
  const [offset, setOffset] = useState(0);
  const queue = useQuery(reviewQueueQuery('', offset));
  const run = useRunReview();
  return (
    <section className="panel" aria-labelledby="review-title">
      <h3 id="review-title">Review queue</h3>
      <QueryState query={queue} loading="Loading the review queue…">
        {(page) => (
          <DataTable
            caption="Due for review"
            rows={page.data}
            columns={COLUMNS}
            rowKey={(row) => row.name}
            exportName="review-queue"
            serverPager={
              <Pager
                label="Review queue pages"
                onBack={offset > 0 ? () => setOffset(Math.max(0, offset - QUEUE_PAGE)) : undefined}
                onForward={page.hasMore ? () => setOffset(offset + QUEUE_PAGE) : undefined}
              />
            }
            empty="Nothing is due for review today."
          />
        )}
      </QueryState>
      {manage && (
        <button type="button" disabled={run.isPending} onClick={() => run.mutate()}>
          Run the review now
        </button>
      )}
      {run.isError && <ErrorPanel error={run.error} />}
      {run.data && (
        <p role="status">
          {run.data.reviewed.length === 0
            ? 'Nothing needed a change.'
            : run.data.reviewed.map((row) => `${row.customer}: ${row.action} ${row.segment}`).join('; ')}
        </p>
      )}
    </section>
  );
}
