import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { allAuditRows, auditQuery, type AuditFilters, type AuditRow } from '../../api/gateway-admin-routes';
import { toCsv } from '../../lib/csv';
import { downloadCsv } from '../../lib/download';
import { formatPlantTime } from '../../lib/format';
import { textOf } from '../../lib/open-row';
import type { Column } from '../../ui/data-table';
import { ErrorPanel } from '../../ui/error-panel';
import { PagedQuery } from '../gw-common/paged-query';
import { AuditSearch, type AuditSearchValues } from './audit-search';

const LIMIT = 50;
/** More than this is not a spreadsheet any more: the page asks for narrower filters instead. */
const EXPORT_MOST = 20_000;

const DECISIONS: Record<string, string> = {
  allowed: 'Allowed',
  denied_auth: 'Refused: not signed in',
  denied_policy: 'Refused: not permitted',
  rate_limited: 'Refused: rate limit',
  not_found: 'Not found',
  rejected: 'Rejected',
  error: 'Failed',
};

const COLUMNS: Array<Column<AuditRow>> = [
  { key: 'time', header: 'Time', text: (row) => formatPlantTime(textOf(row, 'requestTimestamp')) },
  { key: 'actor', header: 'Who', text: (row) => textOf(row, 'userId') || 'Anonymous' },
  { key: 'method', header: 'Method', text: (row) => textOf(row, 'method') },
  { key: 'path', header: 'Path', text: (row) => textOf(row, 'path') },
  { key: 'status', header: 'Answer', text: (row) => textOf(row, 'statusCode'), numeric: true },
  { key: 'decision', header: 'Decision', text: (row) => DECISIONS[textOf(row, 'decision')] ?? textOf(row, 'decision') },
  { key: 'service', header: 'Service', text: (row) => textOf(row, 'serviceName') },
  { key: 'key', header: 'API key', text: (row) => textOf(row, 'apiKeyId') },
  { key: 'request', header: 'Request id', text: (row) => textOf(row, 'requestId') },
];

function filtersOf(values: AuditSearchValues): Omit<AuditFilters, 'page' | 'limit'> {
  return {
    ...(values.actor ? { userId: values.actor } : {}),
    ...(values.path ? { path: values.path } : {}),
    ...(values.decision ? { decision: values.decision } : {}),
    ...(values.from ? { from: values.from } : {}),
    to: values.to,
  };
}

export default function AuditPage() {
  const [search, setSearch] = useState<Omit<AuditFilters, 'page' | 'limit'>>();
  const [page, setPage] = useState(1);
  const [exporting, setExporting] = useState<'busy' | Error>();
  const query = useQuery({ ...auditQuery({ ...search, page, limit: LIMIT }), enabled: search !== undefined });

  async function exportRows() {
    if (!search) return;
    setExporting('busy');
    try {
      const rows = await allAuditRows(search, EXPORT_MOST);
      downloadCsv(
        'audit-log.csv',
        toCsv(
          COLUMNS.map((column) => column.header),
          rows.map((row) => COLUMNS.map((column) => column.text(row))),
        ),
      );
      setExporting(undefined);
    } catch (error) {
      setExporting(error instanceof Error ? error : new Error('The export failed'));
    }
  }

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log</h2>
      <p className="muted">Every call through the gateway: who, what, when and how it was answered. Times are Sri Lanka time.</p>
      <AuditSearch
        decisions={DECISIONS}
        onSearch={(values) => {
          setSearch(filtersOf(values));
          setPage(1);
        }}
      />
      {search === undefined ? (
        <p className="panel">Search to see the log: leave every field empty for all calls up to now.</p>
      ) : (
        <>
          {query.data && (
            <div className="table-tools">
              <button
                type="button"
                className="secondary"
                disabled={query.data.total === 0 || query.data.total > EXPORT_MOST || exporting === 'busy'}
                onClick={() => void exportRows()}
              >
                Export CSV ({query.data.total})
              </button>
              {query.data.total > EXPORT_MOST && (
                <span>Narrow the search to export: at most {EXPORT_MOST.toLocaleString('en-GB')} rows.</span>
              )}
              {exporting === 'busy' && <span role="status">Preparing the file…</span>}
            </div>
          )}
          {exporting instanceof Error && <ErrorPanel error={exporting} />}
          <PagedQuery
            query={query}
            loading="Searching the audit log…"
            caption="Audit log"
            columns={COLUMNS}
            rowKey={(row) => textOf(row, 'requestId') + textOf(row, 'requestTimestamp')}
            onPage={setPage}
            empty="No calls match this search."
          />
        </>
      )}
    </section>
  );
}
