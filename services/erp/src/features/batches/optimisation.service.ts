import { Decimal, dec } from '@tributary/platform/core';
import { ErpError } from '../../errors.js';
import { runCommand, type Actor, emit, type ErpDeps } from '../../shared/context.js';
import { addDays, plantDate, startOfLocalDay } from '../../shared/dates.js';
import { generatedName, newDoc, pageOf, selectPage, touched } from '../../shared/docs.js';
import { db6, show } from '../../shared/numbers.js';
import { plantToday } from './batches.service.js';

/**
 * Reorder parameters from movement history (formula in the README):
 *   daily demand d_i = consumption on plant day i (reversed consumptions subtracted), i over the
 *   last N days including days without any; d̄ = Σd_i / N; σ = sample standard deviation;
 *   f = seasonal factor; L = lead time days; z = standard normal quantile of the service level;
 *   safety_stock = z · σ · f · √L; reorder_level = d̄ · f · L + safety_stock;
 *   reorder_qty = EOQ = √(2 · D · S / H) with D = d̄ · f · 365, S = ordering cost,
 *   H = unit cost · holding % / 100, or d̄ · f · 30 (a month of demand) when S or H is zero;
 *   max_stock_level = reorder_level + reorder_qty. Quantities round up to 3 decimals.
 */
export function normalQuantile(p: number): number {
  // Acklam's rational approximation (|error| < 1.2e-9), plenty for a service level.
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

export interface DemandInputs {
  daily: Decimal[];
  lead_time_days: number;
  service_level_target: string;
  seasonal_factor: string;
  ordering_cost: string;
  holding_cost_percentage: string;
  unit_cost: string;
}

const up3 = (d: Decimal) => d.toDecimalPlaces(3, Decimal.ROUND_UP);

export function reorderParameters(input: DemandInputs) {
  const n = input.daily.length;
  const mean = input.daily.reduce((s, d) => s.plus(d), dec(0)).dividedBy(n);
  const variance = n > 1 ? input.daily.reduce((s, d) => s.plus(d.minus(mean).pow(2)), dec(0)).dividedBy(n - 1) : dec(0);
  const sigma = variance.sqrt();
  const f = dec(input.seasonal_factor);
  const z = dec(normalQuantile(Number(input.service_level_target) / 100).toFixed(4));
  const L = dec(input.lead_time_days);
  const demand = mean.times(f);
  const safety = up3(z.times(sigma).times(f).times(L.sqrt()));
  const reorderLevel = up3(demand.times(L).plus(safety));
  const holding = dec(input.unit_cost).times(input.holding_cost_percentage).dividedBy(100);
  const useEoq = dec(input.ordering_cost).gt(0) && holding.gt(0) && demand.gt(0);
  const reorderQty = up3(useEoq ? demand.times(365).times(2).times(input.ordering_cost).dividedBy(holding).sqrt() : demand.times(30));
  return {
    avg_daily_consumption: mean,
    demand_std_dev: sigma,
    z,
    safety_stock: safety,
    reorder_level: reorderLevel,
    reorder_qty: reorderQty,
    max_stock_level: reorderLevel.plus(reorderQty),
    reorder_qty_method: useEoq ? 'EOQ' : 'one month of demand',
  };
}

export async function optimise(
  deps: ErpDeps,
  input: {
    item: string;
    warehouse: string;
    lookback_days?: number;
    lead_time_days?: number;
    service_level_target?: string;
    ordering_cost?: string;
    holding_cost_percentage?: string;
    seasonal_factor?: string;
  },
  actor: Actor,
) {
  const item = await deps.db.selectFrom('tabItem').select('name').where('name', '=', input.item).executeTakeFirst();
  if (!item) throw ErpError.ITEM_NOT_FOUND(`item ${input.item} not found`);
  const warehouse = await deps.db.selectFrom('tabWarehouse').select('name').where('name', '=', input.warehouse).executeTakeFirst();
  if (!warehouse) throw ErpError.WAREHOUSE_NOT_FOUND(`warehouse ${input.warehouse} not found`);
  const existing = await deps.db
    .selectFrom('tabHD Item Warehouse Optimization')
    .selectAll()
    .where('item_code', '=', input.item)
    .where('warehouse', '=', input.warehouse)
    .executeTakeFirst();
  const tz = deps.config.PLANT_TIME_ZONE;
  const days = input.lookback_days ?? existing?.lookback_days ?? 90;
  const today = plantToday(deps);
  const firstDay = addDays(today, -days);
  const since = new Date(startOfLocalDay(firstDay, tz));
  const until = new Date(startOfLocalDay(today, tz));
  // Consumption in the window; a reversal of a consumption gives the quantity back.
  const movements = await deps.db
    .selectFrom('tabHD Batch Movement as m')
    .leftJoin('tabHD Batch Movement as o', 'o.name', 'm.reverses_movement')
    .select(['m.movement_date', 'm.qty_change', 'm.movement_type', 'o.movement_type as reversed_type'])
    .where('m.item_code', '=', input.item)
    .where('m.warehouse', '=', input.warehouse)
    .where('m.movement_date', '>=', since)
    .where('m.movement_date', '<', until)
    .where('m.movement_type', 'in', ['CONSUMPTION', 'REVERSAL'])
    .execute();
  const perDay = new Map<string, Decimal>();
  for (const m of movements) {
    if (m.movement_type === 'REVERSAL' && m.reversed_type !== 'CONSUMPTION') continue;
    const day = plantDate(m.movement_date.getTime(), tz);
    perDay.set(day, (perDay.get(day) ?? dec(0)).minus(m.qty_change));
  }
  const daily = Array.from({ length: days }, (_, i) => perDay.get(addDays(firstDay, i)) ?? dec(0));
  const cost = await deps.db
    .selectFrom('tabHD Batch Master')
    .select((eb) => eb.fn.avg<string>('unit_cost').as('avg'))
    .where('item', '=', input.item)
    .where('warehouse', '=', input.warehouse)
    .executeTakeFirst();
  const settings = {
    lead_time_days: input.lead_time_days ?? existing?.lead_time_days ?? 7,
    service_level_target: input.service_level_target ?? existing?.service_level_target ?? '95',
    seasonal_factor: input.seasonal_factor ?? existing?.seasonal_factor ?? '1',
    ordering_cost: input.ordering_cost ?? existing?.ordering_cost ?? '0',
    holding_cost_percentage: input.holding_cost_percentage ?? existing?.holding_cost_percentage ?? '15',
  };
  const result = reorderParameters({
    daily,
    ...settings,
    lead_time_days: Number(settings.lead_time_days),
    unit_cost: cost?.avg ? String(cost.avg) : '0',
  });
  const now = deps.clock.now();
  const values = {
    item_code: input.item,
    warehouse: input.warehouse,
    lookback_days: days,
    lead_time_days: Number(settings.lead_time_days),
    service_level_target: db6(settings.service_level_target),
    seasonal_factor: db6(settings.seasonal_factor),
    ordering_cost: db6(settings.ordering_cost),
    holding_cost_percentage: db6(settings.holding_cost_percentage),
    avg_daily_consumption: db6(result.avg_daily_consumption),
    demand_std_dev: db6(result.demand_std_dev),
    safety_stock: db6(result.safety_stock),
    reorder_level: db6(result.reorder_level),
    reorder_qty: db6(result.reorder_qty),
    max_stock_level: db6(result.max_stock_level),
    computed_at: new Date(now),
  };
  const name = existing?.name ?? generatedName('HD-IWO');
  const out = {
    name,
    ...values,
    lead_time_days: values.lead_time_days,
    avg_daily_consumption: show(result.avg_daily_consumption),
    demand_std_dev: show(result.demand_std_dev),
    seasonal_factor: show(settings.seasonal_factor),
    service_level_target: show(settings.service_level_target),
    z: result.z.toFixed(4),
    safety_stock: show(result.safety_stock),
    reorder_level: show(result.reorder_level),
    reorder_qty: show(result.reorder_qty),
    max_stock_level: show(result.max_stock_level),
    reorder_qty_method: result.reorder_qty_method,
    computed_at: new Date(now).toISOString(),
  };
  await runCommand(deps, actor, async (trx) => {
    if (existing)
      await trx
        .updateTable('tabHD Item Warehouse Optimization')
        .set({ ...values, ...touched(now, actor.user) })
        .where('name', '=', name)
        .execute();
    else
      await trx
        .insertInto('tabHD Item Warehouse Optimization')
        .values({ ...newDoc(name, now, actor.user), ...values })
        .execute();
    await emit(
      trx,
      {
        type: 'erp.stock.optimisation_updated',
        aggregateType: 'item_warehouse',
        aggregateId: `${input.item}::${input.warehouse}`,
        payload: out,
      },
      actor,
      now,
    );
  });
  return out;
}

export async function listOptimisation(deps: ErpDeps, query: { item?: string; warehouse?: string; limit: number; offset: number }) {
  let select = deps.db.selectFrom('tabHD Item Warehouse Optimization').selectAll();
  if (query.item) select = select.where('item_code', '=', query.item);
  if (query.warehouse) select = select.where('warehouse', '=', query.warehouse);
  const rows = await selectPage(select.orderBy('item_code').orderBy('warehouse'), query);
  return pageOf(
    rows.map((row) => ({
      name: row.name,
      item_code: row.item_code,
      warehouse: row.warehouse,
      lookback_days: Number(row.lookback_days),
      lead_time_days: Number(row.lead_time_days),
      avg_daily_consumption: show(row.avg_daily_consumption),
      demand_std_dev: show(row.demand_std_dev),
      seasonal_factor: show(row.seasonal_factor),
      service_level_target: show(row.service_level_target),
      z: normalQuantile(Number(row.service_level_target) / 100).toFixed(4),
      safety_stock: show(row.safety_stock),
      reorder_level: show(row.reorder_level),
      reorder_qty: show(row.reorder_qty),
      max_stock_level: show(row.max_stock_level),
      reorder_qty_method: dec(row.ordering_cost).gt(0) ? 'EOQ' : 'one month of demand',
      computed_at: row.computed_at ? row.computed_at.toISOString() : null,
    })),
    query.limit,
    query.offset,
  );
}
