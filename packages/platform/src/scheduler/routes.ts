import { Type, type Static } from '@sinclair/typebox';
import type { AccessRule } from '../http/access.js';
import { errorResponseSchema } from '../http/error-response.js';
import { routeOptions } from '../http/route-options.js';
import type { HttpApp } from '../http/types.js';
import { localIso } from './job.js';
import type { JobRun } from './runs.repository.js';
import type { Scheduler } from './scheduler.js';

export interface JobRouteOptions {
  scheduler: Scheduler;
  /** Who may see and run the jobs: the service's own rule, checked at each route. */
  access: AccessRule;
}

const Instant = Type.String({ format: 'date-time', description: 'UTC, ISO 8601' });
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);

const RunOut = Type.Object({
  id: Type.String(),
  job: Type.String(),
  scheduledFor: Instant,
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
  status: Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]),
  holder: Type.String({ description: 'the replica that runs or ran it' }),
  leaseUntil: Nullable(Instant),
  startedAt: Instant,
  finishedAt: Nullable(Instant),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  summary: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]),
  error: Nullable(Type.String()),
});

const JobOut = Type.Object({
  name: Type.String(),
  schedule: Type.String({ description: 'cron expression in timeZone, or "off" (manual runs only)' }),
  timeZone: Type.String(),
  nextRunAt: Nullable(Instant),
  nextRunLocal: Nullable(Type.String({ description: 'the next run in timeZone, ISO 8601 with its offset' })),
  lastRun: Type.Union([RunOut, Type.Null()]),
});

const JobParams = Type.Object({ name: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,99}$' }) });
const RunsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  before: Type.Optional(
    Type.String({ format: 'date-time', description: 'runs for periods before this instant: the `next` of the previous page' }),
  ),
});
const RunsPage = Type.Object({
  items: Type.Array(RunOut),
  next: Nullable(Type.String({ description: '`before` of the next page; null on the last' })),
});
const Accepted = Type.Object({ runId: Type.String(), job: Type.String(), scheduledFor: Instant });
const refusals = { 401: errorResponseSchema, 403: errorResponseSchema };

const isoOrNull = (epochMs: number | null) => (epochMs === null ? null : new Date(epochMs).toISOString());

function runOut(run: JobRun): Static<typeof RunOut> {
  return {
    id: run.id,
    job: run.job,
    scheduledFor: new Date(run.scheduledFor).toISOString(),
    trigger: run.trigger,
    status: run.status,
    holder: run.holder,
    leaseUntil: isoOrNull(run.leaseUntil),
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: isoOrNull(run.finishedAt),
    durationMs: run.durationMs,
    summary: run.summary,
    error: run.error,
  };
}

/** `GET /jobs`, `GET /jobs/:name/runs`, `POST /jobs/:name/run`, each under the service's rule. */
export function registerJobRoutes(app: HttpApp, { scheduler, access }: JobRouteOptions): void {
  scheduler.metrics.register(app.metrics);
  app.get(
    '/jobs',
    routeOptions(access, 'jobs', 'Scheduled jobs: timing, next run (UTC and plant time), last run', {
      response: { 200: Type.Object({ items: Type.Array(JobOut) }), ...refusals },
    }),
    async () => ({
      items: (await scheduler.status()).map((job) => ({
        name: job.name,
        schedule: job.schedule ?? 'off',
        timeZone: job.timeZone,
        nextRunAt: job.nextRunAt?.toISOString() ?? null,
        nextRunLocal: job.nextRunAt ? localIso(job.nextRunAt, job.timeZone) : null,
        lastRun: job.lastRun && runOut(job.lastRun),
      })),
    }),
  );
  app.get(
    '/jobs/:name/runs',
    routeOptions(access, 'jobs', "A job's runs, newest period first", {
      params: JobParams,
      querystring: RunsQuery,
      response: { 200: RunsPage, ...refusals, 404: errorResponseSchema },
    }),
    async (request) => {
      const { name } = request.params;
      const { limit, before } = request.query;
      const page = await scheduler.runs(name, limit + 1, before === undefined ? undefined : Date.parse(before));
      const items = page.slice(0, limit).map(runOut);
      return { items, next: page.length > limit ? items.at(-1)!.scheduledFor : null };
    },
  );
  app.post(
    '/jobs/:name/run',
    routeOptions(access, 'jobs', 'Run a job now (202 with the run id; 409 while it runs)', {
      params: JobParams,
      response: { 202: Accepted, ...refusals, 404: errorResponseSchema, 409: errorResponseSchema },
    }),
    async (request, reply) => {
      const run = await scheduler.runNow(request.params.name);
      return reply.code(202).send({ runId: run.id, job: run.job, scheduledFor: new Date(run.scheduledFor).toISOString() });
    },
  );
}
