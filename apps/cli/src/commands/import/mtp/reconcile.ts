import { reconcileMtp, type MtpAllocationSide, type MtpDifference, type MtpShipmentSide } from '@tributary/contracts';
import { asDynamic, sql, type AnyDatabase } from '@tributary/platform/db';
import type { ImportCheck } from '../common/report.js';

const PAGE = 5000;

/**
 * The MTP reconciliation (the same comparator `tributary reconcile mtp` uses) over the two
 * imported databases directly: the services may not be running during a move.
 */
export async function reconcileImportedMtp(orders: AnyDatabase, processing: AnyDatabase): Promise<ImportCheck> {
  const differences: MtpDifference[] = [];
  const run = reconcileMtp(shipmentRows(orders), allocationRows(processing));
  for (;;) {
    const step = await run.next();
    if (step.done) {
      const summary = step.value;
      return {
        name: 'MTP reconciliation',
        ok: summary.differences === 0,
        detail: `${summary.shipments} shipments, ${summary.allocationGroups} allocation groups, ${summary.differences} differences`,
        data: { summary, differences: differences.slice(0, 100) },
      };
    }
    differences.push(step.value);
  }
}

async function* shipmentRows(orders: AnyDatabase): AsyncGenerator<MtpShipmentSide> {
  let after: [string, number] = ['0', 0];
  for (;;) {
    const { rows } = await sql<{ request_code: string; shipment_code: number; quantity_kg: string; status: string }>`
      select request_code::text as request_code, shipment_code, trim_scale(quantity::numeric / 1000)::text as quantity_kg, status
      from order_shipment where (request_code, shipment_code) > (${after[0]}::bigint, ${after[1]}::integer)
      order by request_code, shipment_code limit ${PAGE}`.execute(asDynamic(orders.db));
    yield* rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = [last.request_code, last.shipment_code];
  }
}

async function* allocationRows(processing: AnyDatabase): AsyncGenerator<MtpAllocationSide> {
  let after: [string, number] = ['0', 0];
  for (;;) {
    const { rows } = await sql<{
      request_code: string;
      shipment_code: number;
      allocated_kg: string;
      bags: number;
      dispatched_bags: number;
    }>`
      select request_code::text as request_code, shipment_code, trim_scale(sum(amount))::text as allocated_kg,
             count(*)::int as bags, count(*) filter (where status = 'DISPATCHED')::int as dispatched_bags
      from (select a.request_code, a.shipment_code, a.amount, r.status from tealine_allocate_shipment a join tealine_record r using (barcode)
            union all
            select a.request_code, a.shipment_code, a.amount, r.status from blendsheet_allocate_shipment a join blendsheet_record r using (barcode)
            union all
            select a.request_code, a.shipment_code, a.amount, r.status from flavorsheet_allocate_shipment a join flavorsheet_record r using (barcode)) s
      where (request_code, shipment_code) > (${after[0]}::bigint, ${after[1]}::integer)
      group by request_code, shipment_code order by request_code, shipment_code limit ${PAGE}`.execute(asDynamic(processing.db));
    yield* rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = [last.request_code, last.shipment_code];
  }
}
