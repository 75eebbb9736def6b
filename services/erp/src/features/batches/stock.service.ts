import { Decimal, dec } from '@tributary/platform/core';
import { type Kysely } from '@tributary/platform/db';
import { ErpError } from '../../errors.js';
import type { ErpDatabase } from '../../db/schema.js';
import { runCommand, type Actor, emit, type ErpDeps } from '../../shared/context.js';
import { generatedName, newDoc } from '../../shared/docs.js';
import { show } from '../../shared/numbers.js';
import { drawFromBatch, lockBatch, recordMovement } from './ledger.js';
import { allocate, candidatesFor, type PickResult, type PickStrategy, usableBatchesFor } from './picking.js';
import { plantToday } from './batches.service.js';

export interface StockLine {
  item: string;
  warehouse: string;
  qty: string;
  batches?: string[];
}
export interface LinePlan extends PickResult {
  line: number;
  item: string;
  warehouse: string;
  requested: string;
}

/**
 * Plans every line with the shared picking order: one query fetches (and, when consuming,
 * locks) the usable batches of every line; stock promised to an earlier line of the same
 * request is not offered again to a later one.
 */
export async function planLines(
  db: Kysely<ErpDatabase>,
  deps: ErpDeps,
  lines: StockLine[],
  strategy: PickStrategy,
  options: { lock: boolean; min_shelf_life_days?: number },
): Promise<LinePlan[]> {
  const today = plantToday(deps);
  const promised = new Map<string, Decimal>();
  const plans: LinePlan[] = new Array(lines.length);
  const all = await usableBatchesFor(
    db,
    deps,
    lines,
    { today, ...(options.min_shelf_life_days !== undefined ? { min_shelf_life_days: options.min_shelf_life_days } : {}) },
    strategy,
    options.lock,
  );
  for (const [index, line] of lines.entries()) {
    // A line naming batches gets only those, still under the usability rules.
    const named = line.batches ? new Set(line.batches) : undefined;
    const candidates = candidatesFor(all, line.item, line.warehouse).filter((c) => !named || named.has(c.name));
    const remaining = candidates.map((c) => ({
      ...c,
      available_qty: dec(c.available_qty)
        .minus(promised.get(c.name) ?? 0)
        .toFixed(),
    }));
    const result = allocate(remaining, line.qty);
    for (const a of result.allocations) promised.set(a.batch, (promised.get(a.batch) ?? dec(0)).plus(a.qty));
    plans[index] = { line: index, item: line.item, warehouse: line.warehouse, requested: show(line.qty), ...result };
  }
  return plans;
}

export async function pick(deps: ErpDeps, input: { lines: StockLine[]; strategy?: PickStrategy; min_shelf_life_days?: number }) {
  const strategy = input.strategy ?? 'FEFO';
  const lines = await planLines(deps.db, deps, input.lines, strategy, {
    lock: false,
    ...(input.min_shelf_life_days !== undefined ? { min_shelf_life_days: input.min_shelf_life_days } : {}),
  });
  return { strategy, lines, fully_allocated: lines.every((l) => dec(l.shortage).isZero()) };
}

export function refuseShortage(lines: LinePlan[]): void {
  const short = lines.filter((l) => !dec(l.shortage).isZero());
  if (short.length > 0) {
    throw ErpError.INSUFFICIENT_STOCK(`not enough usable stock for ${short.length} line(s)`, {
      details: {
        lines: short.map((l) => ({
          line: l.line,
          item: l.item,
          warehouse: l.warehouse,
          requested: l.requested,
          available: l.total_allocated,
          shortage: l.shortage,
        })),
      },
    });
  }
}

/** Consumes stock for a sale or production: one plan under row locks, then one CONSUMPTION movement per allocation. */
export async function consume(
  deps: ErpDeps,
  input: {
    lines: StockLine[];
    strategy?: PickStrategy;
    min_shelf_life_days?: number;
    reference_doctype?: string;
    reference_name?: string;
    allow_partial?: boolean;
  },
  actor: Actor,
) {
  const strategy = input.strategy ?? 'FEFO';
  const out = await runCommand(deps, actor, async (trx) => {
    const lines = await planLines(trx, deps, input.lines, strategy, {
      lock: true,
      ...(input.min_shelf_life_days !== undefined ? { min_shelf_life_days: input.min_shelf_life_days } : {}),
    });
    if (!input.allow_partial) refuseShortage(lines);
    const now = deps.clock.now();
    const movements = [];
    for (const line of lines) {
      for (const allocation of line.allocations) {
        const reference = { doctype: input.reference_doctype ?? null, name: input.reference_name ?? null };
        const { batch, movement } = await drawFromBatch(trx, 'CONSUMPTION', allocation, reference, actor, now);
        movements.push({ name: movement.name, batch: movement.batch, qty_change: movement.qty_change, qty_after: movement.qty_after });
        await emit(
          trx,
          {
            type: 'erp.batch.consumed',
            aggregateType: 'batch',
            aggregateId: batch.name,
            payload: {
              movement,
              item: batch.item,
              warehouse: batch.warehouse,
              reference_doctype: input.reference_doctype ?? null,
              reference_name: input.reference_name ?? null,
            },
          },
          actor,
          now,
        );
      }
    }
    return { strategy, lines, fully_allocated: lines.every((l) => dec(l.shortage).isZero()), movements };
  });
  return out;
}

/** Moves stock between warehouses by the picking order (or from named batches); the receiving side gets a sibling batch. */
export async function transfer(
  deps: ErpDeps,
  input: {
    item: string;
    from_warehouse: string;
    to_warehouse: string;
    qty: string;
    strategy?: PickStrategy;
    batches?: string[];
    reason?: string;
  },
  actor: Actor,
) {
  if (input.from_warehouse === input.to_warehouse) throw ErpError.QUANTITY_INVALID('from_warehouse and to_warehouse must differ');
  const target = await deps.db
    .selectFrom('tabWarehouse')
    .select(['name', 'is_group'])
    .where('name', '=', input.to_warehouse)
    .executeTakeFirst();
  if (!target || Number(target.is_group) === 1)
    throw ErpError.WAREHOUSE_NOT_FOUND(`warehouse ${input.to_warehouse} is not a stock location`);
  const strategy = input.strategy ?? 'FEFO';
  const out = await runCommand(deps, actor, async (trx) => {
    const [plan] = await planLines(
      trx,
      deps,
      [{ item: input.item, warehouse: input.from_warehouse, qty: input.qty, ...(input.batches ? { batches: input.batches } : {}) }],
      strategy,
      { lock: true },
    );
    refuseShortage([plan!]);
    const now = deps.clock.now();
    const transferId = generatedName('HD-BTR');
    const moves = [];
    for (const allocation of plan!.allocations) {
      const source = await lockBatch(trx, allocation.batch);
      const root = source.source_batch ?? source.name;
      // The root's copy in the target warehouse: a batch split from the root there, or the root itself.
      const inTarget = (key: 'source_batch' | 'name') =>
        trx
          .selectFrom('tabHD Batch Master')
          .select('name')
          .where(key, '=', root)
          .where('warehouse', '=', input.to_warehouse)
          .forUpdate()
          .executeTakeFirst();
      let sibling = await inTarget('source_batch');
      if (!sibling && root !== source.name) sibling = await inTarget('name');
      let siblingName = sibling?.name;
      if (!siblingName) {
        const count = await trx
          .selectFrom('tabHD Batch Master')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('source_batch', '=', root)
          .executeTakeFirstOrThrow();
        siblingName = `${root.slice(0, 44)}-W${Number(count.n) + 1}`;
        const { name: _n, creation: _c, modified: _m, owner: _o, modified_by: _mb, docstatus: _d, idx: _i, ...attributes } = source;
        await trx
          .insertInto('tabHD Batch Master')
          .values({
            ...attributes,
            ...newDoc(siblingName, now, actor.user),
            docstatus: 1,
            batch_id: siblingName,
            warehouse: input.to_warehouse,
            source_batch: root,
            total_qty: '0',
            available_qty: '0',
            sold_qty: '0',
            damaged_qty: '0',
            expired_qty: '0',
            reserved_qty: '0',
            movement_seq: 0,
            last_alert_level: null,
            status: source.status === 'Consumed' ? 'Active' : source.status,
          } as never)
          .execute();
      }
      const receiving = await lockBatch(trx, siblingName);
      const change = dec(allocation.qty);
      // The two legs of one transfer differ only in the batch and the sign of the change.
      const leg = (batch: typeof source, type: 'TRANSFER_OUT' | 'TRANSFER_IN', legChange: typeof change) =>
        recordMovement(
          trx,
          batch,
          {
            type,
            change: legChange,
            from_warehouse: input.from_warehouse,
            to_warehouse: input.to_warehouse,
            reference_doctype: 'HD Batch Transfer',
            reference_name: transferId,
            reason: input.reason ?? null,
          },
          actor,
          now,
        );
      const outMove = await leg(source, 'TRANSFER_OUT', change.negated());
      const inMove = await leg(receiving, 'TRANSFER_IN', change);
      moves.push({
        from_batch: source.name,
        to_batch: receiving.name,
        qty: show(change),
        out_movement: outMove.name,
        in_movement: inMove.name,
      });
    }
    await emit(
      trx,
      {
        type: 'erp.batch.transferred',
        aggregateType: 'stock_transfer',
        aggregateId: transferId,
        payload: { transfer: transferId, item: input.item, from_warehouse: input.from_warehouse, to_warehouse: input.to_warehouse, moves },
      },
      actor,
      now,
    );
    return {
      transfer: transferId,
      item: input.item,
      from_warehouse: input.from_warehouse,
      to_warehouse: input.to_warehouse,
      qty: show(input.qty),
      moves,
    };
  });
  return out;
}
