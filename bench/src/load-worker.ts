import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';
import { LatencyRecorder } from './latencies.js';
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

const latencies = new LatencyRecorder();

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
    instance.on('response', (_client, statusCode, _bytes, responseTime) => latencies.record(statusCode, responseTime));
  });
  return latencies.metrics(result, job.url);
}

run().then(
  (metrics) => parentPort?.postMessage({ ok: true, metrics } satisfies LoadReply),
  (error: unknown) =>
    parentPort?.postMessage({ ok: false, error: error instanceof Error ? error.message : String(error) } satisfies LoadReply),
);
