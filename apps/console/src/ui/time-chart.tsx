import { useEffect, useId, useRef } from 'react';
import { Field } from './field';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './time-chart.css';
import { formatPlantTime, PLANT_TIME_ZONE } from '../lib/format';

/** The periods charts offer, each with a bucket that keeps a chart readable (a dozen to two dozen points). */
export const CHART_PERIODS = [
  { label: 'Last hour', hours: 1, bucketMinutes: 5 },
  { label: 'Last 24 hours', hours: 24, bucketMinutes: 60 },
  { label: 'Last 7 days', hours: 168, bucketMinutes: 360 },
] as const;
export type ChartPeriod = (typeof CHART_PERIODS)[number];

/** The choice of period above a page's charts; `value` indexes CHART_PERIODS. */
export function ChartPeriodField({ label, value, onChange }: { label: string; value: number; onChange: (index: number) => void }) {
  return (
    <Field label={label}>
      <select value={value} onChange={(event) => onChange(Number(event.target.value))}>
        {CHART_PERIODS.map((option, index) => (
          <option key={option.label} value={index}>
            {option.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

export interface ChartSeries {
  label: string;
  /** One value per bucket; null where there is nothing to draw (no deliveries, so no lag). */
  values: ReadonlyArray<number | null>;
}

export interface TimeChartProps {
  /** What the chart shows; also the caption of its table of figures. */
  caption: string;
  /** Bucket starts, as the API sends them (UTC ISO). */
  buckets: readonly string[];
  series: readonly ChartSeries[];
  /** The unit of the values, as a reader says it ("requests", "ms"). */
  unit: string;
}

// Distinguishable for the common colour-vision deficiencies (Okabe–Ito), each also named in the legend.
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C564B', '#F0E442'];

const colourOf = (index: number) => PALETTE[index % PALETTE.length]!;

const clock = new Intl.DateTimeFormat('en-GB', { timeZone: PLANT_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const day = new Intl.DateTimeFormat('en-GB', { timeZone: PLANT_TIME_ZONE, day: '2-digit', month: 'short' });

/** Axis labels on the plant's 24-hour clock, as every time on the console; the day is added where it changes. */
function axisLabels(splits: number[]): string[] {
  let previousDay = '';
  return splits.map((seconds) => {
    const at = new Date(seconds * 1000);
    const today = day.format(at);
    const label = today === previousDay ? clock.format(at) : `${clock.format(at)}\n${today}`;
    previousDay = today;
    return label;
  });
}

/** The figures in words, for a screen reader: the total and the busiest bucket of each series. */
export function chartSummary({ caption, buckets, series, unit }: TimeChartProps): string {
  if (buckets.length === 0 || series.length === 0) return `${caption}: nothing to show for this period.`;
  const parts = series.map((line) => {
    const values = line.values.filter((value): value is number => value !== null);
    if (values.length === 0) return `${line.label}: none`;
    const peak = Math.max(...values);
    const at = buckets[line.values.indexOf(peak)];
    const total = values.reduce((sum, value) => sum + value, 0);
    return `${line.label}: ${unit === 'ms' ? `highest ${peak} ms` : `${total} ${unit}, highest ${peak}`} at ${formatPlantTime(at)}`;
  });
  return `${caption}, ${formatPlantTime(buckets[0])} to ${formatPlantTime(buckets[buckets.length - 1])} (${PLANT_TIME_ZONE}). ${parts.join('; ')}.`;
}

/**
 * The console's one chart: time on the x axis in the plant's zone, drawn by uPlot on a canvas.
 * The canvas is an image with a summary for assistive technology, and the exact figures are in
 * a table under it, so nothing is only visible.
 */
export function TimeChart(props: TimeChartProps) {
  const { caption, buckets, series, unit } = props;
  const host = useRef<HTMLDivElement>(null);
  const captionId = useId();
  const summary = chartSummary(props);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const data: AlignedData = [
      buckets.map((at) => Date.parse(at) / 1000),
      ...series.map((line) => line.values.map((value) => value ?? null)),
    ] as AlignedData;
    const options: Options = {
      width: Math.max(320, element.clientWidth),
      height: 240,
      // The plant's wall clock on the axis, whatever the PC's own zone: splits fall on its hours.
      tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), PLANT_TIME_ZONE),
      legend: { show: false },
      cursor: { show: true, drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_chart, min, max) => [Math.min(0, min), Math.max(1, max)] } },
      axes: [{ values: (_chart, splits) => axisLabels(splits) }, { label: unit, size: 60 }],
      series: [
        {},
        ...series.map((line, index) => ({ label: line.label, stroke: colourOf(index), width: 2, points: { show: buckets.length < 60 } })),
      ],
    };
    const chart = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, element.clientWidth), height: 240 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [buckets, series, unit]);

  return (
    <figure className="time-chart" aria-labelledby={captionId}>
      <figcaption id={captionId}>{caption}</figcaption>
      <div ref={host} role="img" aria-label={summary} />
      <ul className="chart-legend" aria-label={`${caption}: legend`}>
        {series.map((line, index) => (
          <li key={line.label}>
            <span className="chart-swatch" style={{ background: colourOf(index) }} aria-hidden="true" />
            {line.label}
          </li>
        ))}
      </ul>
      <details>
        <summary>Figures of “{caption}” as a table</summary>
        <div className="table-wrap">
          <table>
            <caption className="muted">
              {caption} ({unit}), times in {PLANT_TIME_ZONE}
            </caption>
            <thead>
              <tr>
                <th scope="col">From</th>
                {series.map((line) => (
                  <th key={line.label} scope="col" className="number">
                    {line.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {buckets.map((at, row) => (
                <tr key={at}>
                  <th scope="row">{formatPlantTime(at)}</th>
                  {series.map((line) => (
                    <td key={line.label} className="number">
                      {line.values[row] ?? '–'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
