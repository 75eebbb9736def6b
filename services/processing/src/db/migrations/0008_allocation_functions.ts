import type { Migration } from '@tributary/platform/migrate';
import { consumptionTables, MATERIALS, recordTable, SHIPPABLE, shipmentTable, type Material } from '../../domain/materials.js';
import { runStatements } from './sql.js';

/** The blend batch's trader gate, checked after the weight as the service always did (ADR 0201). */
const TRADER_CHECK = `
      select b.trader_status into trader from blendsheet_record r
        join blendsheet_batch b on b.item_code = r.item_code and b.created_ts = r.created_ts
       where r.barcode = bc for share of b;
      if trader is distinct from 'TRADER_ALLOWED' then
        return query select case when trader = 'TRADER_BLOCKED' then 'BATCH_TRADER_BLOCKED' else 'BATCH_NOT_TRADER_ALLOWED' end,
          null::numeric, null::numeric, trader;
        return;
      end if;`;

/**
 * `allocate_<t>_shipment(barcode, request, shipment, kg, events)`: a whole bag → shipment
 * allocation in one call, so the command is one autocommitted round trip instead of five
 * (begin, lock and Σ, upsert, outbox, commit) and the bag's lock is held only inside the server.
 *
 * It locks the bag, then checks what the service checked: the bag exists, has not left, has
 * the kg available (its `consumed_kg`, read from the locked row, so the latest committed), and
 * for blendsheet bags that a trader allowed the batch. A refusal is
 * returned as `outcome` with the figures the API's error names, and nothing is written. Then it
 * upserts the allocation (the consume-guard and trader-gate triggers still re-check, unchanged)
 * and inserts the outbox rows it is handed: the kernel builds them (ids, metadata, trace), and
 * rows flagged `with_total` get the allocation's new total, known only after the upsert.
 */
function allocateFunction(material: Material): string {
  return `create function allocate_${material}_shipment(bc uuid, request bigint, shipment integer, qty numeric, events jsonb)
    returns table (outcome text, total numeric, available numeric, trader_status text)
    language plpgsql volatile as $$
    declare
      bag record;
      trader text;
      added numeric;
    begin
      select r.status, r.gross_weight - r.bag_weight as net, r.consumed_kg into bag from ${recordTable(material)} r where r.barcode = bc for update;
      if not found then
        return query select 'RECORD_NOT_FOUND', null::numeric, null::numeric, null::text;
        return;
      end if;
      if bag.status = 'DISPATCHED' then
        return query select 'RECORD_DISPATCHED', null::numeric, null::numeric, null::text;
        return;
      end if;
      if qty > bag.net - bag.consumed_kg then
        return query select 'ALLOCATION_EXCEEDS_AVAILABLE', null::numeric, bag.net - bag.consumed_kg, null::text;
        return;
      end if;
      ${material === 'blendsheet' ? TRADER_CHECK : ''}
      insert into ${shipmentTable(material)} as a (barcode, request_code, shipment_code, amount, remaining)
      values (bc, request, shipment, qty, qty)
      on conflict (barcode, request_code, shipment_code) do update set amount = a.amount + excluded.amount, allocated_at = clock_timestamp()
      returning a.amount into added;
      insert into outbox (id, aggregate_type, aggregate_id, type, payload, metadata, created_at)
      select e->>'id', e->>'aggregate_type', e->>'aggregate_id', e->>'type',
             case when (e->>'with_total')::boolean
                  then ((e->>'payload')::jsonb || jsonb_build_object('total_amount', added::text))::text
                  else e->>'payload' end,
             e->>'metadata', (e->>'created_at')::bigint
        from jsonb_array_elements(events) with ordinality as x(e, n)
       order by n;
      return query select 'OK', added, null::numeric, null::text;
    end $$`;
}

/**
 * `consumed_kg` on every bag: Σ of its non-parcel allocations, kept by a trigger on each table
 * that consumes the bag (insert, change of amount or bag, delete), for whatever path writes
 * them. Summing the rows cost more the more allocations a bag had, and it ran under the bag's
 * lock twice per allocation (the service's check and the consume guard); now both read one
 * column. `<t>_consumed(barcode)` still sums the rows: reports and tests compare the two.
 */
function consumedColumn(material: Material): string[] {
  const table = recordTable(material);
  return [
    `alter table ${table} add column consumed_kg numeric not null default 0`,
    `update ${table} set consumed_kg = ${material}_consumed(barcode)`,
    `create function ${material}_consumed_kept() returns trigger language plpgsql as $$
     begin
       if tg_op = 'UPDATE' and new.barcode = old.barcode then
         if new.amount <> old.amount then
           update ${table} set consumed_kg = consumed_kg + (new.amount - old.amount) where barcode = new.barcode;
         end if;
         return null;
       end if;
       if tg_op in ('UPDATE', 'DELETE') then
         update ${table} set consumed_kg = consumed_kg - old.amount where barcode = old.barcode;
       end if;
       if tg_op in ('UPDATE', 'INSERT') then
         update ${table} set consumed_kg = consumed_kg + new.amount where barcode = new.barcode;
       end if;
       return null;
     end $$`,
    ...consumptionTables(material).map(
      (allocations) =>
        `create trigger z_consumed_kept after insert or delete or update of amount, barcode on ${allocations}
           for each row execute function ${material}_consumed_kept()`,
    ),
    // The guard of migration 0003, reading the kept total instead of summing the rows.
    `create or replace function ${material}_consume_guard() returns trigger language plpgsql as $$
     declare
       bag record;
       used numeric;
     begin
       if tg_op = 'UPDATE' and new.amount <= old.amount then return new; end if;
       select status, gross_weight - bag_weight as net, consumed_kg into bag from ${table} where barcode = new.barcode for update;
       if not found then
         perform tb_missing('RECORD_NOT_FOUND', format('${material} bag %s does not exist', new.barcode));
       end if;
       if bag.status = 'DISPATCHED' then
         perform tb_refuse('RECORD_DISPATCHED', format('bag %s has been dispatched', new.barcode));
       end if;
       if tg_argv[0] = 'ingredient' and bag.status not in ('ACCEPTED', 'IN_PROCESS') then
         perform tb_refuse('RECORD_NOT_ELIGIBLE', format('bag %s is %s; only ACCEPTED or IN_PROCESS bags feed a batch', new.barcode, bag.status));
       end if;
       used := bag.consumed_kg - case when tg_op = 'UPDATE' then old.amount else 0 end;
       if used + new.amount > bag.net then
         perform tb_refuse('ALLOCATION_EXCEEDS_AVAILABLE', format('bag %s has %s kg available', new.barcode, bag.net - used));
       end if;
       return new;
     end $$`,
  ];
}

export const allocationFunctionsMigration: Migration = {
  name: '0008_allocation_functions',
  up: (db) => runStatements(db, [...MATERIALS.flatMap(consumedColumn), ...SHIPPABLE.map(allocateFunction)]),
};
