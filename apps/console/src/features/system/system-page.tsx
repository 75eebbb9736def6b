import { useQuery } from '@tanstack/react-query';
import { readinessQuery, type ServiceReadiness } from '../../api/system';
import { formatPlantTime } from '../../lib/format';
import type { Column } from '../../ui/data-table';
import { DataTable } from '../../ui/data-table';
import { QueryState } from '../../ui/query-state';

/** The probe's words as an operator reads them. */
const STATUS_WORDS: Record<string, string> = {
  ok: 'Ready',
  unavailable: 'Not ready',
  draining: 'Shutting down',
  unreachable: 'Not answering',
};

/** The platform's names for its services. */
const SERVICE_NAMES: Record<string, string> = {
  gateway: 'Gateway',
  orders: 'Orders (tea plant)',
  processing: 'Processing (tea plant)',
  erp: 'ERP (confectionery)',
  sync: 'Sync',
};

const statusWord = (status: string) => STATUS_WORDS[status] ?? status;
const checksText = (service: ServiceReadiness) =>
  Object.entries(service.checks)
    .map(([name, outcome]) => `${name}: ${outcome === 'ok' ? 'answers' : outcome}`)
    .join('; ') || 'no dependency checks';

const columns: Array<Column<ServiceReadiness>> = [
  { key: 'service', header: 'Service', text: (service) => SERVICE_NAMES[service.service] ?? service.service },
  {
    key: 'status',
    header: 'Status',
    text: (service) => statusWord(service.status),
    render: (service) => (
      <span className="status" data-ready={service.status === 'ok'}>
        {service.status === 'ok' ? '✓ ' : '✗ '}
        {statusWord(service.status)}
      </span>
    ),
  },
  { key: 'checks', header: 'Databases and other dependencies', text: checksText },
  { key: 'latency', header: 'Answered in (ms)', text: (service) => String(service.latencyMs), numeric: true },
];

export default function SystemPage() {
  const query = useQuery(readinessQuery());
  return (
    <section aria-labelledby="system-title">
      <h2 id="system-title">System health</h2>
      <p className="muted">
        What each service’s readiness check reports: its database and the other services it needs. Checked every 15 seconds.
      </p>
      <QueryState query={query} loading="Asking every service…">
        {(readiness) => (
          <>
            <p role="status" className="panel">
              {readiness.ready
                ? `All ${readiness.services.length} services are ready.`
                : `${readiness.services.filter((service) => service.status !== 'ok').length} of ${readiness.services.length} services are not ready.`}{' '}
              <span className="muted">Checked {formatPlantTime(readiness.checkedAt)}.</span>
            </p>
            <DataTable
              caption="Services"
              rows={readiness.services}
              columns={columns}
              rowKey={(service) => service.service}
              exportName="system-health"
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
