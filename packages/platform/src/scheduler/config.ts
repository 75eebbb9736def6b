import { Cron } from 'croner';
import type { Job } from './job.js';
import { isTimeZone } from '../time-zone/index.js';

/** A job's default timing, as the service declares it; the environment may move it. */
export interface JobDefaults {
  name: string;
  /** Cron expression (croner: 5 fields, or 6 with seconds). */
  schedule: string;
}

/** A job's timing once the environment has been read: `schedule` null means `off` (manual runs only). */
export interface JobTiming {
  name: string;
  schedule: string | null;
  timeZone: string;
}

/** `expiry-scan` → `JOB_EXPIRY_SCAN`: the prefix of the job's variables. */
export function jobVariablePrefix(name: string): string {
  return `JOB_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * Reads `JOB_<NAME>_SCHEDULE` (a cron expression or `off`) and `JOB_<NAME>_TIME_ZONE` for each
 * job, defaulting to the job's own schedule and the plant's zone. A bad value refuses to start,
 * naming the variable, rather than leaving a job that silently never runs.
 */
export function jobTimings(env: Record<string, string | undefined>, defaults: readonly JobDefaults[], plantTimeZone: string): JobTiming[] {
  if (!isTimeZone(plantTimeZone)) throw new Error(`The plant time zone ${JSON.stringify(plantTimeZone)} is not an IANA time zone`);
  return defaults.map((job) => {
    const prefix = jobVariablePrefix(job.name);
    const zoneVariable = `${prefix}_TIME_ZONE`;
    const timeZone = env[zoneVariable]?.trim() || plantTimeZone;
    if (!isTimeZone(timeZone)) throw new Error(`${zoneVariable}=${JSON.stringify(timeZone)} is not an IANA time zone`);
    const scheduleVariable = `${prefix}_SCHEDULE`;
    const configured = env[scheduleVariable]?.trim();
    const schedule = configured || job.schedule;
    if (schedule.toLowerCase() === 'off') return { name: job.name, schedule: null, timeZone };
    const problem = cronProblem(schedule, timeZone);
    if (problem) {
      const source = configured ? scheduleVariable : `the default schedule of job ${job.name}`;
      throw new Error(`${source}=${JSON.stringify(schedule)} is not a cron expression (or "off"): ${problem}`);
    }
    return { name: job.name, schedule, timeZone };
  });
}

function cronProblem(pattern: string, timeZone: string): string | undefined {
  try {
    new Cron(pattern, { timezone: timeZone, paused: true }).stop();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Joins a service's job functions with their timings, by name. */
export function withTimings(jobs: readonly JobWork[], timings: readonly JobTiming[]): Job[] {
  return jobs.map((job) => {
    const timing = timings.find((candidate) => candidate.name === job.name);
    if (!timing) throw new Error(`Job ${job.name} has no timing: declare its default schedule`);
    return { ...job, schedule: timing.schedule, timeZone: timing.timeZone };
  });
}

/** A job's work before its timing is known. */
export type JobWork = Omit<Job, 'schedule' | 'timeZone'>;
