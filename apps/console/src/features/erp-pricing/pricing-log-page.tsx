import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { applicationLogQuery, effectivenessQuery, LOG_PAGE, type Application, type Effectiveness } from '../../api/erp-pricing';
import { formatPlantTime, plantDate } from '../../lib/format';
import { DataTable, type Column } from '../../ui/data-table';
import { Pager } from '../../ui/pager';
import { DateField } from '../../ui/date-field';
import { Field } from '../../ui/field';
import { QueryState } from '../../ui/query-state';

const LOG_COLUMNS: ReadonlyArray<Column<Application>> = [
  { key: 'when', header: 'When (Colombo)', text: (row) => formatPlantTime(row.application_date) },
  { key: 'rule', header: 'Rule', text: (row) => row.rule_code ?? row.pricing_rule },
  { key: 'doc', header: 'On', text: (row) => `${row.applied_on_doctype} ${row.applied_on_name}` },
  { key: 'customer', header: 'Customer', text: (row) => row.customer ?? '' },
  { key: 'item', header: 'Item', text: (row) => `${row.item_code ?? ''} (line ${row.line_no})` },
  { key: 'qty', header: 'Quantity', text: (row) => row.qty, numeric: true },
  { key: 'from', header: 'List rate', text: (row) => row.original_rate, numeric: true },
  { key: 'to', header: 'Final rate', text: (row) => row.rate, numeric: true },
  { key: 'discount', header: 'Discount', text: (row) => row.discount_amount, numeric: true },
  { key: 'coupon', header: 'Coupon', text: (row) => row.coupon_code ?? '' },
  { key: 'by', header: 'By', text: (row) => row.applied_by ?? '' },
];

type ReportRow = Effectiveness['rows'][number];
const REPORT_COLUMNS: ReadonlyArray<Column<ReportRow>> = [
  { key: 'rule', header: 'Rule', text: (row) => `${row.rule_code}: ${row.rule_name}` },
  {
    key: 'applications',
    header: 'Applications',
    text: (row) => String(row.applications),
    compare: (a, b) => a.applications - b.applications,
    numeric: true,
  },
  { key: 'orders', header: 'Documents', text: (row) => String(row.orders), compare: (a, b) => a.orders - b.orders, numeric: true },
  {
    key: 'discount',
    header: 'Discount given',
    text: (row) => row.total_discount,
    compare: (a, b) => Number(a.total_discount) - Number(b.total_discount),
    numeric: true,
  },
  {
    key: 'revenue',
    header: 'Revenue touched',
    text: (row) => row.revenue_affected,
    compare: (a, b) => Number(a.revenue_affected) - Number(b.revenue_affected),
    numeric: true,
  },
  { key: 'per', header: 'Discount per application', text: (row) => row.discount_per_application, numeric: true },
  { key: 'share', header: 'Share of all discount', text: (row) => row.discount_share, numeric: true },
];

function monthAgo(today: string): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 30);
  return date.toISOString().slice(0, 10);
}

function ApplicationLog() {
  const [rule, setRule] = useState('');
  const [typed, setTyped] = useState('');
  const [offset, setOffset] = useState(0);
  const log = useQuery(applicationLogQuery(rule, offset));
  return (
    <section className="panel" aria-labelledby="log-title">
      <h3 id="log-title">Rule application log</h3>
      <form
        className="row"
        aria-label="Log filter"
        onSubmit={(event) => {
          event.preventDefault();
          setRule(typed.trim());
          setOffset(0);
        }}
      >
        <Field label="Rule code" hint="empty for every rule">
          <input value={typed} onChange={(event) => setTyped(event.target.value)} />
        </Field>
        <button type="submit">Show</button>
      </form>
      <QueryState query={log} loading="Loading the log…">
        {(page) => (
          <DataTable
            caption={`Applications ${page.data.length ? `${offset + 1}–${offset + page.data.length}` : ''}, newest first`}
            rows={page.data}
            columns={LOG_COLUMNS}
            rowKey={(row) => row.name}
            exportName={`pricing-log-${rule || 'all'}-${offset / LOG_PAGE + 1}`}
            empty={rule ? `Rule ${rule} has not been applied.` : 'No rule has been applied yet.'}
            serverPager={
              <Pager
                label="Log pages"
                words={['Newer', 'Older']}
                onBack={offset > 0 ? () => setOffset(Math.max(0, offset - LOG_PAGE)) : undefined}
                onForward={page.hasMore ? () => setOffset(offset + LOG_PAGE) : undefined}
              />
            }
          />
        )}
      </QueryState>
    </section>
  );
}

function EffectivenessReport() {
  const [to, setTo] = useState(() => plantDate(Date.now()));
  const [from, setFrom] = useState(() => monthAgo(plantDate(Date.now())));
  const report = useQuery(effectivenessQuery(from, to));
  return (
    <section className="panel" aria-labelledby="effectiveness-title">
      <h3 id="effectiveness-title">Rule effectiveness</h3>
      <div className="row">
        <DateField label="From" value={from} onChange={(next) => next !== null && setFrom(next)} />
        <DateField label="To" value={to} onChange={(next) => next !== null && setTo(next)} />
      </div>
      <QueryState query={report} loading="Loading the report…">
        {(found) => (
          <>
            <p>
              {found.totals.applications} applications gave {found.totals.total_discount} off on {found.totals.revenue_affected} of revenue
              ({found.time_zone} days).
            </p>
            <DataTable
              caption="Per rule"
              rows={found.rows}
              columns={REPORT_COLUMNS}
              rowKey={(row) => row.rule}
              exportName={`pricing-effectiveness-${from}-${to}`}
              empty="No rule was applied in these days."
            />
          </>
        )}
      </QueryState>
    </section>
  );
}

export default function ErpPricingLogPage() {
  return (
    <section aria-labelledby="erp-pricing-log-title">
      <h2 id="erp-pricing-log-title">Pricing log and effectiveness</h2>
      <ApplicationLog />
      <EffectivenessReport />
    </section>
  );
}
