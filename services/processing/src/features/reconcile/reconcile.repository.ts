import { sql, type Kysely } from '@tributary/platform/db';
import type { MtpAllocationSide } from '@tributary/contracts';
import { recordTable, SHIPPABLE, shipmentTable } from '../../domain/materials.js';

/**
 * One page of Σ allocations per (request, shipment) across every shippable material, after the
 * cursor, in key order. Each allocation table has an index on (request_code, shipment_code), so
 * a page reads only its own rows (keyset, no OFFSET).
 */
export async function allocationPage(db: Kysely<any>, after: { request_code: string; shipment_code: number } | undefined, limit: number): Promise<MtpAllocationSide[]> {
  const afterRequest = after?.request_code ?? '0';
  const afterShipment = after?.shipment_code ?? 0;
  const parts = SHIPPABLE.map(
    (material) => sql`
      select a.request_code, a.shipment_code, a.amount, case when r.status = 'DISPATCHED' then 1 else 0 end as dispatched
      from ${sql.table(shipmentTable(material))} a join ${sql.table(recordTable(material))} r on r.barcode = a.barcode
      where (a.request_code, a.shipment_code) > (${afterRequest}::bigint, ${afterShipment}::integer)`,
  );
  const { rows } = await sql<{ request_code: string; shipment_code: number; allocated: string; bags: string; dispatched: string }>`
    select request_code, shipment_code, sum(amount) as allocated, count(*) as bags, sum(dispatched) as dispatched
    from (${sql.join(parts, sql` union all `)}) as allocation
    group by request_code, shipment_code
    order by request_code, shipment_code
    limit ${limit}`.execute(db);
  return rows.map((row) => ({
    request_code: String(row.request_code),
    shipment_code: Number(row.shipment_code),
    allocated_kg: trimKg(String(row.allocated)),
    bags: Number(row.bags),
    dispatched_bags: Number(row.dispatched),
  }));
}

const trimKg = (value: string) => (value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value);
