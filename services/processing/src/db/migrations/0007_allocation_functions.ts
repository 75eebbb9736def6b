import type { Migration } from '@tributary/platform/migrate';
import { recordTable, SHIPPABLE, shipmentTable, type Material } from '../../domain/materials.js';
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
 * the kg available (Σ taken by a second statement, so on a snapshot from after the lock, as in
 * `lock_<t>_record`), and for blendsheet bags that a trader allowed the batch. A refusal is
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
      used numeric;
      trader text;
      added numeric;
    begin
      select r.status, r.gross_weight - r.bag_weight as net into bag from ${recordTable(material)} r where r.barcode = bc for update;
      if not found then
        return query select 'RECORD_NOT_FOUND', null::numeric, null::numeric, null::text;
        return;
      end if;
      if bag.status = 'DISPATCHED' then
        return query select 'RECORD_DISPATCHED', null::numeric, null::numeric, null::text;
        return;
      end if;
      used := ${material}_consumed(bc);
      if qty > bag.net - used then
        return query select 'ALLOCATION_EXCEEDS_AVAILABLE', null::numeric, bag.net - used, null::text;
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

export const allocationFunctionsMigration: Migration = {
  name: '0007_allocation_functions',
  up: (db) => runStatements(db, SHIPPABLE.map(allocateFunction)),
};
