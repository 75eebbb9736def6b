import { sql, type Insertable, type Kysely } from 'kysely';
import type { Logger } from '@tributary/platform/core';
import type { ApiAuditLogsTable, GatewayDatabase } from '../../db/schema.js';

export type AuditRecord = Omit<Insertable<ApiAuditLogsTable>, 'query_params' | 'id'> & { query_params: Record<string, unknown> | null };

const COLUMNS = [
  'request_id', 'http_method', 'path', 'query_params', 'user_id', 'api_key_id', 'authentication_method', 'client_ip', 'user_agent',
  'referer', 'matched_route_id', 'service_name', 'upstream_url', 'status_code', 'response_size_bytes', 'response_time_ms', 'error_code',
  'decision', 'request_timestamp', 'response_timestamp', 'rate_limited', 'rate_limit_reason', 'cache_status',
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
  await sql`insert into api_audit_logs (${columns}) select ${columns} from json_populate_recordset(null::api_audit_logs, ${payload}::json)`.execute(db);
}

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
        await insertBatch(this.db, batch);
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
