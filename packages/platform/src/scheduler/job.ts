import type { Logger } from '../core/logger.js';
import type { JobTrigger } from './migration.js';

/** What one run is told: which period it is for, in UTC and as the plant's date. */
export interface JobContext {
  runId: string;
  /** The period's instant (UTC); a manual run: when it was asked for. */
  scheduledFor: Date;
  /** `YYYY-MM-DD` of scheduledFor in the job's zone: the plant's "today" for this run. */
  plantDate: string;
  timeZone: string;
  trigger: JobTrigger;
  /** Aborted when this replica lost the run (its lease was taken over); stop early when it is. */
  signal: AbortSignal;
  logger: Logger;
}

/** What a job reports: a small JSON object kept with the run and sent in its event. */
export type JobSummary = Record<string, unknown>;

/**
 * Recurring work. `run` must be idempotent: a run taken over after its holder died runs
 * again for the same period, and an operator may run it by hand at any time.
 */
export interface Job {
  name: string;
  /** Cron expression in `timeZone`; null: off, manual runs only. */
  schedule: string | null;
  timeZone: string;
  run(context: JobContext): Promise<JobSummary | void>;
}

/** An instant as the zone's wall clock, `YYYY-MM-DD HH:MM:SS` (Swedish dates are ISO 8601's). */
function wallClock(instant: Date, timeZone: string): string {
  return instant.toLocaleString('sv-SE', { timeZone, hourCycle: 'h23' });
}

/** `YYYY-MM-DD` of an instant in a zone. */
export function dateIn(instant: Date, timeZone: string): string {
  return wallClock(instant, timeZone).slice(0, 10);
}

/** An instant as the plant's wall clock, ISO 8601 with the zone's offset (`2026-12-06T06:00:00+05:30`). */
export function localIso(instant: Date, timeZone: string): string {
  const wall = wallClock(instant, timeZone).replace(' ', 'T');
  const offsetMinutes = Math.round((Date.parse(`${wall}Z`) - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${wall}${sign}${hours}:${minutes}`;
}
