import type { UseQueryResult } from '@tanstack/react-query';
import { DataTable, type DataTableProps } from './data-table';
import { QueryState } from './query-state';

type QueryTableProps<Row> = Omit<DataTableProps<Row>, 'rows'> & {
  query: UseQueryResult<readonly Row[]>;
  loading: string;
};

/** A list page's table: loading, then its rows or the failure with a retry. */
export function QueryTable<Row>({ query, loading, ...table }: QueryTableProps<Row>) {
  return (
    <QueryState query={query} loading={loading}>
      {(rows) => <DataTable rows={rows} {...table} />}
    </QueryState>
  );
}
