/**
 * One scheduler replica as its own process, for the replica tests: the jobs named in JOBS
 * wait WORK_MS and record an effect row, so a test counts what ran and where. The clock
 * starts at CLOCK_AT when the parent's wall clock read CLOCK_REAL and runs at real speed,
 * which lets a test put the replicas just before a date boundary without waiting for it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../core/logger.js';
import { createDatabase } from '../db/create.js';
import { Scheduler } from './scheduler.js';

interface FixtureJob {
  name: string;
  schedule: string;
  timeZone: string;
  workMs: number;
}

const env = process.env;
const database = await createDatabase(env.DATABASE_URL!);
const holder = env.HOLDER!;
const clockAt = Number(env.CLOCK_AT ?? Date.now());
const clockReal = Number(env.CLOCK_REAL ?? Date.now());
const clock = { now: () => clockAt + (Date.now() - clockReal) };
const jobs = (JSON.parse(env.JOBS!) as FixtureJob[]).map((job) => ({
  name: job.name,
  schedule: job.schedule,
  timeZone: job.timeZone,
  run: async (context: { runId: string; scheduledFor: Date; plantDate: string }) => {
    await sleep(job.workMs);
    await database.db
      .insertInto('job_effect')
      .values({
        job: job.name,
        scheduled_for: context.scheduledFor.getTime(),
        run_id: context.runId,
        holder,
        plant_date: context.plantDate,
      })
      .execute();
    return { holder };
  },
}));
const scheduler = new Scheduler({
  service: 'replica-test',
  db: database.db,
  clock,
  logger: silentLogger(),
  jobs,
  holder,
  leaseMs: Number(env.LEASE_MS ?? 1500),
  tickMs: 100,
  shutdownGraceMs: 5000,
});
await scheduler.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void scheduler
    .stop()
    .then(() => database.close())
    .then(() => process.exit(0));
});
