import type { ReactNode } from 'react';
import { DataTable, type Column } from '../../ui/data-table';
import { Pager } from '../../ui/pager';

export interface PagedTableProps<Row> {
  caption: string;
  columns: ReadonlyArray<Column<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  /** Rows the server's filters match, over every page. */
  total: number;
  page: number;
  limit: number;
  onPage: (page: number) => void;
  /** A newer page is on its way while this one stays shown. */
  busy?: boolean;
  empty: ReactNode;
}

/**
 * A list the server pages and filters (platform users, keys, the audit log run to thousands):
 * the page's rows in the shared table, with a pager that asks the server for the next ones.
 */
export function PagedTable<Row>({ caption, columns, rows, rowKey, total, page, limit, onPage, busy, empty }: PagedTableProps<Row>) {
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = (page - 1) * limit + 1;
  return (
    <div aria-busy={busy || undefined}>
      <DataTable
        caption={caption}
        count={`${first}–${first + rows.length - 1} of ${total}`}
        rows={total === 0 ? [] : rows}
        columns={columns}
        rowKey={rowKey}
        empty={empty}
        tools={false}
        serverPager={
          total > 0 && (
            <Pager
              label={`${caption} pages`}
              position={`Page ${page} of ${pages}`}
              onBack={page > 1 ? () => onPage(page - 1) : undefined}
              onForward={page < pages ? () => onPage(page + 1) : undefined}
              busy={busy}
            />
          )
        }
      />
    </div>
  );
}
