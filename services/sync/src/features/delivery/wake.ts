import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Listening } from '@tributary/platform/db';
import type { Logger } from '@tributary/platform/core';
import type { SyncDatabase } from '../../db/schema.js';

/** The PostgreSQL channel delivery workers LISTEN on. */
export const WORK_CHANNEL = 'sync_work';

/**
 * In the transaction that queued runnable deliveries: PostgreSQL hands the notification to the
 * listeners only once that transaction commits, so a woken worker always finds the rows. The
 * payload names the targets: a worker elsewhere may not know a target yet (its configuration
 * cache and its list of targets with work are refreshed on timers), and would claim nothing.
 */
export async function notifyInTransaction(trx: Transaction<SyncDatabase>, targets: readonly string[]): Promise<void> {
  await sql`select pg_notify(${WORK_CHANNEL}, ${workPayload(targets)})`.execute(trx);
}

/** Target names, comma-separated; NOTIFY payloads stop at 8,000 bytes, so a long list is cut (the poll covers the rest). */
export function workPayload(targets: readonly string[]): string {
  let payload = '';
  for (const target of new Set(targets)) {
    const next = payload ? `${payload},${target}` : target;
    if (Buffer.byteLength(next) > 7900) break;
    payload = next;
  }
  return payload;
}

export function targetsOf(payload: string): string[] {
  return payload ? payload.split(',') : [];
}

/**
 * Who wakes which workers. The worker of this process (if it runs one) is woken in memory;
 * workers of other processes are woken through LISTEN/NOTIFY on a PostgreSQL server, and
 * otherwise (PGlite, one process) find the work at their next poll (`SYNC_POLL_INTERVAL_MS`).
 */
export class WorkerWake {
  private local: ((targets: readonly string[]) => void) | undefined;

  constructor(
    private readonly database: Pick<Database<SyncDatabase>, 'dialect' | 'listen'>,
    private readonly db: Kysely<SyncDatabase>,
    private readonly logger: Logger,
  ) {}

  /** Whether captures NOTIFY in their transaction (workers elsewhere LISTEN). */
  get crossProcess(): boolean {
    return this.database.dialect === 'postgres' && this.database.listen !== undefined;
  }

  /** Work is there (a replay, a released batch, a redelivery): the local worker takes it, or one elsewhere. */
  any = (): void => {
    if (this.local) this.local([]);
    else if (this.crossProcess)
      // After the caller's commit, outside it: a hint, and a lost one only costs a poll interval.
      sql`select pg_notify(${WORK_CHANNEL}, '')`
        .execute(this.db)
        .catch((error: unknown) => this.logger.debug({ err: error }, 'waking workers elsewhere failed; they will poll'));
  };

  /** Wakes only this process's worker (capture already notified the others in its transaction). */
  localOnly = (): void => {
    this.local?.([]);
  };

  /** A worker runs here from now on: NOTIFYs from any process (this one included) wake it. */
  async attach(wake: (targets: readonly string[]) => void): Promise<Listening | undefined> {
    this.local = wake;
    if (!this.crossProcess || !this.database.listen) return undefined;
    return this.database.listen(WORK_CHANNEL, (payload) => wake(targetsOf(payload)));
  }

  detach(): void {
    this.local = undefined;
  }
}
