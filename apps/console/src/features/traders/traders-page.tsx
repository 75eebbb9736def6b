import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { traderBatchesQuery, useChangeTraderStatus, type TraderBatch } from '../../api/traders';
import { firstQueueOf, movesFor, TRADER_STATUSES, traderStatusLabel, type TraderStatus } from '../../config/trader';
import { formatPlantTime } from '../../lib/format';
import { useSession } from '../../lib/session';
import { DataTable, type Column } from '../../ui/data-table';
import { ErrorPanel } from '../../ui/error-panel';
import { TraderActions } from './trader-actions';

const batchKey = (batch: TraderBatch) => `${batch.item_code}@${batch.created_ts}`;

export default function TradersPage() {
  const role = useSession().user?.role;
  const [status, setStatus] = useState<TraderStatus>(() => firstQueueOf(role));
  const [done, setDone] = useState<string>();
  const statusId = useId();
  const query = useQuery(traderBatchesQuery(status));
  const change = useChangeTraderStatus();
  const columns: Array<Column<TraderBatch>> = [
    { key: 'batch', header: 'Batch', text: (batch) => batch.item_code },
    { key: 'sheet', header: 'Blend sheet', text: (batch) => batch.blendsheet_no },
    { key: 'blend', header: 'Blend', text: (batch) => [batch.blend_code, batch.remarks].filter(Boolean).join(': ') },
    { key: 'made', header: 'Made', text: (batch) => formatPlantTime(batch.created_ts), compare: (a, b) => a.created_ts - b.created_ts },
    { key: 'humidity', header: 'Moisture', text: (batch) => batch.humidity, numeric: true },
    { key: 'density', header: 'Density', text: (batch) => batch.density, numeric: true },
    { key: 'status', header: 'State', text: (batch) => traderStatusLabel(batch.trader_status) },
  ];
  if (TRADER_STATUSES.some((from) => movesFor(role, from).length > 0))
    columns.push({
      key: 'decide',
      header: 'Decision',
      text: () => '',
      render: (batch) => <TraderActions batch={batch} change={change} onDone={setDone} />,
    });
  return (
    <section aria-labelledby="traders-title">
      <h2 id="traders-title">Trader queue</h2>
      <p className="muted">
        Blend batches need a trader&apos;s word before their bags may be shipped. A trader allows, blocks or sends a batch to the trader
        supervisor, who decides those.
      </p>
      <div className="field">
        <label htmlFor={statusId}>Show batches</label>
        <select id={statusId} value={status} onChange={(event) => setStatus(event.target.value as TraderStatus)}>
          {TRADER_STATUSES.map((candidate) => (
            <option key={candidate} value={candidate}>
              {traderStatusLabel(candidate)}
            </option>
          ))}
        </select>
      </div>
      {done && <p role="status">{done}</p>}
      {change.isError && <ErrorPanel error={change.error} />}
      {query.isPending && <p role="status">Loading batches…</p>}
      {query.isError && <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />}
      {query.isSuccess && (
        <DataTable
          caption={`Batches: ${traderStatusLabel(status).toLowerCase()}`}
          rows={query.data}
          columns={columns}
          rowKey={batchKey}
          exportName={`trader-${status.toLowerCase().replace('trader_', '')}`}
          empty="No batches in this state."
        />
      )}
    </section>
  );
}
