import { sql, type Kysely } from '@tributary/platform/db';
import { pagedRows, parseMtpCursor, type MtpAllocationSide } from '@tributary/contracts';
import type { ProcessingDb } from '../../db/schema.js';
import { recordTable, SHIPPABLE, shipmentTable } from '../../domain/materials.js';
import { allocationPage } from './reconcile.repository.js';

/**
 * Processing's side of a reconciliation run: Σ allocations per (request, shipment) in key order.
 *
 * On PostgreSQL it is one statement read through a cursor, a page at a time: the database
 * aggregates the allocations once, in one pass, in key order (`groupedAllocations`). Paging by key range
 * instead made every page join its rows to all of a material's bags again (a hash of every bag
 * per page: 20 times over for 100,000 shipments in pages of 5,000), which was most of a run's
 * time. The cursor's transaction is read-only and repeatable-read, so the whole side is one
 * snapshot. It holds one connection of the pool for the run, and the next page is fetched while
 * the caller works through the current one (two pages in memory at most).
 *
 * PGlite has one connection, which the cursor would hold while the report writes its
 * differences: there the side is read as key-range pages (`allocationPage`), as peers read it.
 */
export async function* allocationRows(db: Kysely<ProcessingDb>, pageSize: number): AsyncGenerator<MtpAllocationSide> {
  if (await isSingleConnection(db)) {
    yield* pagedRows((after) => allocationPage(db, parseMtpCursor(after), pageSize), { prefetch: true });
    return;
  }
  const handover = new Handover<MtpAllocationSide[]>();
  const producer = db
    .connection()
    .execute(async (connection) => {
      await sql`begin isolation level repeatable read read only`.execute(connection);
      try {
        // Planned for its first rows: the index-ordered plan starts at once, where the cheapest
        // plan in total (hash, then sort) returns nothing until it has read every allocation.
        await sql`set local cursor_tuple_fraction = 0.01`.execute(connection);
        await sql`declare mtp_allocations no scroll cursor for ${groupedAllocations()}`.execute(connection);
        for (;;) {
          // Rows come in the contract's shape (kg trimmed, counts as integers): no copy per row.
          const { rows } = await sql<MtpAllocationSide>`fetch forward ${sql.lit(pageSize)} from mtp_allocations`.execute(connection);
          if (!(await handover.put(rows))) break;
          if (rows.length < pageSize) break;
        }
      } finally {
        await sql`rollback`.execute(connection);
      }
    })
    .then(
      () => handover.end(),
      (error: unknown) => handover.fail(error),
    );
  try {
    for (;;) {
      const page = await handover.take();
      if (page === undefined) return;
      yield* page;
    }
  } finally {
    // The caller stopped early (an error on the orders side) or read to the end: either way the
    // producer stops, rolls back and gives its connection back before this returns.
    handover.cancel();
    await producer;
  }
}

/**
 * Σ per key in key order without a sort. The allocations alone stream from each material's
 * (request_code, shipment_code) index, merged and grouped as they come (what one GROUP BY over
 * the allocations does), so the first page is ready at once. Counting the dispatched bags
 * per row needs the bag's status, and a join to every bag hashes them all and loses the
 * index's order (the planner then hashed the groups, spilt them to disk and sorted 100,000 of
 * them before the first page). So the count is the bags less the allocations of bags not yet
 * DISPATCHED (status is NOT NULL), a set usually far smaller than the allocations, grouped
 * apart and merged in by key.
 */
function groupedAllocations() {
  const amounts = SHIPPABLE.map((material) => sql`select request_code, shipment_code, amount from ${sql.table(shipmentTable(material))}`);
  const waiting = SHIPPABLE.map(
    (material) => sql`
      select a.request_code, a.shipment_code
      from ${sql.table(shipmentTable(material))} a join ${sql.table(recordTable(material))} r on r.barcode = a.barcode
      where r.status <> 'DISPATCHED'`,
  );
  return sql`
    select g.request_code, g.shipment_code, trim_scale(g.allocated)::text as allocated_kg, g.bags::integer as bags,
           (g.bags - coalesce(w.bags, 0))::integer as dispatched_bags
    from (
      select request_code, shipment_code, sum(amount) as allocated, count(*) as bags
      from (${sql.join(amounts, sql` union all `)}) as allocation
      group by request_code, shipment_code) g
    left join (
      select request_code, shipment_code, count(*) as bags
      from (${sql.join(waiting, sql` union all `)}) as allocation
      group by request_code, shipment_code) w on w.request_code = g.request_code and w.shipment_code = g.shipment_code
    order by g.request_code, g.shipment_code`;
}

const singleConnection = new WeakMap<object, Promise<boolean>>();

/** PGlite (PostgreSQL compiled to WebAssembly, in this process) serves one connection at a time. */
function isSingleConnection(db: Kysely<ProcessingDb>): Promise<boolean> {
  let known = singleConnection.get(db);
  if (!known) {
    known = sql<{ version: string }>`select version() as version`.execute(db).then(({ rows }) => /wasm32/.test(rows[0]?.version ?? ''));
    singleConnection.set(db, known);
  }
  return known;
}

/** Hands pages from one producer to one consumer, one at a time; either side may stop. */
class Handover<T> {
  private item: T | undefined;
  private finished = false;
  private error: unknown;
  private failed = false;
  private cancelled = false;
  private wakeProducer: (() => void) | undefined;
  private wakeConsumer: (() => void) | undefined;

  /** Resolves once the consumer took the item (true), or at once when it has gone (false). */
  async put(item: T): Promise<boolean> {
    if (this.cancelled) return false;
    this.item = item;
    this.wakeConsumer?.();
    while (this.item !== undefined && !this.cancelled) await new Promise<void>((resolve) => (this.wakeProducer = resolve));
    return !this.cancelled;
  }

  /** The next item, or undefined after the producer ended. */
  async take(): Promise<T | undefined> {
    while (this.item === undefined && !this.finished) await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    if (this.item !== undefined) {
      const item = this.item;
      this.item = undefined;
      this.wakeProducer?.();
      return item;
    }
    if (this.failed) throw this.error;
    return undefined;
  }

  end(): void {
    this.finished = true;
    this.wakeConsumer?.();
  }

  fail(error: unknown): void {
    this.failed = true;
    this.error = error;
    this.end();
  }

  cancel(): void {
    this.cancelled = true;
    this.wakeProducer?.();
  }
}
