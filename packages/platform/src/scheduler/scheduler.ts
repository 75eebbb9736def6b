import { hostname } from 'node:os';
import { Cron } from 'croner';
import type { Clock } from '../core/clock.js';
import { uuid } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { AnyKysely } from '../db/schema.js';
import { SchedulerError } from './errors.js';
import { dateIn, type Job, type JobSummary } from './job.js';
import type { JobTrigger } from './migration.js';
import { SchedulerMetrics } from './metrics.js';
import * as repository from './runs.repository.js';
import type { JobRun } from './runs.repository.js';

export interface SchedulerOptions {
  /** The service's name: the events' `aggregate_id` is `<service>:<job>`. */
  service: string;
  db: AnyKysely;
  clock: Clock;
  logger: Logger;
  jobs: readonly Job[];
  /** Who this replica is in the run rows (default: service, host, pid and a random part). */
  holder?: string;
  /** How long a run stays this replica's without a heartbeat (default 60 s); renewed every third of it. */
  leaseMs?: number;
  /** How often the clock is looked at for due periods (default 1 s). */
  tickMs?: number;
  /** How long stop() waits for running jobs before releasing their leases (default 30 s). */
  shutdownGraceMs?: number;
  /** Called after a run's final state and event committed (wakes the outbox feed). */
  onCommitted?: () => void;
}

/** What `GET /jobs` tells about one job. */
export interface JobStatus {
  name: string;
  schedule: string | null;
  timeZone: string;
  nextRunAt: Date | null;
  lastRun: JobRun | null;
}

export const JOB_SUCCEEDED = 'job.succeeded';
export const JOB_FAILED = 'job.failed';

/** The payload of `job.succeeded` and `job.failed` (the notifications subscribe to this shape). */
export interface JobEventPayload {
  service: string;
  job: string;
  runId: string;
  scheduledFor: string;
  startedAt: string;
  finishedAt: string;
  trigger: JobTrigger;
  outcome: 'succeeded' | 'failed';
  durationMs: number;
  summary: JobSummary | null;
  error: string | null;
}

interface Active {
  run: JobRun;
  done: Promise<void>;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/**
 * Runs each job once per period across every replica of a service. The job_run row is the
 * truth: the replica whose insert of (job, period) wins runs it and renews its lease while it
 * runs; a run whose lease lapsed is taken over by compare-and-set. On start the latest period
 * already due is tried once, so an outage costs at most one late run, never a burst (ADR 0031).
 */
export class Scheduler {
  readonly metrics = new SchedulerMetrics();
  private readonly holder: string;
  private readonly leaseMs: number;
  private readonly tickMs: number;
  private readonly crons = new Map<string, Cron>();
  private readonly lastDue = new Map<string, number>();
  private readonly active = new Map<string, Active>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private nextTakeoverCheck = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.holder = options.holder ?? `${options.service}@${hostname()}:${process.pid}:${uuid().slice(0, 8)}`;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.tickMs = options.tickMs ?? 1000;
    for (const job of options.jobs) {
      if (job.schedule !== null) this.crons.set(job.name, new Cron(job.schedule, { timezone: job.timeZone, paused: true }));
      // Present from the start at 0, so the first failure is an increase an alert can see.
      for (const outcome of ['succeeded', 'failed'] as const) this.metrics.runs.inc({ job: job.name, outcome }, 0);
      this.metrics.running.set({ job: job.name }, 0);
    }
  }

  get jobs(): readonly Job[] {
    return this.options.jobs;
  }

  /** Starts the timers; the latest period already due is tried at once. */
  async start(): Promise<void> {
    await this.loadLastSuccess();
    const tick = () => {
      this.ticking = this.tick()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'scheduler tick failed'))
        .finally(() => {
          this.ticking = undefined;
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.tickMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  /**
   * Stops the timers, waits up to the grace for running jobs to finish, then hands back the
   * leases of those still running so another replica takes them over without waiting.
   */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    const pending = [...this.active.values()];
    if (pending.length === 0) return;
    const grace = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), this.options.shutdownGraceMs ?? 30_000).unref());
    await Promise.race([Promise.all(pending.map((entry) => entry.done)), grace]);
    for (const { run } of this.active.values()) {
      await repository.setLease(this.options.db, run.id, this.holder, this.options.clock.now());
      this.options.logger.warn({ job: run.job, runId: run.id }, 'job still running at shutdown: lease released for another replica');
    }
  }

  /** The next period's instant after `now`, or null for a job that is off. */
  nextRun(name: string, now = this.options.clock.now()): Date | null {
    return this.crons.get(name)?.nextRun(new Date(now)) ?? null;
  }

  async status(): Promise<JobStatus[]> {
    const last = await repository.lastRuns(
      this.options.db,
      this.options.jobs.map((job) => job.name),
    );
    return this.options.jobs.map((job) => ({
      name: job.name,
      schedule: job.schedule,
      timeZone: job.timeZone,
      nextRunAt: this.nextRun(job.name),
      lastRun: last.get(job.name) ?? null,
    }));
  }

  job(name: string): Job {
    const job = this.options.jobs.find((candidate) => candidate.name === name);
    if (!job) throw SchedulerError.JOB_NOT_FOUND(`No job ${name}`, { details: { job: name } });
    return job;
  }

  /** A manual run now: its row is written before this returns; the work goes on in the background. */
  async runNow(name: string): Promise<JobRun> {
    const job = this.job(name);
    const now = this.options.clock.now();
    // The row is the truth, whichever replica holds the run.
    const live = await repository.liveRun(this.options.db, name, now);
    if (live)
      throw SchedulerError.JOB_ALREADY_RUNNING(`Job ${name} is running (run ${live.id})`, { details: { job: name, runId: live.id } });
    const run = await this.claim(job, now, 'manual');
    if (!run) throw SchedulerError.JOB_ALREADY_RUNNING(`Job ${name} was started at this instant already`, { details: { job: name } });
    this.execute(job, run);
    return run;
  }

  /** The job's runs, newest period first, for periods before `before` (epoch ms) when given. */
  async runs(name: string, limit: number, before?: number): Promise<JobRun[]> {
    this.job(name);
    return repository.listRuns(this.options.db, name, limit, before);
  }

  /** Settles when every run this replica holds has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.all([...this.active.values()].map((entry) => entry.done));
  }

  /** One look at the clock: claim newly due periods, take over runs whose holder went silent. */
  async tick(): Promise<void> {
    const now = this.options.clock.now();
    for (const job of this.options.jobs) {
      const due = this.latestPeriod(job.name, now);
      if (due === undefined || due <= (this.lastDue.get(job.name) ?? -Infinity)) continue;
      const run = await this.claim(job, due, 'schedule');
      // Only once the claim was answered: a claim the database failed is tried again next tick.
      this.lastDue.set(job.name, due);
      if (run) this.execute(job, run);
    }
    if (now >= this.nextTakeoverCheck) {
      this.nextTakeoverCheck = now + Math.max(this.tickMs, Math.floor(this.leaseMs / 4));
      await this.takeOverExpired(now);
    }
  }

  /** The newest period at or before `now`. */
  private latestPeriod(name: string, now: number): number | undefined {
    const cron = this.crons.get(name);
    if (!cron) return undefined;
    const [previous] = cron.previousRuns(1, new Date(now + 1));
    return previous?.getTime();
  }

  private async claim(job: Job, scheduledFor: number, trigger: JobTrigger): Promise<JobRun | undefined> {
    const startedAt = this.options.clock.now();
    const claim = {
      id: uuid(),
      job: job.name,
      scheduledFor,
      trigger,
      holder: this.holder,
      leaseUntil: startedAt + this.leaseMs,
      startedAt,
    };
    if (!(await repository.claimPeriod(this.options.db, claim))) return undefined;
    return { ...claim, status: 'running', finishedAt: null, durationMs: null, summary: null, error: null };
  }

  private async takeOverExpired(now: number): Promise<void> {
    const names = this.options.jobs.map((job) => job.name);
    for (const seen of await repository.expiredRuns(this.options.db, names, now)) {
      if (this.active.has(seen.id)) continue;
      if (!(await repository.takeOver(this.options.db, seen, this.holder, now, now + this.leaseMs))) continue;
      this.options.logger.warn(
        { job: seen.job, runId: seen.id, from: seen.holder },
        'job run taken over: its holder stopped renewing the lease',
      );
      this.execute(this.job(seen.job), { ...seen, holder: this.holder, leaseUntil: now + this.leaseMs, startedAt: now });
    }
  }

  private execute(job: Job, run: JobRun): void {
    const done = this.perform(job, run).finally(() => this.active.delete(run.id));
    this.active.set(run.id, { run, done });
  }

  private async perform(job: Job, run: JobRun): Promise<void> {
    const { clock, logger, db } = this.options;
    const lost = new AbortController();
    const heartbeat = setInterval(
      () => {
        repository
          .setLease(db, run.id, this.holder, clock.now() + this.leaseMs)
          .then((held) => {
            if (!held) lost.abort();
          })
          .catch((error: unknown) => logger.warn({ err: error, job: job.name }, 'renewing a job lease failed'));
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    this.metrics.running.inc({ job: job.name });
    const scheduledFor = new Date(run.scheduledFor);
    let summary: JobSummary | null = null;
    let error: string | null = null;
    try {
      const context = {
        runId: run.id,
        scheduledFor,
        plantDate: dateIn(scheduledFor, job.timeZone),
        timeZone: job.timeZone,
        trigger: run.trigger,
      };
      summary = (await job.run({ ...context, signal: lost.signal, logger: logger.child({ job: job.name, runId: run.id }) })) ?? null;
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
      logger.error({ err: thrown, job: job.name, runId: run.id }, 'job failed');
    } finally {
      clearInterval(heartbeat);
      this.metrics.running.dec({ job: job.name });
    }
    await this.finish(run, summary, error).catch((thrown: unknown) =>
      logger.error(
        { err: thrown, job: job.name, runId: run.id },
        'recording a job run failed: its lease will lapse and another replica runs it again',
      ),
    );
  }

  private async finish(run: JobRun, summary: JobSummary | null, error: string | null): Promise<void> {
    const finishedAt = this.options.clock.now();
    const outcome = error === null ? 'succeeded' : 'failed';
    const payload: JobEventPayload = {
      service: this.options.service,
      job: run.job,
      runId: run.id,
      scheduledFor: iso(run.scheduledFor),
      startedAt: iso(run.startedAt),
      finishedAt: iso(finishedAt),
      trigger: run.trigger,
      outcome,
      durationMs: finishedAt - run.startedAt,
      summary,
      error,
    };
    const event = {
      type: outcome === 'succeeded' ? JOB_SUCCEEDED : JOB_FAILED,
      aggregateId: `${this.options.service}:${run.job}`,
      payload,
    };
    const recorded = await repository.finishRun(this.options.db, run, this.holder, { status: outcome, finishedAt, summary, error }, event);
    if (!recorded) {
      this.options.logger.warn(
        { job: run.job, runId: run.id },
        'job run finished after another replica took it over: its result is not recorded',
      );
      return;
    }
    this.options.onCommitted?.();
    this.metrics.runs.inc({ job: run.job, outcome });
    this.metrics.duration.observe({ job: run.job }, payload.durationMs / 1000);
    // A job that is off has no period to be late for: its age would only raise a false alarm.
    if (outcome === 'succeeded' && this.crons.has(run.job)) this.metrics.lastSuccess.set({ job: run.job }, finishedAt / 1000);
    this.options.logger.info({ job: run.job, runId: run.id, outcome, durationMs: payload.durationMs }, 'job finished');
  }

  private async loadLastSuccess(): Promise<void> {
    for (const job of this.options.jobs) {
      if (!this.crons.has(job.name)) continue;
      const finished = await repository.lastSucceeded(this.options.db, job.name);
      if (finished !== undefined) this.metrics.lastSuccess.set({ job: job.name }, finished / 1000);
    }
  }
}
