import type { Optimisation } from '../../api/erp-batches';
import { formatPlantTime } from '../../lib/format';

/**
 * The figures with the inputs that gave them, in the order the erp computes them
 * (optimisation.service): demand from the movement history, then safety stock, then the
 * reorder point and quantity. Numbers are the server's; nothing is recomputed here.
 */
export function ReorderExplained({ row }: { row: Optimisation }) {
  const f = row.seasonal_factor;
  const L = row.lead_time_days;
  return (
    <section className="panel" aria-labelledby="reorder-explained-title">
      <h3 id="reorder-explained-title">
        How {row.item_code} in {row.warehouse} was worked out
      </h3>
      <p className="muted">Computed {row.computed_at ? formatPlantTime(row.computed_at) : 'never'} (Colombo time).</p>
      <dl className="gatepass-facts">
        <dt>Daily demand (d̄)</dt>
        <dd>
          {row.avg_daily_consumption} units a day: consumption over the last {row.lookback_days} plant days, days without any counted as 0,
          reversed consumptions taken off
        </dd>
        <dt>Day-to-day variation (σ)</dt>
        <dd>{row.demand_std_dev} units (sample standard deviation of those days)</dd>
        <dt>Seasonal factor (f)</dt>
        <dd>{f}</dd>
        <dt>Lead time (L)</dt>
        <dd>{L} days</dd>
        <dt>Service level</dt>
        <dd>
          {row.service_level_target}%: z = {row.z}, the number of standard deviations covered
        </dd>
        <dt>Safety stock</dt>
        <dd>
          z × σ × f × √L = {row.z} × {row.demand_std_dev} × {f} × √{L} = <strong>{row.safety_stock}</strong>
        </dd>
        <dt>Reorder point</dt>
        <dd>
          d̄ × f × L + safety stock = {row.avg_daily_consumption} × {f} × {L} + {row.safety_stock} = <strong>{row.reorder_level}</strong>
        </dd>
        <dt>Reorder quantity</dt>
        <dd>
          <strong>{row.reorder_qty}</strong> by{' '}
          {row.reorder_qty_method === 'EOQ'
            ? 'economic order quantity, √(2 × yearly demand × ordering cost ÷ holding cost a unit)'
            : 'one month of demand (d̄ × f × 30), as ordering or holding cost is 0'}
        </dd>
        <dt>Most to hold</dt>
        <dd>
          reorder point + reorder quantity = <strong>{row.max_stock_level}</strong>
        </dd>
      </dl>
      <p className="muted">Quantities round up to 3 decimals.</p>
    </section>
  );
}
