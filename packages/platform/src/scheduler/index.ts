export * from './config.js';
export * from './errors.js';
export * from './job.js';
export * from './metrics.js';
export * from './migration.js';
export * from './routes.js';
export { Scheduler, JOB_FAILED, JOB_SUCCEEDED, type JobEventPayload, type JobStatus, type SchedulerOptions } from './scheduler.js';
export type { JobRun } from './runs.repository.js';
