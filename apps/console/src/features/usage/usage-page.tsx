import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { usageSeriesQuery } from '../../api/usage';
import { QueryState } from '../../ui/query-state';
import { CHART_PERIODS, ChartPeriodField, TimeChart } from '../../ui/time-chart';

const CLASS_NAMES: Record<string, string> = {
  '2xx': 'Succeeded (2xx)',
  '3xx': 'Redirected (3xx)',
  '4xx': 'Refused (4xx)',
  '5xx': 'Failed (5xx)',
};

export default function UsagePage() {
  const [period, setPeriod] = useState(1);
  const chosen = CHART_PERIODS[period]!;
  const query = useQuery(usageSeriesQuery(chosen.hours, chosen.bucketMinutes));
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title">Gateway usage</h2>
      <p className="muted">Requests through the gateway, counted from its audit log.</p>
      <ChartPeriodField label="Period" value={period} onChange={setPeriod} />
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
