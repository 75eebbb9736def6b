/**
 * Success/failure counts over the last `windowMs`, kept in a fixed number of time buckets so
 * memory stays constant however busy the upstream is. The window is therefore accurate to one
 * bucket (windowMs / buckets), which is plenty for deciding whether an upstream is unhealthy.
 */
export class SlidingWindow {
  private readonly bucketMs: number;
  private readonly buckets: { key: number; successes: number; failures: number }[] = [];

  constructor(
    private readonly windowMs: number,
    private readonly bucketCount = 10,
  ) {
    this.bucketMs = Math.max(1, windowMs / bucketCount);
  }

  record(failed: boolean, nowMs: number): void {
    const key = Math.floor(nowMs / this.bucketMs);
    this.prune(key);
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.key !== key) {
      bucket = { key, successes: 0, failures: 0 };
      this.buckets.push(bucket);
    }
    if (failed) bucket.failures++;
    else bucket.successes++;
  }

  totals(nowMs: number): { total: number; failures: number } {
    this.prune(Math.floor(nowMs / this.bucketMs));
    let total = 0;
    let failures = 0;
    for (const bucket of this.buckets) {
      total += bucket.successes + bucket.failures;
      failures += bucket.failures;
    }
    return { total, failures };
  }

  reset(): void {
    this.buckets.length = 0;
  }

  private prune(currentKey: number): void {
    const oldest = currentKey - this.bucketCount + 1;
    while (this.buckets.length > 0 && this.buckets[0]!.key < oldest) this.buckets.shift();
  }
}
