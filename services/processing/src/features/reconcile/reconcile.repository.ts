import { sql, type Kysely } from '@tributary/platform/db';
import type { ProcessingDb } from '../../db/schema.js';
import type { MtpAllocationSide } from '@tributary/contracts';
import { mtpCursor, type MtpAllocationPage } from '@tributary/contracts';
import { recordTable, SHIPPABLE, shipmentTable, type Material } from '../../domain/materials.js';

type Key = { request_code: string; shipment_code: number };

/**
 * One page of Σ allocations per (request, shipment) across every shippable material, after the
 * cursor, in key order, in one statement. A GROUP BY over the union with LIMIT would aggregate
 * everything after the cursor on every page (quadratic over a run). Instead each material's
 * table lists its first `limit` distinct keys after the cursor from its (request_code,
 * shipment_code) index; the first `limit` keys of their union are the page's keys, and the
 * largest of them bounds the grouped read, so it reads only the page's own rows. A page holds
 * at most `limit` groups; `next` is null once fewer than `limit` keys were left. One statement
 * rather than one per material and then the read: under load every round trip waits for the
 * CPU, and a run makes one per page.
 */
export async function allocationPage(db: Kysely<ProcessingDb>, after: Key | undefined, limit: number): Promise<MtpAllocationPage> {
  const from: Key = after ?? { request_code: '0', shipment_code: 0 };
  const afterCursor = (alias: string) =>
    sql`(${sql.ref(`${alias}.request_code`)}, ${sql.ref(`${alias}.shipment_code`)}) > (${from.request_code}::bigint, ${from.shipment_code}::integer)`;
  const firstKeys = SHIPPABLE.map(
    (material) => sql`(select distinct k.request_code, k.shipment_code from ${sql.table(shipmentTable(material))} k
      where ${afterCursor('k')} order by k.request_code, k.shipment_code limit ${limit})`,
  );
  const rowsOf = SHIPPABLE.map(
    (material) => sql`
      select a.request_code, a.shipment_code, a.amount, case when r.status = 'DISPATCHED' then 1 else 0 end as dispatched
      from ${sql.table(shipmentTable(material))} a join ${sql.table(recordTable(material))} r on r.barcode = a.barcode
      where ${afterCursor('a')}
        and (a.request_code, a.shipment_code) <= (select b.request_code, b.shipment_code from bound b)`,
  );
  const { rows } = await sql<{
    request_code: string;
    shipment_code: number;
    allocated: string;
    bags: string;
    dispatched: string;
    keys: string;
  }>`
    with page_keys as (
      select u.request_code, u.shipment_code from (${sql.join(firstKeys, sql` union `)}) u
      order by u.request_code, u.shipment_code limit ${limit}),
    bound as (
      select p.request_code, p.shipment_code, (select count(*) from page_keys) as keys from page_keys p
      order by p.request_code desc, p.shipment_code desc limit 1)
    select g.request_code, g.shipment_code, g.allocated, g.bags, g.dispatched, (select b.keys from bound b) as keys from (
      select request_code, shipment_code, sum(amount) as allocated, count(*) as bags, sum(dispatched) as dispatched
      from (${sql.join(rowsOf, sql` union all `)}) as allocation
      group by request_code, shipment_code) g
    order by g.request_code, g.shipment_code`.execute(db);
  const page: MtpAllocationSide[] = rows.map((row) => ({
    request_code: String(row.request_code),
    shipment_code: Number(row.shipment_code),
    allocated_kg: trimKg(String(row.allocated)),
    bags: Number(row.bags),
    dispatched_bags: Number(row.dispatched),
  }));
  const full = rows.length > 0 && Number(rows[0]!.keys) >= limit;
  return { rows: page, next: full ? mtpCursor(page.at(-1)!) : null };
}

export const trimKg = (value: string) => (value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value);

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
