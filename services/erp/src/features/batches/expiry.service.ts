import { dec } from '@tributary/platform/core';
import { runCommand, type Actor, emit, type ErpDeps } from '../../shared/context.js';
import { addDays, isoDate } from '../../shared/dates.js';
import { touched } from '../../shared/docs.js';
import { show } from '../../shared/numbers.js';
import { alertLevel, type AlertThresholds } from './batch-rules.js';
import { plantToday } from './batches.service.js';

function thresholdsOf(deps: ErpDeps, query: { critical_days?: number; warning_days?: number }): AlertThresholds {
  const critical = query.critical_days ?? deps.config.EXPIRY_CRITICAL_DAYS;
  const warning = Math.max(query.warning_days ?? deps.config.EXPIRY_WARNING_DAYS, critical);
  return { critical, warning };
}

/** Batches with stock that expire within the window, soonest first, then by the value at risk. */
export async function expiringBatches(
  deps: ErpDeps,
  query: { within_days?: number; item?: string; warehouse?: string; critical_days?: number; warning_days?: number },
) {
  const thresholds = thresholdsOf(deps, query);
  const today = plantToday(deps);
  let select = deps.db
    .selectFrom('tabHD Batch Master')
    .select(['name', 'item', 'warehouse', 'expiry_date', 'available_qty', 'unit_cost', 'status'])
    .where('status', 'in', ['Active', 'Quarantine', 'Expired'])
    .where('available_qty', '>', '0')
    .where('expiry_date', '<=', addDays(today, query.within_days ?? thresholds.warning));
  if (query.item) select = select.where('item', '=', query.item);
  if (query.warehouse) select = select.where('warehouse', '=', query.warehouse);
  const rows = await select.orderBy('expiry_date').orderBy('name').limit(5000).execute();
  return rows
    .map((row) => {
      const expiry = isoDate(row.expiry_date);
      const alert = alertLevel(expiry, today, thresholds);
      return {
        name: row.name,
        item: row.item,
        warehouse: row.warehouse,
        expiry_date: expiry,
        ...alert,
        available_qty: show(row.available_qty),
        potential_loss_value: show(dec(row.available_qty).times(row.unit_cost)),
        status: alert.alert_level === 'Expired' ? 'Expired' : row.status,
      };
    })
    .sort(
      (a, b) =>
        a.days_to_expiry - b.days_to_expiry ||
        dec(b.potential_loss_value).comparedTo(a.potential_loss_value) ||
        a.name.localeCompare(b.name),
    );
}

/** Batches with stock, not yet expired, that expire within `days` (the expiry alert's gauge). */
export async function countBatchesExpiringWithin(deps: ErpDeps, days: number): Promise<number> {
  const today = plantToday(deps);
  const row = await deps.db
    .selectFrom('tabHD Batch Master')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', 'in', ['Active', 'Quarantine'])
    .where('available_qty', '>', '0')
    .where('expiry_date', '>', today)
    .where('expiry_date', '<=', addDays(today, days))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * The scanner: every batch whose alert level changed since the last scan gets one
 * `erp.batch.expiring` event (so a daily run does not repeat itself), and stock that has
 * expired is marked Expired so nothing can pick it.
 */
export async function scanExpiry(deps: ErpDeps, actor: Actor) {
  const batches = await expiringBatches(deps, {});
  const alerted: { batch: string; alert_level: string; days_to_expiry: number }[] = [];
  let expired = 0;
  for (const batch of batches) {
    const changed = await runCommand(deps, actor, async (trx) => {
      const row = await trx
        .selectFrom('tabHD Batch Master')
        .select(['last_alert_level', 'status'])
        .where('name', '=', batch.name)
        .forUpdate()
        .executeTakeFirst();
      if (!row || row.last_alert_level === batch.alert_level) return false;
      const now = deps.clock.now();
      const expire = batch.alert_level === 'Expired' && (row.status === 'Active' || row.status === 'Quarantine');
      await trx
        .updateTable('tabHD Batch Master')
        .set({
          last_alert_level: batch.alert_level,
          ...(expire ? { status: 'Expired', expired_qty: batch.available_qty } : {}),
          ...touched(now, actor.user),
        })
        .where('name', '=', batch.name)
        .execute();
      await emit(trx, { type: 'erp.batch.expiring', aggregateType: 'batch', aggregateId: batch.name, payload: batch }, actor, now);
      if (expire) {
        await emit(
          trx,
          {
            type: 'erp.batch.status_changed',
            aggregateType: 'batch',
            aggregateId: batch.name,
            payload: { batch: batch.name, from: row.status, to: 'Expired', reason: 'expiry scan' },
          },
          actor,
          now,
        );
      }
      if (expire) expired += 1;
      return true;
    });
    if (changed) alerted.push({ batch: batch.name, alert_level: batch.alert_level, days_to_expiry: batch.days_to_expiry });
  }
  return { scanned: batches.length, alerted, marked_expired: expired };
}
