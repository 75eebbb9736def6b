import { randomBytes } from 'node:crypto';
import type { Logger } from '@tributary/platform/core';
import { sleep } from '@tributary/platform/resilience';
import { GatewayError } from '../../errors.js';
import type { PipelineCounts, PipelineFeedSource, PipelineSources } from './pipeline.repository.js';

export interface PipelineSnapshot {
  /** The SSE event id: changes exactly when the counts do, and never repeats across restarts. */
  id: string;
  counts: PipelineCounts;
  /** When these counts were read, epoch ms. */
  at: number;
}

export interface PipelineSubscriber {
  send(snapshot: PipelineSnapshot): void;
  /** The feed is shutting down: end the stream. */
  close(): void;
}

interface Run {
  abort: AbortController;
  /** The first snapshot, read after both feeds' cursors were placed, so no change falls between. */
  ready: Promise<void>;
  loops: Promise<unknown>;
}

/** Longest a follower holds one outbox long-poll; the service answers at once when it commits events. */
const WAIT_MS = 25_000;
const PAGE = 1000;
const RETRY_MS = 1_000;

const same = (a: PipelineCounts, b: PipelineCounts) => (Object.keys(a) as Array<keyof PipelineCounts>).every((key) => a[key] === b[key]);

/**
 * The live pipeline counts for every open dashboard of this replica. While anyone watches, it
 * follows the orders and processing outbox feeds (long-polls that each service wakes when it
 * commits events) and re-reads the counts after each batch of events; a snapshot goes out only
 * when a count changed. With no one watching it polls nothing. See ADR 0703.
 */
export class PipelineFeed {
  private readonly subscribers = new Set<PipelineSubscriber>();
  private readonly epoch = randomBytes(6).toString('hex');
  private version = 0;
  private current: PipelineSnapshot | undefined;
  private run: Run | undefined;
  private refreshing: Promise<void> | undefined;
  private dirty = false;
  /** Subscribers waiting for the first snapshot: the run must not go idle under them. */
  private starting = 0;
  private stopped = false;

  constructor(
    private readonly sources: PipelineSources,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** Adds a subscriber and resolves with the counts it starts from; rejects when they cannot be read. */
  async subscribe(subscriber: PipelineSubscriber): Promise<{ snapshot: PipelineSnapshot; unsubscribe(): void }> {
    if (this.stopped) throw GatewayError.UPSTREAM_UNAVAILABLE('The gateway is shutting down');
    const run = (this.run ??= this.start());
    this.starting++;
    try {
      await run.ready;
    } finally {
      this.starting--;
    }
    if (this.stopped || this.run !== run) throw GatewayError.UPSTREAM_UNAVAILABLE('The gateway is shutting down');
    // Added in the same turn as the snapshot is read: every later change reaches it, none twice.
    this.subscribers.add(subscriber);
    const unsubscribe = () => {
      this.subscribers.delete(subscriber);
      void this.idle();
    };
    return { snapshot: this.current!, unsubscribe };
  }

  /** Ends every open stream and waits for the followers to let go of their long-polls. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const subscriber of [...this.subscribers]) subscriber.close();
    this.subscribers.clear();
    await this.idle();
    await this.sources.close();
  }

  get watching(): number {
    return this.subscribers.size;
  }

  private start(): Run {
    const abort = new AbortController();
    const cursors = Promise.all(this.sources.feeds.map((feed) => this.tail(feed, abort.signal)));
    const ready = cursors.then(async () => {
      this.publish(await this.sources.counts(abort.signal));
    });
    // A failed start is the subscribers' error (503); the next subscriber starts afresh.
    ready.catch(() => {
      abort.abort();
      if (this.run?.abort === abort) this.run = undefined;
    });
    const loops = cursors.then(
      (afters) => Promise.all(this.sources.feeds.map((feed, index) => this.follow(feed, afters[index]!, abort.signal))),
      () => undefined,
    );
    return { abort, ready: ready.catch((error) => Promise.reject(unavailable(error))), loops };
  }

  /** Nobody is watching (or shutting down): stop following until someone subscribes again. */
  private async idle(): Promise<void> {
    const run = this.run;
    if (!run || this.subscribers.size > 0 || (this.starting > 0 && !this.stopped)) return;
    this.run = undefined;
    this.current = undefined;
    run.abort.abort();
    await run.loops;
    await this.refreshing;
  }

  /** The feed's end as it is now: events already there are reflected in the first snapshot. */
  private async tail(feed: PipelineFeedSource, signal: AbortSignal): Promise<string> {
    let after = '0';
    for (;;) {
      const page = await feed.read(after, { limit: PAGE, waitMs: 0 }, signal);
      after = page.next;
      if (!page.hasMore && page.events.length < PAGE) return after;
    }
  }

  private async follow(feed: PipelineFeedSource, after: string, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        const page = await feed.read(after, { limit: PAGE, waitMs: WAIT_MS }, signal);
        after = page.next;
        if (page.events.length > 0) this.refreshSoon(signal);
      } catch (error) {
        if (signal.aborted) return;
        this.logger.warn({ err: error, feed: feed.name }, 'pipeline dashboard: outbox feed unavailable, trying again');
        await sleep(RETRY_MS, signal).catch(() => undefined);
      }
    }
  }

  /** One re-read at a time; events arriving meanwhile cause exactly one more. */
  private refreshSoon(signal: AbortSignal): void {
    if (this.refreshing) {
      this.dirty = true;
      return;
    }
    this.refreshing = (async () => {
      do {
        this.dirty = false;
        try {
          this.publish(await this.sources.counts(signal));
        } catch (error) {
          if (!signal.aborted) this.logger.warn({ err: error }, 'pipeline dashboard: counts unavailable, keeping the last ones');
        }
      } while (this.dirty && !signal.aborted);
    })().finally(() => {
      this.refreshing = undefined;
    });
  }

  private publish(counts: PipelineCounts): void {
    if (this.current && same(this.current.counts, counts)) return;
    this.current = { id: `${this.epoch}.${++this.version}`, counts, at: this.now() };
    for (const subscriber of this.subscribers) subscriber.send(this.current);
  }
}

function unavailable(error: unknown): Error {
  return GatewayError.UPSTREAM_UNAVAILABLE('The pipeline counts cannot be read right now', { cause: error });
}
