import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import type { RoundMetrics } from './types.js';

/** What the main thread sends; plain data, since functions cannot cross into a worker. */
export interface LoadJob {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  connections: number;
  duration: number;
}

export type LoadReply = { ok: true; metrics: RoundMetrics } | { ok: false; error: string };

const job = workerData as LoadJob;

// autocannon's own histogram records whole milliseconds, and loopback requests take a fraction
// of one, so its p50 reads 0. Its response event carries the exact time, kept here instead.
let latencies = new Float64Array(1 << 16);
let count = 0;
let failures = 0;

function record(statusCode: number, responseTime: number): void {
  if (statusCode < 200 || statusCode >= 300) {
    failures += 1;
    return;
  }
  if (count === latencies.length) {
    const grown = new Float64Array(latencies.length * 2);
    grown.set(latencies);
    latencies = grown;
  }
  latencies[count++] = responseTime;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

async function run(): Promise<RoundMetrics> {
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const options: autocannon.Options = {
      url: job.url,
      method: job.method,
      headers: job.headers,
      ...(job.body === undefined ? {} : { body: job.body }),
      connections: job.connections,
      duration: job.duration,
    };
    const instance = autocannon(options, (error: unknown, done: autocannon.Result) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, statusCode, _bytes, responseTime) => record(statusCode, responseTime));
  });
  if (failures > 0 || result.errors > 0) {
    // A benchmark of refusals or dropped connections measures the wrong thing: stop, loudly.
    throw new Error(`${failures} non-2xx responses and ${result.errors} connection errors from ${job.url}`);
  }
  const sorted = latencies.subarray(0, count).sort();
  return {
    rps: count / result.duration,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    requests: count,
  };
}

run().then(
  (metrics) => parentPort?.postMessage({ ok: true, metrics } satisfies LoadReply),
  (error: unknown) =>
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies LoadReply),
);
