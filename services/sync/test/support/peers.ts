import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { EventEnvelope, SYNC_FORCE_HEADER, SYNC_VERSION_CONFLICT } from '@tributary/contracts';
import { AppError, silentLogger, unavailable } from '@tributary/platform/core';
import type { Database } from '@tributary/platform/db';
import { inTransaction } from '@tributary/platform/db';
import { createHttpApp, type HttpApp } from '@tributary/platform/http';
import { migrateToLatest } from '@tributary/platform/migrate';
import {
  applyOnce,
  OutboxNotifier,
  outboxMigrations,
  registerOutboxRoute,
  writeEvents,
  type OutboxEventInput,
} from '@tributary/platform/outbox';
import { testAuth } from '@tributary/platform/testing';

/** A Tributary-like source service: its own database, an outbox, the kernel's signed feed. */
export class SourceService {
  readonly notifier = new OutboxNotifier();
  url = '';
  private constructor(
    readonly database: Database,
    readonly app: HttpApp,
  ) {}

  static async start(database: Database): Promise<SourceService> {
    await migrateToLatest(database, outboxMigrations);
    const app = await createHttpApp({ name: 'source', logger: silentLogger(), auth: testAuth() });
    const source = new SourceService(database, app);
    registerOutboxRoute(app, { db: database.db, wake: source.notifier.wait });
    source.url = await app.listen({ host: '127.0.0.1', port: 0 });
    return source;
  }

  async write(events: OutboxEventInput[]): Promise<string[]> {
    const ids = await inTransaction(this.database.db, (trx) => writeEvents(trx, events));
    this.notifier.notify();
    return ids;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

export type TargetMode = 'up' | 'down';

/**
 * A consumer as every Tributary service writes one: `POST /internal/events`, applied with
 * applyOnce in the same transaction as the change. It keeps a versioned copy per aggregate,
 * answers 409 SYNC_VERSION_CONFLICT when it holds a newer version, and logs every apply so
 * tests can check "exactly once" and order.
 */
export class TargetService {
  url = '';
  mode: TargetMode = 'up';
  /** Per-request pause, to catch a worker mid-batch. */
  delayMs = 0;
  /** Aggregates whose events are refused with 503 (for dead letters). */
  readonly failing = new Set<string>();
  received = 0;
  readonly forced: string[] = [];

  private constructor(
    readonly database: Database,
    readonly app: HttpApp,
  ) {}

  static async start(database: Database): Promise<TargetService> {
    await migrateToLatest(database, outboxMigrations);
    await sql`create table if not exists entity (aggregate_id varchar(200) primary key, version integer not null, data jsonb not null)`.execute(
      database.db,
    );
    await sql`create table if not exists applied (id bigserial primary key, event_id varchar(64) not null, aggregate_id varchar(200) not null, n integer, forced boolean not null)`.execute(
      database.db,
    );
    const app = await createHttpApp({ name: 'target', logger: silentLogger(), auth: testAuth() });
    const target = new TargetService(database, app);
    app.post(
      '/internal/events',
      { schema: { body: EventEnvelope, response: { 200: Type.Object({ status: Type.String() }) } } },
      async (request) => {
        target.received += 1;
        if (target.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, target.delayMs));
        const envelope = request.body as EventEnvelope;
        if (target.mode === 'down' || target.failing.has(envelope.aggregateId)) throw unavailable('TARGET_DOWN', 'Target is down');
        const force = request.headers[SYNC_FORCE_HEADER] === 'true';
        if (force) target.forced.push(envelope.id);
        return inTransaction(database.db, async (trx) => {
          // Already applied: a redelivery, whatever versions say now.
          const seen = await trx.selectFrom('inbox').select('event_id').where('event_id', '=', envelope.id).executeTakeFirst();
          if (seen) return { status: 'duplicate' };
          const current = (await trx
            .selectFrom('entity' as any)
            .selectAll()
            .where('aggregate_id', '=', envelope.aggregateId)
            .forUpdate()
            .executeTakeFirst()) as { version: number; data: unknown } | undefined;
          const sourceVersion = envelope.sourceVersion === undefined ? undefined : Number(envelope.sourceVersion);
          if (current && sourceVersion !== undefined && current.version > sourceVersion && !force) {
            throw new AppError('conflict', SYNC_VERSION_CONFLICT, 'Target holds a newer version', {
              details: { targetVersion: String(current.version), targetData: current.data },
            });
          }
          const result = await applyOnce(
            trx,
            envelope.id,
            async () => {
              const payload = (envelope.payload ?? {}) as { n?: number };
              await trx
                .insertInto('applied' as any)
                .values({
                  event_id: envelope.id,
                  aggregate_id: envelope.aggregateId,
                  n: typeof payload.n === 'number' ? payload.n : null,
                  forced: force,
                })
                .execute();
              const version = Math.max(current?.version ?? 0, sourceVersion ?? 0) + (force ? 1 : 0);
              await sql`insert into entity (aggregate_id, version, data) values (${envelope.aggregateId}, ${version}, ${JSON.stringify(envelope.payload ?? null)}::jsonb)
                    on conflict (aggregate_id) do update set version = excluded.version, data = excluded.data`.execute(trx);
            },
            { source: envelope.source },
          );
          return { status: result.applied ? 'applied' : 'duplicate' };
        });
      },
    );
    target.url = await app.listen({ host: '127.0.0.1', port: 0 });
    return target;
  }

  async seedEntity(aggregateId: string, version: number, data: unknown): Promise<void> {
    await sql`insert into entity (aggregate_id, version, data) values (${aggregateId}, ${version}, ${JSON.stringify(data)}::jsonb)
              on conflict (aggregate_id) do update set version = excluded.version, data = excluded.data`.execute(this.database.db);
  }

  async entity(aggregateId: string): Promise<{ version: number; data: any } | undefined> {
    const rows = await sql<{ version: number; data: any }>`select version, data from entity where aggregate_id = ${aggregateId}`.execute(
      this.database.db,
    );
    return rows.rows[0];
  }

  async applied(): Promise<{ event_id: string; aggregate_id: string; n: number | null; forced: boolean }[]> {
    const rows = await sql<{
      event_id: string;
      aggregate_id: string;
      n: number | null;
      forced: boolean;
    }>`select event_id, aggregate_id, n, forced from applied order by id`.execute(this.database.db);
    return rows.rows;
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/**
 * An external system's webhook endpoint: with a secret, verifies the Standard Webhooks signature
 * with the `standardwebhooks` package (a plain secret as `whsec_` + its base64, the documented
 * mapping of secrets stored before the scheme), and keeps what it got.
 */
export class WebhookReceiver {
  url = '';
  readonly received: { headers: Record<string, string | string[] | undefined>; body: any; signatureValid: boolean | undefined }[] = [];
  private server: import('node:http').Server | undefined;

  constructor(private readonly secret?: string) {}

  async start(): Promise<this> {
    const { createServer } = await import('node:http');
    const { Webhook } = await import('standardwebhooks');
    const key =
      this.secret === undefined || this.secret.startsWith('whsec_') ? this.secret : `whsec_${Buffer.from(this.secret).toString('base64')}`;
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks);
        const signatureValid = key === undefined ? undefined : verifies(new Webhook(key), raw.toString('utf8'), request.headers);
        this.received.push({ headers: request.headers, body: JSON.parse(raw.toString('utf8')), signatureValid });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"applied"}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as import('node:net').AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

function verifies(
  webhook: import('standardwebhooks').Webhook,
  raw: string,
  headers: Record<string, string | string[] | undefined>,
): boolean {
  try {
    webhook.verify(raw, {
      'webhook-id': String(headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(headers['webhook-signature'] ?? ''),
    });
    return true;
  } catch {
    return false;
  }
}
