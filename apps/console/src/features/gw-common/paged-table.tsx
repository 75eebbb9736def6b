import type { ReactNode } from 'react';
import type { Column } from '../../ui/data-table';

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
 * the page's rows as they came, and a pager that asks the server for the next ones.
 */
export function PagedTable<Row>({ caption, columns, rows, rowKey, total, page, limit, onPage, busy, empty }: PagedTableProps<Row>) {
  if (total === 0) return <p className="panel">{empty}</p>;
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = (page - 1) * limit + 1;
  return (
    <div aria-busy={busy || undefined}>
      <div className="table-wrap">
        <table>
          <caption className="muted">
            {caption}: {first}–{first + rows.length - 1} of {total}
          </caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.key} scope="col" className={column.numeric ? 'number' : undefined}>
                  {column.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((column) => (
                  <td key={column.key} className={column.numeric ? 'number' : undefined}>
                    {column.render ? column.render(row) : column.text(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav className="pager" aria-label={`${caption} pages`}>
        <button type="button" className="secondary" disabled={page <= 1 || busy} onClick={() => onPage(page - 1)}>
          Previous
        </button>
        <span>
          Page {page} of {pages}
        </span>
        <button type="button" className="secondary" disabled={page >= pages || busy} onClick={() => onPage(page + 1)}>
          Next
        </button>
      </nav>
    </div>
  );
}
