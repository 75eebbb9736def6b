import type autocannon from 'autocannon';
import type { RoundMetrics } from './types.js';

/**
 * The latencies of one load run, fed from autocannon's response event. Its own histogram
 * records whole milliseconds, and loopback requests take a fraction of one, so its p50 reads 0;
 * the event carries the exact time, kept here instead. A non-2xx answer is a failure, not a latency.
 */
export class LatencyRecorder {
  private latencies = new Float64Array(1 << 16);
  private count = 0;
  private failures = 0;

  record(statusCode: number, responseTime: number): void {
    if (statusCode < 200 || statusCode >= 300) {
      this.failures += 1;
      return;
    }
    if (this.count === this.latencies.length) {
      const grown = new Float64Array(this.latencies.length * 2);
      grown.set(this.latencies);
      this.latencies = grown;
    }
    this.latencies[this.count++] = responseTime;
  }

  /** The run's rate and percentiles; a run with refusals or dropped connections measures the wrong thing, so it throws. */
  metrics(result: autocannon.Result, url: string): RoundMetrics {
    if (this.failures > 0 || result.errors > 0) {
      throw new Error(`${this.failures} non-2xx responses and ${result.errors} connection errors from ${url}`);
    }
    const sorted = this.latencies.subarray(0, this.count).sort();
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
    return { rps: this.count / result.duration, p50: at(50), p99: at(99), requests: this.count };
  }
}
