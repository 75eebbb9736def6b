import { dec } from '@tributary/platform/core';
import { dbErrorKind, type Kysely } from '@tributary/platform/db';
import type { Static } from '@sinclair/typebox';
import { ErpError } from '../../errors.js';
import type { ErpDatabase } from '../../db/schema.js';
import { runCommand, type Actor, emit, type ErpDeps } from '../../shared/context.js';
import { daysBetween, isoDate, isoDateOrNull, plantDate } from '../../shared/dates.js';
import { newDoc, pageOf, selectPage, touched } from '../../shared/docs.js';
import { db6, show, showOrNull } from '../../shared/numbers.js';
import { alertLevel, canTransition, checkDates, checkQuality, defaultStatus, effectiveStatus, type QualityGrade } from './batch-rules.js';
import type { BatchListQuery, PatchBody, ReceiveBody } from './batches.schemas.js';
import { type BatchRow, lockBatch, recordMovement } from './ledger.js';

export function plantToday(deps: ErpDeps): string {
  return plantDate(deps.clock.now(), deps.config.PLANT_TIME_ZONE);
}

export function toBatchOut(row: BatchRow, deps: ErpDeps) {
  const today = plantToday(deps);
  const expiry = isoDate(row.expiry_date);
  const manufactured = isoDate(row.manufacturing_date);
  const alert = alertLevel(expiry, today, { critical: deps.config.EXPIRY_CRITICAL_DAYS, warning: deps.config.EXPIRY_WARNING_DAYS });
  return {
    name: row.name,
    batch_id: row.batch_id,
    item: row.item,
    item_name: row.item_name,
    warehouse: row.warehouse,
    manufacturing_date: manufactured,
    expiry_date: expiry,
    best_before_date: isoDateOrNull(row.best_before_date),
    shelf_life_days: daysBetween(manufactured, expiry),
    ...alert,
    quality_grade: row.quality_grade,
    status: effectiveStatus(row.status, expiry, today),
    stored_status: row.status,
    total_qty: show(row.total_qty),
    available_qty: show(row.available_qty),
    sold_qty: show(row.sold_qty),
    unit_cost: show(row.unit_cost),
    supplier: row.supplier,
    supplier_batch_id: row.supplier_batch_id,
    production_line: row.production_line,
    production_shift: row.production_shift,
    sugar_content_percentage: showOrNull(row.sugar_content_percentage),
    fat_content_percentage: showOrNull(row.fat_content_percentage),
    moisture_content_percentage: showOrNull(row.moisture_content_percentage),
    storage_temperature_min: showOrNull(row.storage_temperature_min),
    storage_temperature_max: showOrNull(row.storage_temperature_max),
    storage_humidity_max: showOrNull(row.storage_humidity_max),
    quality_tested: Number(row.quality_tested) === 1,
    quality_test_date: isoDateOrNull(row.quality_test_date),
    quality_notes: row.quality_notes,
    allergen_info: row.allergen_info,
    nutritional_info: row.nutritional_info ? (JSON.parse(row.nutritional_info) as unknown) : null,
    batch_notes: row.batch_notes,
    source_batch: row.source_batch,
    creation: row.creation.toISOString(),
    modified: row.modified.toISOString(),
  };
}
export type BatchOutT = ReturnType<typeof toBatchOut>;

async function itemOf(db: Kysely<ErpDatabase>, item: string) {
  const row = await db
    .selectFrom('tabItem')
    .select(['name', 'item_name', 'item_group', 'disabled'])
    .where('name', '=', item)
    .executeTakeFirst();
  if (!row) throw ErpError.ITEM_NOT_FOUND(`item ${item} does not exist`);
  return row;
}
async function checkWarehouse(db: Kysely<ErpDatabase>, warehouse: string) {
  const row = await db.selectFrom('tabWarehouse').select(['name', 'is_group']).where('name', '=', warehouse).executeTakeFirst();
  if (!row) throw ErpError.WAREHOUSE_NOT_FOUND(`warehouse ${warehouse} does not exist`);
  if (Number(row.is_group) === 1) throw ErpError.WAREHOUSE_NOT_FOUND(`warehouse ${warehouse} is a group, not a stock location`);
}

/** `{first 6 chars of the item code, upper case, no spaces}-{mfg YYYYMMDD}-{NNN}` as documented. */
async function autoBatchId(db: Kysely<ErpDatabase>, item: string, manufacturing: string, attempt: number): Promise<string> {
  const prefix = `${item.replace(/\s+/g, '').slice(0, 6).toUpperCase()}-${manufacturing.replace(/-/g, '')}-`;
  const row = await db
    .selectFrom('tabHD Batch Master')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('batch_id', 'like', `${prefix}%`)
    .executeTakeFirstOrThrow();
  return `${prefix}${String(Number(row.n) + 1 + attempt).padStart(3, '0')}`;
}

type Receive = Static<typeof ReceiveBody>;

/** Creates the batch master and its RECEIPT movement in one transaction. */
export async function receiveBatch(deps: ErpDeps, body: Receive, actor: Actor) {
  const today = plantToday(deps);
  checkDates(body.manufacturing_date, body.expiry_date, today, body.best_before_date);
  const item = await itemOf(deps.db, body.item);
  await checkWarehouse(deps.db, body.warehouse);
  checkQuality({ item_group: item.item_group, ...body });
  const grade = (body.quality_grade ?? 'A') as QualityGrade;
  const { qty, reference_doctype, reference_name, nutritional_info, quality_tested, batch_id, ...attributes } = body;
  for (let attempt = 0; ; attempt++) {
    const name = batch_id ?? (await autoBatchId(deps.db, body.item, body.manufacturing_date, attempt));
    const now = deps.clock.now();
    try {
      const out = await runCommand(deps, actor, async (trx) => {
        await trx
          .insertInto('tabHD Batch Master')
          .values({
            ...newDoc(name, now, actor.user),
            docstatus: 1,
            ...attributes,
            batch_id: name,
            item_name: item.item_name,
            quality_grade: grade,
            status: defaultStatus(grade, body.expiry_date, today),
            quality_tested: quality_tested ? 1 : 0,
            nutritional_info: nutritional_info ? JSON.stringify(nutritional_info) : null,
          })
          .execute();
        const batch = await lockBatch(trx, name);
        const movement = await recordMovement(
          trx,
          batch,
          {
            type: 'RECEIPT',
            change: dec(qty),
            reference_doctype: reference_doctype ?? null,
            reference_name: reference_name ?? null,
            to_warehouse: body.warehouse,
          },
          actor,
          now,
        );
        const created = toBatchOut(batch, deps);
        await emit(
          trx,
          { type: 'erp.batch.received', aggregateType: 'batch', aggregateId: name, payload: { batch: created, movement } },
          actor,
          now,
        );
        return created;
      });
      return out;
    } catch (error) {
      if (dbErrorKind(error) === 'unique') {
        if (batch_id !== undefined || attempt >= 5) throw ErpError.BATCH_EXISTS(`batch ${name} already exists`);
        continue;
      }
      throw error;
    }
  }
}

export async function getBatch(deps: ErpDeps, name: string) {
  const row = await deps.db.selectFrom('tabHD Batch Master').selectAll().where('name', '=', name).executeTakeFirst();
  if (!row) throw ErpError.BATCH_NOT_FOUND(`batch ${name} not found`);
  return toBatchOut(row, deps);
}

export async function listBatches(deps: ErpDeps, query: Static<typeof BatchListQuery>) {
  let select = deps.db.selectFrom('tabHD Batch Master').selectAll();
  if (query.item) select = select.where('item', '=', query.item);
  if (query.warehouse) select = select.where('warehouse', '=', query.warehouse);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.quality_grade) select = select.where('quality_grade', '=', query.quality_grade);
  if (query.expiring_within_days !== undefined) {
    const until = new Date(Date.parse(`${plantToday(deps)}T00:00:00Z`) + query.expiring_within_days * 86_400_000)
      .toISOString()
      .slice(0, 10);
    select = select.where('expiry_date', '<=', until);
  }
  const rows = await selectPage(select.orderBy('expiry_date').orderBy('name'), query);
  return pageOf(
    rows.map((row) => toBatchOut(row, deps)),
    query.limit,
    query.offset,
  );
}

export async function patchBatch(deps: ErpDeps, name: string, body: Static<typeof PatchBody>, actor: Actor) {
  const out = await runCommand(deps, actor, async (trx) => {
    const batch = await lockBatch(trx, name);
    const item = await itemOf(trx, batch.item);
    const merged = { ...toBatchOut(batch, deps), ...body };
    checkQuality({ item_group: item.item_group, ...merged });
    const { nutritional_info, quality_tested, ...rest } = body;
    const now = deps.clock.now();
    await trx
      .updateTable('tabHD Batch Master')
      .set({
        ...rest,
        ...(nutritional_info !== undefined ? { nutritional_info: JSON.stringify(nutritional_info) } : {}),
        ...(quality_tested !== undefined ? { quality_tested: quality_tested ? 1 : 0 } : {}),
        ...touched(now, actor.user),
      })
      .where('name', '=', name)
      .execute();
    return toBatchOut(await lockBatch(trx, name), deps);
  });
  return out;
}

export async function setBatchStatus(deps: ErpDeps, name: string, status: string, reason: string | undefined, actor: Actor) {
  const out = await runCommand(deps, actor, async (trx) => {
    const batch = await lockBatch(trx, name);
    const today = plantToday(deps);
    const current = effectiveStatus(batch.status, isoDate(batch.expiry_date), today);
    if (!canTransition(current, status)) throw ErpError.BATCH_STATUS_TRANSITION(`batch ${name} cannot go from ${current} to ${status}`);
    const now = deps.clock.now();
    await trx
      .updateTable('tabHD Batch Master')
      .set({ status, ...(reason ? { quality_notes: reason } : {}), ...touched(now, actor.user) })
      .where('name', '=', name)
      .execute();
    await emit(
      trx,
      {
        type: 'erp.batch.status_changed',
        aggregateType: 'batch',
        aggregateId: name,
        payload: { batch: name, from: current, to: status, reason: reason ?? null },
      },
      actor,
      now,
    );
    return toBatchOut(await lockBatch(trx, name), deps);
  });
  return out;
}

/** Further receipt into an existing batch (same lot arriving in parts). */
export async function receiveMore(
  deps: ErpDeps,
  name: string,
  input: { qty: string; reason?: string; reference_doctype?: string; reference_name?: string },
  actor: Actor,
) {
  const out = await runCommand(deps, actor, async (trx) => {
    const batch = await lockBatch(trx, name);
    const now = deps.clock.now();
    const movement = await recordMovement(
      trx,
      batch,
      {
        type: 'RECEIPT',
        change: dec(input.qty),
        reason: input.reason ?? null,
        reference_doctype: input.reference_doctype ?? null,
        reference_name: input.reference_name ?? null,
        to_warehouse: batch.warehouse,
      },
      actor,
      now,
    );
    await emit(
      trx,
      { type: 'erp.batch.received', aggregateType: 'batch', aggregateId: name, payload: { batch: toBatchOut(batch, deps), movement } },
      actor,
      now,
    );
    return movement;
  });
  return out;
}

export async function adjustBatch(deps: ErpDeps, name: string, input: { qty_change: string; reason: string }, actor: Actor) {
  const change = dec(input.qty_change);
  if (change.isZero()) throw ErpError.QUANTITY_INVALID('qty_change must not be zero');
  const out = await runCommand(deps, actor, async (trx) => {
    const batch = await lockBatch(trx, name);
    const now = deps.clock.now();
    const movement = await recordMovement(trx, batch, { type: 'ADJUSTMENT', change, reason: input.reason }, actor, now);
    if (change.isNegative()) {
      await trx
        .updateTable('tabHD Batch Master')
        .set({ damaged_qty: db6(dec(batch.damaged_qty).plus(change.negated())) })
        .where('name', '=', name)
        .execute();
    }
    await emit(
      trx,
      { type: 'erp.batch.adjusted', aggregateType: 'batch', aggregateId: name, payload: { movement, reason: input.reason } },
      actor,
      now,
    );
    return movement;
  });
  return out;
}

const REVERSIBLE = new Set(['RECEIPT', 'CONSUMPTION', 'ADJUSTMENT']);

/**
 * A reversal is a new movement with the opposite change; the original stays. Each movement can
 * be reversed once: the check below runs under the batch's row lock, which every movement of the
 * batch takes, so two reversals of one movement cannot both pass it (the partitioned ledger has
 * no unique key on reverses_movement, ADR 0309).
 */
export async function reverseMovement(deps: ErpDeps, movementName: string, reason: string, actor: Actor) {
  const out = await runCommand(deps, actor, async (trx) => {
    const original = await trx.selectFrom('tabHD Batch Movement').selectAll().where('name', '=', movementName).executeTakeFirst();
    if (!original) throw ErpError.MOVEMENT_NOT_FOUND(`movement ${movementName} not found`);
    if (!REVERSIBLE.has(original.movement_type)) {
      throw ErpError.MOVEMENT_NOT_REVERSIBLE(`${original.movement_type} movements are not reversed; record the opposite movement instead`);
    }
    const batch = await lockBatch(trx, original.batch_id);
    const already = await trx
      .selectFrom('tabHD Batch Movement')
      .select('name')
      .where('reverses_movement', '=', movementName)
      .executeTakeFirst();
    if (already) throw ErpError.MOVEMENT_ALREADY_REVERSED(`movement ${movementName} was already reversed by ${already.name}`);
    const now = deps.clock.now();
    const movement = await recordMovement(
      trx,
      batch,
      {
        type: 'REVERSAL',
        change: dec(original.qty_change).negated(),
        reason,
        reverses_movement: movementName,
        reference_doctype: original.reference_doctype,
        reference_name: original.reference_name,
      },
      actor,
      now,
    );
    if (original.movement_type === 'CONSUMPTION') {
      await trx
        .updateTable('tabHD Batch Master')
        .set({ sold_qty: db6(dec(batch.sold_qty).plus(original.qty_change)) })
        .where('name', '=', batch.name)
        .execute();
    }
    await emit(
      trx,
      {
        type: 'erp.batch.movement_reversed',
        aggregateType: 'batch',
        aggregateId: batch.name,
        payload: { reversed: movementName, movement, reason },
      },
      actor,
      now,
    );
    return movement;
  });
  return out;
}

export async function listMovements(deps: ErpDeps, batch: string, limit: number, offset: number) {
  const rows = await selectPage(deps.db.selectFrom('tabHD Batch Movement').selectAll().where('batch_id', '=', batch).orderBy('seq'), {
    limit,
    offset,
  });
  return pageOf(
    rows.map((m) => ({
      name: m.name,
      batch: m.batch_id,
      seq: Number(m.seq),
      movement_type: m.movement_type,
      movement_date: m.movement_date.toISOString(),
      qty_before: show(m.qty_before),
      qty_change: show(m.qty_change),
      qty_after: show(m.qty_after),
      reference_doctype: m.reference_doctype,
      reference_name: m.reference_name,
      from_warehouse: m.from_warehouse,
      to_warehouse: m.to_warehouse,
      reason: m.reason,
      operator: m.operator,
      reverses_movement: m.reverses_movement,
    })),
    limit,
    offset,
  );
}
