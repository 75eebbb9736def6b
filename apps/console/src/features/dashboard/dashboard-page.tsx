import { usePipeline, type PipelineCounts } from '../../api/pipeline';
import { statusLabel } from '../../config/statuses';
import { formatPlantTime } from '../../lib/format';
import { ErrorPanel } from '../../ui/error-panel';

/** The stages in the order the tea moves through them, in the plant's words. */
const STAGES: ReadonlyArray<{ key: keyof PipelineCounts; label: string; where: string }> = [
  { key: 'lotsReceived', label: 'Lots received', where: 'Seeduwa' },
  { key: 'batchesInQc', label: 'Batches in QC', where: 'Seeduwa' },
  { key: 'traderPending', label: 'Waiting for a trader', where: 'Traders' },
  { key: 'ready', label: statusLabel('ORDER_READY'), where: 'Seeduwa' },
  { key: 'dispatched', label: statusLabel('SHIPMENT_DISPATCHED'), where: 'On the road' },
  { key: 'accepted', label: statusLabel('SHIPMENT_ACCEPTED'), where: 'Grandpass' },
];

export default function DashboardPage() {
  const { snapshot, live, error } = usePipeline();
  return (
    <section aria-labelledby="dashboard-title">
      <h2 id="dashboard-title">Pipeline</h2>
      {error && <ErrorPanel error={error} />}
      {!snapshot && !error && <p role="status">Loading the pipeline…</p>}
      {snapshot && (
        <>
          <dl className="tiles" aria-label="Pipeline counts">
            {STAGES.map((stage) => (
              <div key={stage.key} className="tile">
                <dt>{stage.label}</dt>
                <dd>
                  <span className="tile-count" data-stage={stage.key}>
                    {snapshot.counts[stage.key]}
                  </span>
                  <span className="muted">{stage.where}</span>
                </dd>
              </div>
            ))}
          </dl>
          <p className="muted" role="status">
            {live ? 'Live' : 'Reconnecting…'} · counts as of {formatPlantTime(snapshot.at)}
          </p>
        </>
      )}
    </section>
  );
}
