import { sql, type Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';
import type { MtpAllocationSide } from '@tributary/contracts';
import { compareMtpKeys, type MtpAllocationPage } from '@tributary/contracts';
import { recordTable, SHIPPABLE, shipmentTable, type Material } from '../../domain/materials.js';

type Key = { request_code: string; shipment_code: number };

/**
 * One page of Σ allocations per (request, shipment) across every shippable material, after the
 * cursor, in key order. A GROUP BY over the union with LIMIT would aggregate everything after
 * the cursor on every page (quadratic over a run). Instead each material's table gives the
 * `limit`-th distinct key after the cursor from its (request_code, shipment_code) index; the
 * smallest of those bounds the page, so the grouped query reads only the page's own rows. A page
 * holds between `limit` and (materials × limit) groups; `next` is null once no table had a full page.
 */
export async function allocationPage(db: Kysely<ProcessingDb>, after: Key | undefined, limit: number): Promise<MtpAllocationPage> {
  const from: Key = after ?? { request_code: '0', shipment_code: 0 };
  let upper: Key | undefined;
  for (const material of SHIPPABLE) {
    const { rows } = await sql<{ request_code: string; shipment_code: number; n: string }>`
      select request_code, shipment_code, count(*) over () as n from (
        select distinct request_code, shipment_code from ${sql.table(shipmentTable(material))}
        where (request_code, shipment_code) > (${from.request_code}::bigint, ${from.shipment_code}::integer)
        order by request_code, shipment_code limit ${limit}) k
      order by request_code desc, shipment_code desc limit 1`.execute(db);
    if (!rows[0] || Number(rows[0].n) < limit) continue;
    const key = { request_code: String(rows[0].request_code), shipment_code: Number(rows[0].shipment_code) };
    if (!upper || compareMtpKeys(key, upper) < 0) upper = key;
  }
  const bound = upper;
  const parts = SHIPPABLE.map(
    (material) => sql`
      select a.request_code, a.shipment_code, a.amount, case when r.status = 'DISPATCHED' then 1 else 0 end as dispatched
      from ${sql.table(shipmentTable(material))} a join ${sql.table(recordTable(material))} r on r.barcode = a.barcode
      where (a.request_code, a.shipment_code) > (${from.request_code}::bigint, ${from.shipment_code}::integer)
      ${bound ? sql`and (a.request_code, a.shipment_code) <= (${bound.request_code}::bigint, ${bound.shipment_code}::integer)` : sql``}`,
  );
  const { rows } = await sql<{ request_code: string; shipment_code: number; allocated: string; bags: string; dispatched: string }>`
    select request_code, shipment_code, sum(amount) as allocated, count(*) as bags, sum(dispatched) as dispatched
    from (${sql.join(parts, sql` union all `)}) as allocation
    group by request_code, shipment_code
    order by request_code, shipment_code`.execute(db);
  const page: MtpAllocationSide[] = rows.map((row) => ({
    request_code: String(row.request_code),
    shipment_code: Number(row.shipment_code),
    allocated_kg: trimKg(String(row.allocated)),
    bags: Number(row.bags),
    dispatched_bags: Number(row.dispatched),
  }));
  return { rows: page, next: bound ? `${bound.request_code}:${bound.shipment_code}` : null };
}

const trimKg = (value: string) => (value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value);

export interface BagConsumption {
  barcode: string;
  net_kg: string;
  consumed_kg: string;
}

/**
 * One page of a material's bags in barcode order with what their allocations consume (parcels
 * excluded, as the allocation rule counts it: `<material>_consumed`). The caller keeps the
 * over-consumed ones; `next` is the last barcode read, or null after the last page.
 */
export async function bagConsumptionPage(
  db: Kysely<ProcessingDb>,
  material: Material,
  after: string | undefined,
  limit: number,
): Promise<{ rows: BagConsumption[]; next: string | null }> {
  const { rows } = await sql<{ barcode: string; net: string; consumed: string }>`
    select r.barcode, r.gross_weight - r.bag_weight as net, ${sql.raw(`${material}_consumed`)}(r.barcode) as consumed
    from ${sql.table(recordTable(material))} r
    where r.barcode > ${after ?? '00000000-0000-0000-0000-000000000000'}::uuid
    order by r.barcode
    limit ${limit}`.execute(db);
  const page = rows.map((row) => ({ barcode: String(row.barcode), net_kg: String(row.net), consumed_kg: String(row.consumed) }));
  return { rows: page, next: page.length === limit ? page.at(-1)!.barcode : null };
}
