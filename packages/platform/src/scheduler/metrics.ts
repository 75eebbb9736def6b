import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * The scheduler's metrics, made before the app exists (the scheduler is built with the
 * service's shared parts) and added to the app's registry when its routes are registered.
 */
export class SchedulerMetrics {
  readonly runs = new Counter({
    name: 'scheduler_job_runs_total',
    help: 'Job runs this replica finished, by outcome',
    labelNames: ['job', 'outcome'] as const,
    registers: [],
  });
  readonly duration = new Histogram({
    name: 'scheduler_job_duration_seconds',
    help: 'Seconds a job run took, from start (or takeover) to its final state',
    labelNames: ['job'] as const,
    buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [],
  });
  readonly lastSuccess = new Gauge({
    name: 'scheduler_job_last_success_timestamp_seconds',
    help: 'When the newest succeeded run of the job finished (epoch seconds), as this replica knows it',
    labelNames: ['job'] as const,
    registers: [],
  });
  readonly running = new Gauge({
    name: 'scheduler_job_running',
    help: 'Runs of the job this replica is running now',
    labelNames: ['job'] as const,
    registers: [],
  });

  register(registry: Registry): void {
    const metrics = {
      scheduler_job_runs_total: this.runs,
      scheduler_job_duration_seconds: this.duration,
      scheduler_job_last_success_timestamp_seconds: this.lastSuccess,
      scheduler_job_running: this.running,
    };
    for (const [name, metric] of Object.entries(metrics)) {
      if (!registry.getSingleMetric(name)) registry.registerMetric(metric);
    }
  }
}
