import type { UseQueryResult } from '@tanstack/react-query';
import { QueryState } from '../../ui/query-state';
import { PagedTable, type PagedTableProps } from './paged-table';

interface PageAnswer<Row> {
  items: readonly Row[];
  page: number;
  limit: number;
  total: number;
}

type PagedQueryProps<Row> = Omit<PagedTableProps<Row>, 'rows' | 'total' | 'page' | 'limit' | 'busy'> & {
  query: UseQueryResult<PageAnswer<Row>>;
  loading: string;
};

/** One page of an admin listing: loading, the failure with a retry, or the page with its pager. */
export function PagedQuery<Row>({ query, loading, ...table }: PagedQueryProps<Row>) {
  return (
    <QueryState query={query} loading={loading}>
      {(answer) => (
        <PagedTable
          {...table}
          rows={answer.items}
          total={answer.total}
          page={answer.page}
          limit={answer.limit}
          busy={query.isPlaceholderData}
        />
      )}
    </QueryState>
  );
}
