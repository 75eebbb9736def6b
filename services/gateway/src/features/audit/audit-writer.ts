import { sql, type Kysely } from 'kysely';
import type { Logger } from '@tributary/platform/core';
import type { GatewayDatabase } from '../../db/schema.js';
import type { AuditRecord } from './audit-record.js';
import { reducedRecord, sanitizeRecord } from './sanitize.js';

export type { AuditRecord };

const COLUMNS = [
  'request_id',
  'http_method',
  'path',
  'query_params',
  'user_id',
  'api_key_id',
  'authentication_method',
  'client_ip',
  'user_agent',
  'referer',
  'matched_route_id',
  'service_name',
  'upstream_url',
  'status_code',
  'response_size_bytes',
  'response_time_ms',
  'error_code',
  'decision',
  'request_timestamp',
  'response_timestamp',
  'rate_limited',
  'rate_limit_reason',
  'cache_status',
] as const;

/**
 * One JSON parameter for the whole batch, expanded by PostgreSQL: a multi-row VALUES list
 * would bind ~23 parameters per row, and encoding thousands of parameters per second is CPU
 * the gateway's single event loop needs for requests. JSON.stringify is native and the
 * expansion runs in the database process.
 */
async function insertBatch(db: Kysely<GatewayDatabase>, batch: AuditRecord[]): Promise<void> {
  const payload = JSON.stringify(batch);
  const columns = sql.raw(COLUMNS.join(', '));
  await sql`insert into api_audit_logs (${columns}) select ${columns} from json_populate_recordset(null::api_audit_logs, ${payload}::json)`.execute(
    db,
  );
}

/**
 * Collects one record per request and inserts them in batches off the request path. Every
 * record is sanitised on the way in (NUL, lone surrogates, widths), so one client's odd bytes
 * cannot fail a batch. If a batch fails anyway, its rows are inserted one by one, a row that
 * still fails is inserted reduced to its fixed fields, and rows that cannot be written now (the
 * database is down) go back to the buffer for the next flush. Only a buffer past its bound
 * drops the oldest rows (counted in `dropped` and the `gateway_audit_dropped_total` metric).
 */
export class AuditWriter {
  private buffer: AuditRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  dropped = 0;
  written = 0;
  /** Rows written one by one or reduced after their batch failed. */
  rescued = 0;

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
    this.buffer.push(sanitizeRecord(record));
    this.bound();
    if (this.buffer.length >= this.options.batchSize) void this.flush();
  }

  private bound(): void {
    const max = this.options.maxBuffered ?? 100_000;
    if (this.buffer.length > max) {
      const excess = this.buffer.length - max;
      this.buffer.splice(0, excess);
      this.dropped += excess;
      this.logger.error({ rows: excess }, 'audit buffer full; oldest rows dropped');
    }
  }

  /** Writes what is buffered; returns false when some rows had to go back (database unavailable). */
  async flush(): Promise<boolean> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return true;
    const batch = this.buffer.splice(0, this.options.batchSize);
    let retained: AuditRecord[] = [];
    this.flushing = (async () => {
      try {
        await insertBatch(this.db, batch);
        this.written += batch.length;
      } catch (error) {
        this.logger.error({ err: error, rows: batch.length }, 'audit batch insert failed; writing its rows one by one');
        retained = await this.rescue(batch);
      } finally {
        this.flushing = undefined;
      }
    })();
    await this.flushing;
    if (retained.length > 0) {
      // Oldest first, ahead of what arrived meanwhile; retried on the next flush.
      this.buffer.unshift(...retained);
      this.bound();
      return false;
    }
    if (this.buffer.length >= this.options.batchSize) return this.flush();
    return true;
  }

  /** One row at a time, so a bad row fails alone; returns the rows that could not be written. */
  private async rescue(batch: AuditRecord[]): Promise<AuditRecord[]> {
    const retained: AuditRecord[] = [];
    for (const [index, row] of batch.entries()) {
      try {
        await insertBatch(this.db, [row]);
      } catch {
        try {
          await insertBatch(this.db, [reducedRecord(row)]);
          this.logger.warn({ requestId: row.request_id }, 'audit row written reduced after it failed in full');
        } catch (error) {
          // Even the reduced row fails: the database is unavailable, keep the rest for later.
          this.logger.error({ err: error }, 'audit rows kept for the next flush');
          retained.push(...batch.slice(index));
          break;
        }
      }
      this.written++;
      this.rescued++;
    }
    return retained;
  }

  /** Flushes until empty; gives up (and counts the rest dropped) when the database stays down. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (let attempt = 0; attempt < 3 && (this.buffer.length > 0 || this.flushing); attempt++) {
      while (this.buffer.length > 0 && (await this.flush()));
      if (this.buffer.length === 0) return;
    }
    if (this.buffer.length > 0) {
      this.logger.error({ rows: this.buffer.length }, 'audit rows could not be written before shutdown');
      this.dropped += this.buffer.length;
      this.buffer = [];
    }
  }
}
