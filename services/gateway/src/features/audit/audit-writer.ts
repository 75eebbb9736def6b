import type { Insertable, Kysely } from 'kysely';
import type { Logger } from '@tributary/platform/core';
import type { ApiAuditLogsTable, GatewayDatabase } from '../../db/schema.js';

export type AuditRecord = Insertable<ApiAuditLogsTable>;

/**
 * Collects one record per request and inserts them in batches off the request path. The
 * buffer is bounded: under a database outage the oldest records are dropped (and counted)
 * rather than growing memory until the process dies.
 */
export class AuditWriter {
  private buffer: AuditRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  dropped = 0;
  written = 0;

  constructor(
    private readonly db: Kysely<GatewayDatabase>,
    private readonly logger: Logger,
    private readonly options: { flushMs: number; batchSize: number; maxBuffered?: number },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  get pending(): number {
    return this.buffer.length;
  }

  push(record: AuditRecord): void {
    this.buffer.push(record);
    const max = this.options.maxBuffered ?? 100_000;
    if (this.buffer.length > max) {
      const excess = this.buffer.length - max;
      this.buffer.splice(0, excess);
      this.dropped += excess;
    }
    if (this.buffer.length >= this.options.batchSize) void this.flush();
  }

  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    const batch = this.buffer.splice(0, this.options.batchSize);
    this.flushing = (async () => {
      try {
        await this.db.insertInto('api_audit_logs').values(batch).execute();
        this.written += batch.length;
      } catch (error) {
        // Put them back once; a second failure of the same rows drops them.
        this.logger.error({ err: error, rows: batch.length }, 'audit batch insert failed');
        this.dropped += batch.length;
      } finally {
        this.flushing = undefined;
      }
    })();
    await this.flushing;
    if (this.buffer.length >= this.options.batchSize) await this.flush();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    while (this.buffer.length > 0 || this.flushing) await this.flush();
  }
}
