import { useId, useMemo, useState, type ReactNode } from 'react';
import { toCsv } from '../lib/csv';
import { downloadCsv } from '../lib/download';
import { Pager } from './pager';

export interface Column<Row> {
  key: string;
  header: string;
  /** The text that is shown (unless render says otherwise), filtered on and exported. */
  text: (row: Row) => string;
  /** Sort order; defaults to the text. */
  compare?: (a: Row, b: Row) => number;
  render?: (row: Row) => ReactNode;
  numeric?: boolean;
}

export interface DataTableProps<Row> {
  caption: string;
  rows: readonly Row[];
  columns: ReadonlyArray<Column<Row>>;
  rowKey: (row: Row) => string;
  /** File name of the CSV export, without extension; the caption unless said. */
  exportName?: string;
  pageSize?: number;
  /** Shown when nothing exists at all (as opposed to nothing matching the filter). */
  empty?: ReactNode;
  selected?: string | undefined;
  onSelect?: (row: Row) => void;
  /**
   * The rows are one page the server chose: they are shown whole, and this pager (which asks
   * the server for the others) stands in for the table's own, so the list has one pager only.
   */
  serverPager?: ReactNode;
  /** Said in the caption after its text; by default how many rows the filter leaves of how many. */
  count?: string;
  /**
   * Whether the table filters, sorts and exports the rows it holds; off where the server does so
   * over every page, as sorting or exporting only the page shown would pass for the whole list.
   */
  tools?: boolean;
}

type Sort = { key: string; direction: 'ascending' | 'descending' };

/**
 * Sortable, filterable, paged; the export holds exactly the rows the filter and sort give
 * (every page of them), as the user sees them (weights in kg, times in the plant's zone).
 * Given a server pager, the rows are that one server page and the table pages them no further.
 */
export function DataTable<Row>({
  caption,
  rows,
  columns,
  rowKey,
  exportName,
  pageSize = 25,
  empty,
  selected,
  onSelect,
  serverPager,
  count,
  tools = true,
}: DataTableProps<Row>) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<Sort | undefined>();
  const [page, setPage] = useState(0);
  const filterId = useId();

  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const matching = needle ? rows.filter((row) => columns.some((column) => column.text(row).toLowerCase().includes(needle))) : [...rows];
    const column = sort && columns.find((candidate) => candidate.key === sort.key);
    if (column) {
      const compare = column.compare ?? ((a: Row, b: Row) => column.text(a).localeCompare(column.text(b), undefined, { numeric: true }));
      matching.sort((a, b) => (sort.direction === 'ascending' ? compare(a, b) : compare(b, a)));
    }
    return matching;
  }, [rows, columns, filter, sort]);

  const pages = serverPager ? 1 : Math.max(1, Math.ceil(visible.length / pageSize));
  const current = Math.min(page, pages - 1);
  const shown = serverPager ? visible : visible.slice(current * pageSize, (current + 1) * pageSize);

  function toggleSort(key: string) {
    setSort((previous) =>
      previous?.key === key && previous.direction === 'ascending' ? { key, direction: 'descending' } : { key, direction: 'ascending' },
    );
  }

  function exportRows() {
    downloadCsv(
      `${exportName ?? caption}.csv`,
      toCsv(
        columns.map((column) => column.header),
        visible.map((row) => columns.map((column) => column.text(row))),
      ),
    );
  }

  if (rows.length === 0) {
    // An empty server page past the first still needs its way back to the pages that have rows.
    return (
      <>
        <div className="panel">{empty ?? 'Nothing here yet.'}</div>
        {serverPager}
      </>
    );
  }

  return (
    <div>
      {tools && (
        <div className="table-tools">
          <div className="field">
            <label htmlFor={filterId}>Filter</label>
            <input
              id={filterId}
              type="search"
              value={filter}
              onChange={(event) => {
                setFilter(event.target.value);
                setPage(0);
              }}
            />
          </div>
          <button type="button" className="secondary" onClick={exportRows}>
            Export CSV ({visible.length})
          </button>
        </div>
      )}
      <div className="table-wrap">
        <table>
          <caption className="muted">
            {caption}: {count ?? `${visible.length} of ${rows.length}`}
          </caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  className={column.numeric ? 'number' : undefined}
                  aria-sort={tools ? (sort?.key === column.key ? sort.direction : 'none') : undefined}
                >
                  {tools ? (
                    <button type="button" onClick={() => toggleSort(column.key)}>
                      {column.header}
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => {
              const key = rowKey(row);
              return (
                <tr key={key} aria-selected={onSelect ? selected === key : undefined}>
                  {columns.map((column, index) => (
                    <td key={column.key} className={column.numeric ? 'number' : undefined}>
                      {index === 0 && onSelect ? (
                        <button type="button" className="secondary" onClick={() => onSelect(row)}>
                          {column.render ? column.render(row) : column.text(row)}
                        </button>
                      ) : column.render ? (
                        column.render(row)
                      ) : (
                        column.text(row)
                      )}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {visible.length === 0 && <p role="status">No rows match this filter.</p>}
      {serverPager ?? (
        <Pager
          label={`${caption} pages`}
          position={`Page ${current + 1} of ${pages}`}
          onBack={current > 0 ? () => setPage(current - 1) : undefined}
          onForward={current < pages - 1 ? () => setPage(current + 1) : undefined}
        />
      )}
    </div>
  );
}
