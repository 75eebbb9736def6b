import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { usageSeriesQuery } from '../../api/usage';
import { QueryState } from '../../ui/query-state';
import { TimeChart } from '../../ui/time-chart';

/** The periods offered, each with a bucket that keeps the chart readable. */
export const PERIODS = [
  { label: 'Last hour', hours: 1, bucketMinutes: 5 },
  { label: 'Last 24 hours', hours: 24, bucketMinutes: 60 },
  { label: 'Last 7 days', hours: 168, bucketMinutes: 360 },
] as const;

const CLASS_NAMES: Record<string, string> = {
  '2xx': 'Succeeded (2xx)',
  '3xx': 'Redirected (3xx)',
  '4xx': 'Refused (4xx)',
  '5xx': 'Failed (5xx)',
};

export default function UsagePage() {
  const [period, setPeriod] = useState(1);
  const selectId = useId();
  const chosen = PERIODS[period]!;
  const query = useQuery(usageSeriesQuery(chosen.hours, chosen.bucketMinutes));
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Gateway usage</h2>
      <p className="muted">Requests through the gateway, counted from its audit log.</p>
      <div className="field">
        <label htmlFor={selectId}>Period</label>
        <select id={selectId} value={period} onChange={(event) => setPeriod(Number(event.target.value))}>
          {PERIODS.map((option, index) => (
            <option key={option.label} value={index}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <QueryState query={query} loading="Counting requests…">
        {(series) => (
          <>
            <TimeChart
              caption="Requests by outcome"
              unit="requests"
              buckets={series.buckets}
              series={series.byStatusClass.map((line) => ({
                label: CLASS_NAMES[line.statusClass] ?? line.statusClass,
                values: line.counts,
              }))}
            />
            <TimeChart
              caption="Requests by route"
              unit="requests"
              buckets={series.buckets}
              series={series.byRoute.map((line) => ({ label: line.route, values: line.counts }))}
            />
          </>
        )}
      </QueryState>
    </section>
  );
}
