import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { syncHealthQuery, syncSeriesQuery, type DeliveryState, type SyncHealth, type SyncSeries } from '../../api/sync';
import { QueryState } from '../../ui/query-state';
import { CHART_PERIODS, ChartPeriodField, TimeChart } from '../../ui/time-chart';
import { stateWord } from './words';

/** The states a person watches, in the order work moves through them. */
const COUNTED: DeliveryState[] = ['pending', 'in_progress', 'failed', 'conflict'];

const flowName = (flow: SyncSeries['flows'][number]) => `${flow.source} → ${flow.target}`;

function QueueCounters({
  health,
  onOpen,
  onConflicts,
}: {
  health: SyncHealth;
  onOpen: (state: DeliveryState) => void;
  onConflicts: () => void;
}) {
  const count = (state: DeliveryState) =>
    health.queue.filter((row) => row.status === state).reduce((sum, row) => sum + Number(row.count ?? 0), 0);
  return (
    <dl className="tiles" aria-label="Delivery queue by state">
      {COUNTED.map((state) => (
        <div className="tile" key={state}>
          <dt>{stateWord(state)}</dt>
          <dd>
            <span className="tile-count" data-state={state}>
              {count(state)}
            </span>
            <button
              type="button"
              className="secondary"
              aria-label={`Open the list of ${stateWord(state).toLowerCase()} deliveries`}
              onClick={() => onOpen(state)}
            >
              Open the list
            </button>
          </dd>
        </div>
      ))}
      <div className="tile">
        <dt>Open conflicts</dt>
        <dd>
          <span className="tile-count" data-state="conflicts">
            {health.conflictsPending}
          </span>
          <button type="button" className="secondary" onClick={onConflicts}>
            Open the conflicts
          </button>
        </dd>
      </div>
    </dl>
  );
}

function FlowCharts({ series }: { series: SyncSeries }) {
  if (series.flows.length === 0) return <p className="panel">No deliveries in this period.</p>;
  return (
    <>
      <TimeChart
        caption="Delivered per flow"
        unit="deliveries"
        buckets={series.buckets}
        series={series.flows.map((flow) => ({ label: flowName(flow), values: flow.delivered }))}
      />
      <TimeChart
        caption="Failed attempts per flow"
        unit="attempts"
        buckets={series.buckets}
        series={series.flows.map((flow) => ({ label: flowName(flow), values: flow.failed }))}
      />
      <TimeChart
        caption="Average lag per flow, from the source's change to the target's acknowledgement"
        unit="ms"
        buckets={series.buckets}
        series={series.flows.map((flow) => ({ label: flowName(flow), values: flow.avgLagMs }))}
      />
    </>
  );
}

/** Queue counters that open filtered lists, then throughput, failures and lag per flow over a chosen period. */
export function Overview({ onOpen, onConflicts }: { onOpen: (state: DeliveryState) => void; onConflicts: () => void }) {
  const [period, setPeriod] = useState(1);
  const chosen = CHART_PERIODS[period]!;
  const health = useQuery(syncHealthQuery());
  const series = useQuery(syncSeriesQuery(chosen.hours, chosen.bucketMinutes));
  return (
    <>
      <QueryState query={health} loading="Counting the queue…">
        {(figures) => <QueueCounters health={figures} onOpen={onOpen} onConflicts={onConflicts} />}
      </QueryState>
      <ChartPeriodField label="Period of the charts" value={period} onChange={setPeriod} />
      <QueryState query={series} loading="Counting deliveries…">
        {(figures) => <FlowCharts series={figures} />}
      </QueryState>
    </>
  );
}
