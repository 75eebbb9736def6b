import type { Kysely } from 'kysely';
import type { EventEnvelope } from '@tributary/contracts';
import { readEventMetadata, traceIdOf } from '@tributary/platform/command';
import type { Clock, Logger } from '@tributary/platform/core';
import { childTraceparent, parseTraceparent } from '@tributary/platform/http';
import { inSpan, SpanKind } from '@tributary/platform/tracing';
import type { SyncDatabase } from '../../db/schema.js';
import type { ConflictDeps } from '../conflicts/conflicts.service.js';
import { handleDetectedConflict } from '../conflicts/conflicts.service.js';
import type { SyncMetrics } from '../metrics/prometheus.js';
import type { RouteCache } from '../routing/route-cache.js';
import { claim, complete, fail, releaseExpiredLeases, targetsWithWork, type ClaimedDelivery, type Completion } from '../queue/index.js';
import { routeOfDelivery, type Route } from '../routing/routes.js';
import { channelTargetOf } from '../routing/channel-target.js';
import { missingRequiredFields, transformPayload } from '../routing/transform.js';
import { retryDelayMs } from './backoff.js';
import type { DeliveryOutcome, Targets } from './targets.js';

export interface WorkerOptions {
  workerId: string;
  concurrency: number;
  targetConcurrency: number;
  leaseMs: number;
  pollIntervalMs: number;
  retryCapMs: number;
}

export interface WorkerDeps {
  db: Kysely<SyncDatabase>;
  clock: Clock;
  routes: RouteCache;
  targets: Targets;
  conflicts: ConflictDeps;
  logger: Logger;
  metrics?: SyncMetrics;
  /** Told of each settled attempt (the real-time channel announces completions, dead letters and conflicts). */
  onOutcome?: (outcome: DeliveryNotice) => void;
}

export interface DeliveryNotice {
  eventId: string;
  eventName: string;
  source: string;
  target: string;
  entityType: string;
  entityId: string;
  outcome: 'delivered' | 'conflict' | 'retry' | 'failed';
  message?: string;
}

/**
 * Claims runnable deliveries (SKIP LOCKED, leased), sends each to its target, and records the
 * outcome. Completions are written in batches by one flusher, so the database sees one
 * statement per burst rather than one per delivery. Any number of workers, in any number of
 * processes, may run: claims never overlap, and a dead worker's claims come back when their
 * lease ends (the target's idempotency makes that redelivery harmless).
 */
export class DeliveryWorker {
  private stopped = false;
  private crashed = false;
  private running: Promise<void> | undefined;
  private readonly inFlight = new Map<string, number>();
  private total = 0;
  private wakeUp: (() => void) | undefined;
  private pendingWake = false;
  private readonly completions: Completion[] = [];
  private flushing: Promise<void> | undefined;
  private readonly tasks = new Set<Promise<void>>();
  private knownTargets: string[] = [];
  private targetsRefreshedAt = 0;
  private leasesCheckedAt = 0;

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** New work may be there (captured here, or a delivery finished and unblocked its aggregate). */
  wake = (): void => {
    this.pendingWake = true;
    this.wakeUp?.();
  };

  /**
   * New work for these targets, captured by another process: a target this worker has not seen
   * yet (its configuration cached here before it existed) is claimed from at once all the same.
   */
  wakeFor = (targets: readonly string[]): void => {
    for (const target of targets) if (!this.knownTargets.includes(target)) this.knownTargets = [...this.knownTargets, target];
    this.wake();
  };

  /** Finishes in-flight deliveries and records them, then stops claiming. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
    await Promise.allSettled([...this.tasks]);
    await this.flush();
    await this.deps.targets.close();
  }

  /**
   * Stops as a killed process would: nothing more is written, claims stay leased until they
   * expire. For fault tests of lease recovery.
   */
  async crash(): Promise<void> {
    this.crashed = true;
    this.stopped = true;
    this.wake();
    await this.running;
    await this.deps.targets.close().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      this.pendingWake = false;
      let claimed = 0;
      try {
        claimed = await this.claimRound();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'claiming deliveries failed');
      }
      if (this.stopped) break;
      if (claimed === 0 && !this.pendingWake) await this.idle(this.options.pollIntervalMs);
      else if (this.total >= this.options.concurrency) await this.idle(this.options.pollIntervalMs);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = undefined;
        done();
      };
    });
  }

  private async claimRound(): Promise<number> {
    // Workers also take back expired claims, so recovery does not depend on a maintenance role.
    if (Date.now() - this.leasesCheckedAt > Math.min(1000, this.options.leaseMs / 2)) {
      this.leasesCheckedAt = Date.now();
      await releaseExpiredLeases(this.deps.db, new Date(this.deps.clock.now()));
    }
    const routes = await this.deps.routes.all();
    const targets = await this.targetList(routes);
    let claimed = 0;
    for (const target of targets) {
      const limit = this.limitFor(target, routes);
      const busy = this.inFlight.get(target) ?? 0;
      const free = Math.min(this.options.concurrency - this.total, limit - busy);
      if (free <= 0) continue;
      // Under load, claim in batches (a quarter of the limit) rather than one row per freed slot:
      // each claim is a committed write, and the commits, not the rows, are what cost.
      if (busy > 0 && free < Math.max(1, Math.floor(limit / 4))) continue;
      const now = this.deps.clock.now();
      const rows = await claim(this.deps.db, {
        target,
        limit: free,
        workerId: this.options.workerId,
        now: new Date(now),
        leaseUntil: new Date(now + this.options.leaseMs),
      });
      claimed += rows.length;
      for (const row of rows) this.dispatch(row, routes);
    }
    return claimed;
  }

  private async targetList(routes: Route[]): Promise<string[]> {
    const now = Date.now();
    if (now - this.targetsRefreshedAt > 5000) {
      this.knownTargets = await targetsWithWork(this.deps.db);
      this.targetsRefreshedAt = now;
    }
    const fromRoutes = routes.filter((route) => route.isActive).map((route) => route.targetSystem);
    return [...new Set([...fromRoutes, ...this.knownTargets])];
  }

  private limitFor(target: string, routes: Route[]): number {
    const limits = routes
      .filter((route) => route.targetSystem === target && route.spec.concurrency !== undefined)
      .map((route) => route.spec.concurrency!);
    return limits.length > 0 ? Math.min(...limits) : this.options.targetConcurrency;
  }

  private dispatch(row: ClaimedDelivery, routes: Route[]): void {
    const target = row.target_system;
    this.inFlight.set(target, (this.inFlight.get(target) ?? 0) + 1);
    this.total += 1;
    const task = this.deliver(row, routes)
      .catch((error: unknown) =>
        this.deps.logger.error(
          { err: error, syncId: row.sync_id },
          'delivery bookkeeping failed; the lease will expire and it will be retried',
        ),
      )
      .finally(() => {
        this.inFlight.set(target, (this.inFlight.get(target) ?? 1) - 1);
        this.total -= 1;
        this.tasks.delete(task);
        this.wake();
      });
    this.tasks.add(task);
  }

  private async deliver(row: ClaimedDelivery, routes: Route[]): Promise<void> {
    const route = routeOfDelivery(row, routes);
    const started = this.deps.clock.now();
    const payload = row.force_apply ? row.transformed_data : transformPayload(row.source_data, route?.spec ?? {});
    const missing = row.force_apply ? [] : missingRequiredFields(payload, route?.validationRules ?? null);
    let outcome: DeliveryOutcome;
    if (missing.length > 0) {
      outcome = {
        kind: 'permanent',
        message: `Required fields missing: ${missing.join(', ')}`,
        details: { code: 'SYNC_VALIDATION_FAILED', missing },
      };
    } else {
      const envelope: EventEnvelope = {
        id: row.event_id,
        source: row.source_system,
        ...(row.source_sequence !== null ? { sequence: String(row.source_sequence) } : {}),
        aggregateType: row.entity_type,
        aggregateId: row.entity_id,
        type: row.event_name,
        payload,
        createdAt: row.event_created_at.getTime(),
        ...(row.source_version !== null ? { sourceVersion: row.source_version } : {}),
      };
      const meta = (row.sync_metadata ?? {}) as { conflictId?: string; resolution?: string; event?: unknown };
      const metadata = readEventMetadata(meta.event);
      if (metadata) envelope.metadata = metadata;
      // Each delivery is a new span of the event's trace, so the target's logs join the source's:
      // the exported delivery span when sync traces, otherwise an id for the logs alone.
      const handOver = (traceparent: string) => {
        const correlation = { requestId: metadata?.requestId ?? row.event_id, traceparent };
        this.deps.logger.debug(
          {
            traceId: traceIdOf(correlation.traceparent),
            spanId: parseTraceparent(correlation.traceparent)?.parentId,
            requestId: correlation.requestId,
            eventId: row.event_id,
            target: row.target_system,
          },
          'delivering event',
        );
        return this.deps.targets.deliver(row.target_system, route?.spec.target ?? channelTargetOf(row.target_system), {
          envelope,
          correlation,
          idempotencyKey: row.resolution_round === 0 ? row.event_id : `${row.event_id}:r${row.resolution_round}`,
          force: row.force_apply,
          ...(row.force_apply && meta.resolution ? { resolution: meta.resolution } : {}),
          ...(row.force_apply && meta.conflictId ? { conflictId: meta.conflictId } : {}),
        });
      };
      outcome = await inSpan(
        `deliver ${row.event_name}`,
        {
          kind: SpanKind.CONSUMER,
          attributes: { 'messaging.operation.type': 'process', 'messaging.destination.name': row.target_system },
          ...(metadata?.traceparent !== undefined ? { parent: metadata.traceparent } : {}),
        },
        (active) => handOver(active?.traceparent ?? childTraceparent(metadata?.traceparent)),
      );
    }
    if (this.crashed) return;
    const finished = this.deps.clock.now();
    const durationMs = finished - started;
    this.deps.metrics?.delivered(
      row.target_system,
      outcome.kind,
      durationMs,
      outcome.kind === 'delivered' ? finished - row.event_created_at.getTime() : undefined,
    );
    const notice = {
      eventId: row.event_id,
      eventName: row.event_name,
      source: row.source_system,
      target: row.target_system,
      entityType: row.entity_type,
      entityId: row.entity_id,
    };
    switch (outcome.kind) {
      case 'delivered':
        this.completions.push({
          id: row.id,
          round: row.resolution_round,
          durationMs,
          completedAt: new Date(finished),
          ack: outcome.ack,
          transformed: row.force_apply || payload === row.source_data ? null : JSON.stringify(payload ?? null),
        });
        await this.flush();
        this.deps.onOutcome?.({ ...notice, outcome: 'delivered' });
        return;
      case 'conflict':
        await handleDetectedConflict(this.deps.conflicts, {
          syncStatusId: row.id,
          round: row.resolution_round,
          eventId: row.event_id,
          eventName: row.event_name,
          entityType: row.entity_type,
          entityId: row.entity_id,
          sourceValue: payload,
          sourceVersion: row.source_version,
          targetVersion: outcome.targetVersion,
          targetData: outcome.targetData,
          policy: row.force_apply ? { strategy: 'manual' } : route?.spec.conflict,
        });
        this.deps.onOutcome?.({ ...notice, outcome: 'conflict' });
        return;
      default: {
        const exhausted = row.retry_count + 1 > row.max_retries;
        const parked = outcome.kind === 'permanent' || (outcome.kind === 'retryable' && (exhausted || route?.failFast === true));
        const delay =
          outcome.kind === 'deferred'
            ? outcome.retryAfterMs
            : retryDelayMs(row.retry_count, {
                baseMs: row.retry_delay_ms,
                factor: Number(row.backoff_factor),
                capMs: this.options.retryCapMs,
              });
        await fail(this.deps.db, {
          id: row.id,
          round: row.resolution_round,
          outcome: parked ? 'failed' : outcome.kind === 'deferred' ? 'deferred' : 'retry',
          countsAsAttempt: outcome.kind !== 'deferred',
          nextRetryAt: new Date(finished + delay),
          message: outcome.message,
          details: outcome.kind === 'deferred' ? { retryAfterMs: outcome.retryAfterMs } : outcome.details,
          durationMs,
          now: new Date(finished),
        });
        if (outcome.kind !== 'deferred')
          this.deps.onOutcome?.({ ...notice, outcome: parked ? 'failed' : 'retry', message: outcome.message });
      }
    }
  }

  /** One flusher at a time; whatever queued meanwhile goes in the next statement. */
  private async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.completions.length === 0 || this.crashed) return;
    const batch = this.completions.splice(0, this.completions.length);
    this.flushing = complete(this.deps.db, batch)
      .then(() => undefined)
      .catch((error: unknown) => {
        this.deps.logger.error(
          { err: error, count: batch.length },
          'recording completions failed; leases will expire and the target will deduplicate',
        );
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
  }
}
