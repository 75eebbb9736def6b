import type { Migration } from '@tributary/platform/migrate';
import {
  ALLOCATION_SUPPORT,
  batchTable,
  consumptionTables,
  HERBLINE_SECTION,
  ingredientTable,
  MATERIALS,
  PARENT_TABLE,
  parcelTable,
  recordTable,
  shipmentTable,
  type Material,
} from '../../domain/materials.js';
import { runStatements } from './sql.js';

/**
 * The original's triggers (record_status, record_tealine, record_blendbalance,
 * record_location, record_shipment) plus the rules it left to the API, so that no path into
 * the database — this service, a script, a future service — can break an invariant:
 * consumption ≤ net weight per bag, parcels within their shipment allocation, eligibility of
 * ingredient bags, the trader gate, the batch limit and forward-only statuses. The service
 * checks the same rules first (under the same row locks) to answer with details.
 */
const commonFunctions = [
  `create function tb_status_rank(status text) returns integer language sql immutable as $$
     select case status when 'ACCEPTED' then 0 when 'IN_PROCESS' then 1 when 'PROCESSED' then 2 when 'DISPATCHED' then 3 end $$`,
  `create function record_status() returns trigger language plpgsql as $$
   begin
     new.status := 'ACCEPTED';
     new.remaining := new.gross_weight - new.bag_weight;
     new.processed_at := null;
     new.dispatched_at := null;
     return new;
   end $$`,
  `create function record_location() returns trigger language plpgsql as $$
   declare
     wanted boolean := tg_argv[0]::boolean;
     section boolean;
   begin
     select herbline_section into section from store_location where location_name = new.store_location;
     if not found then
       perform tb_missing('LOCATION_NOT_FOUND', format('store location %s does not exist', new.store_location));
     end if;
     if section <> wanted then
       perform tb_refuse(case when wanted then 'LOCATION_NOT_HERBLINE_SECTION' else 'LOCATION_HERBLINE_ONLY' end,
         format('%s bags may not be stored in %s', tg_table_name, new.store_location));
     end if;
     return new;
   end $$`,
  `create function record_update() returns trigger language plpgsql as $$
   begin
     if new.barcode <> old.barcode or new.item_code <> old.item_code or new.created_ts <> old.created_ts
        or new.bag_no <> old.bag_no or new.gross_weight <> old.gross_weight or new.bag_weight <> old.bag_weight then
       perform tb_refuse('RECORD_IMMUTABLE', 'a bag''s identity and weights never change');
     end if;
     if tb_status_rank(new.status) < tb_status_rank(old.status) then
       perform tb_refuse('RECORD_STATUS_BACKWARDS', format('status may not move from %s to %s', old.status, new.status));
     end if;
     new.processed_at := case when new.status = 'PROCESSED' and old.processed_at is null then clock_timestamp() else old.processed_at end;
     new.dispatched_at := case when new.status = 'DISPATCHED' and old.dispatched_at is null then clock_timestamp() else old.dispatched_at end;
     return new;
   end $$`,
  `create function shipment_remaining() returns trigger language plpgsql as $$
   begin
     if tg_op = 'INSERT' then
       new.remaining := new.amount;
     elsif new.amount <> old.amount then
       new.remaining := old.remaining + (new.amount - old.amount);
     end if;
     return new;
   end $$`,
  `create function batch_target_guard() returns trigger language plpgsql as $$
   declare
     done boolean;
   begin
     if tg_argv[0] = 'blendsheet_batch' then
       select completed into done from blendsheet_batch where item_code = new.item_code and created_ts = new.created_ts for share;
     else
       select completed into done from flavorsheet_batch where item_code = new.item_code and created_ts = new.created_ts for share;
     end if;
     if not found then
       perform tb_missing('BATCH_NOT_FOUND', format('batch %s/%s does not exist', new.item_code, new.created_ts));
     end if;
     if done and (tg_op = 'INSERT' or new.amount > old.amount) then
       perform tb_refuse('BATCH_COMPLETED', format('batch %s/%s is completed', new.item_code, new.created_ts));
     end if;
     return new;
   end $$`,
  `create function blendsheet_batch_limit() returns trigger language plpgsql as $$
   declare
     allowed integer;
     created integer;
   begin
     select no_of_batches into allowed from blendsheet where blendsheet_no = new.blendsheet_no for update;
     if not found then
       perform tb_missing('BLENDSHEET_NOT_FOUND', format('blendsheet %s does not exist', new.blendsheet_no));
     end if;
     select count(*) into created from blendsheet_batch where blendsheet_no = new.blendsheet_no;
     if created >= allowed then
       perform tb_refuse('BLENDSHEET_BATCH_LIMIT_REACHED', format('blendsheet %s already has %s of %s batches', new.blendsheet_no, created, allowed));
     end if;
     if new.trader_status is not null then
       perform tb_refuse('TRADER_TRANSITION_INVALID', 'a new batch has no trader status');
     end if;
     return new;
   end $$`,
  `create function blendsheet_batches_floor() returns trigger language plpgsql as $$
   declare
     created integer;
   begin
     select count(*) into created from blendsheet_batch where blendsheet_no = new.blendsheet_no;
     if new.no_of_batches < created then
       perform tb_refuse('BLENDSHEET_BATCHES_BELOW_CREATED', format('blendsheet %s already has %s batches', new.blendsheet_no, created));
     end if;
     return new;
   end $$`,
  `create function trader_transition() returns trigger language plpgsql as $$
   begin
     if new.trader_status is not distinct from old.trader_status then return new; end if;
     -- coalesce: a NULL in a boolean chain would make the whole test NULL, and NULL never refuses.
     if not coalesce((coalesce(old.trader_status, 'NONE'), coalesce(new.trader_status, 'NONE')) in (
          ('NONE', 'TRADER_PENDING'),
          ('TRADER_PENDING', 'TRADER_REQUESTED'),
          ('TRADER_REQUESTED', 'TRADER_ELEVATED'), ('TRADER_REQUESTED', 'TRADER_ALLOWED'), ('TRADER_REQUESTED', 'TRADER_BLOCKED'),
          ('TRADER_ELEVATED', 'TRADER_ALLOWED'), ('TRADER_ELEVATED', 'TRADER_BLOCKED')), false) then
       perform tb_refuse('TRADER_TRANSITION_INVALID', format('trader status may not move from %s to %s', coalesce(old.trader_status, 'none'), new.trader_status));
     end if;
     return new;
   end $$`,
  `create function location_section_fixed() returns trigger language plpgsql as $$
   begin
     if new.herbline_section <> old.herbline_section or new.location_name <> old.location_name then
       perform tb_refuse('LOCATION_IMMUTABLE', 'a location''s name and section never change: bags stored there rely on them');
     end if;
     return new;
   end $$`,
  `create trigger a_blendsheet_batch_limit before insert on blendsheet_batch for each row execute function blendsheet_batch_limit()`,
  `create trigger a_blendsheet_batches_floor before update of no_of_batches on blendsheet for each row execute function blendsheet_batches_floor()`,
  `create trigger a_trader_transition before update of trader_status on blendsheet_batch for each row execute function trader_transition()`,
  `create trigger a_location_section_fixed before update on store_location for each row execute function location_section_fixed()`,
];

/** Parent lock, bag number, bag-count limit (tealine), weight limit (blendbalance), open batch. */
function parentGuard(material: Material): string {
  const table = recordTable(material);
  const parent = PARENT_TABLE[material];
  const rule =
    material === 'tealine'
      ? `if bags >= lot.no_of_bags then
           perform tb_refuse('TEALINE_BAG_LIMIT_REACHED', format('lot %s/%s already has all %s bags', new.item_code, new.created_ts, lot.no_of_bags));
         end if;`
      : material === 'blendbalance'
        ? `if (select coalesce(sum(gross_weight - bag_weight), 0) from ${table} where item_code = new.item_code and created_ts = new.created_ts)
              + (new.gross_weight - new.bag_weight) > lot.weight then
             perform tb_refuse('BLENDBALANCE_WEIGHT_EXCEEDED', format('lot %s/%s would exceed its %s kg', new.item_code, new.created_ts, lot.weight));
           end if;`
        : material === 'blendsheet' || material === 'flavorsheet'
          ? `if lot.completed then
               perform tb_refuse('BATCH_COMPLETED', format('batch %s/%s is completed', new.item_code, new.created_ts));
             end if;`
          : '';
  return `create function ${table}_parent() returns trigger language plpgsql as $$
   declare
     lot record;
     bags integer;
     next_no integer;
   begin
     select * into lot from ${parent} where item_code = new.item_code and created_ts = new.created_ts for update;
     if not found then
       perform tb_missing('${material === 'blendsheet' || material === 'flavorsheet' ? 'BATCH_NOT_FOUND' : 'LOT_NOT_FOUND'}',
         format('%s %s/%s does not exist', '${parent}', new.item_code, new.created_ts));
     end if;
     select count(*), coalesce(max(bag_no), 0) + 1 into bags, next_no from ${table} where item_code = new.item_code and created_ts = new.created_ts;
     ${rule}
     new.bag_no := next_no;
     return new;
   end $$`;
}

/** Σ consumption of one bag (parcels excluded): the heart of scan_record's availability. */
function consumedFunction(material: Material): string {
  const sums = consumptionTables(material).map((table) => `coalesce((select sum(amount) from ${table} where barcode = bc), 0)`);
  return `create function ${material}_consumed(bc uuid) returns numeric language sql stable as $$ select ${sums.length ? sums.join(' + ') : '0::numeric'} $$`;
}

/** Locks the bag, then refuses dispatched, ineligible or over-allocated consumption. */
function consumeGuard(material: Material): string {
  return `create function ${material}_consume_guard() returns trigger language plpgsql as $$
   declare
     bag record;
     used numeric;
   begin
     if tg_op = 'UPDATE' and new.amount <= old.amount then return new; end if;
     select status, gross_weight - bag_weight as net into bag from ${recordTable(material)} where barcode = new.barcode for update;
     if not found then
       perform tb_missing('RECORD_NOT_FOUND', format('${material} bag %s does not exist', new.barcode));
     end if;
     if bag.status = 'DISPATCHED' then
       perform tb_refuse('RECORD_DISPATCHED', format('bag %s has been dispatched', new.barcode));
     end if;
     if tg_argv[0] = 'ingredient' and bag.status not in ('ACCEPTED', 'IN_PROCESS') then
       perform tb_refuse('RECORD_NOT_ELIGIBLE', format('bag %s is %s; only ACCEPTED or IN_PROCESS bags feed a batch', new.barcode, bag.status));
     end if;
     used := ${material}_consumed(new.barcode) - case when tg_op = 'UPDATE' then old.amount else 0 end;
     if used + new.amount > bag.net then
       perform tb_refuse('ALLOCATION_EXCEEDS_AVAILABLE', format('bag %s has %s kg available', new.barcode, bag.net - used));
     end if;
     return new;
   end $$`;
}

/** Parcels draw on their shipment allocation's remaining; the CHECK there is the last word. */
function parcelApply(material: Material): string[] {
  const parcels = parcelTable(material);
  const shipments = shipmentTable(material);
  const key = `barcode = new.barcode and request_code = new.request_code and shipment_code = new.shipment_code`;
  return [
    `create function ${parcels}_apply() returns trigger language plpgsql as $$
     declare
       delta numeric := new.amount - case when tg_op = 'UPDATE' then old.amount else 0 end;
       left_over numeric;
     begin
       select remaining into left_over from ${shipments} where ${key} for update;
       if not found then
         perform tb_refuse('PARCEL_WITHOUT_SHIPMENT_ALLOCATION', format('bag %s is not allocated to shipment %s/%s', new.barcode, new.request_code, new.shipment_code));
       end if;
       -- INSERT … ON CONFLICT DO UPDATE fires this for the proposed row and again for the update:
       -- when the row exists, the update's firing (with the true delta) is the one that counts.
       if tg_op = 'INSERT' and exists (select 1 from ${parcels} where ${key} and schedule_code = new.schedule_code) then
         return new;
       end if;
       if left_over < delta then
         perform tb_refuse('PARCEL_EXCEEDS_SHIPMENT_ALLOCATION', format('only %s kg of the shipment allocation are left', left_over));
       end if;
       update ${shipments} set remaining = remaining - delta where ${key};
       return new;
     end $$`,
    `create function ${parcels}_release() returns trigger language plpgsql as $$
     begin
       update ${shipments} set remaining = remaining + old.amount
        where barcode = old.barcode and request_code = old.request_code and shipment_code = old.shipment_code;
       return old;
     end $$`,
    `create trigger a_parcel_apply before insert or update of amount on ${parcels} for each row execute function ${parcels}_apply()`,
    `create trigger a_parcel_release after delete on ${parcels} for each row execute function ${parcels}_release()`,
  ];
}

/** Output bags of a blend reach a shipment only once a trader allowed the batch (ADR 0201). */
const traderGate = [
  `create function blendsheet_trader_gate() returns trigger language plpgsql as $$
   declare
     status text;
   begin
     if tg_op = 'UPDATE' and new.amount <= old.amount then return new; end if;
     select b.trader_status into status
       from blendsheet_record r join blendsheet_batch b on b.item_code = r.item_code and b.created_ts = r.created_ts
      where r.barcode = new.barcode
        for share of b;
     if status = 'TRADER_BLOCKED' then
       perform tb_refuse('BATCH_TRADER_BLOCKED', format('the batch of bag %s was blocked by a trader', new.barcode));
     elsif status is distinct from 'TRADER_ALLOWED' then
       perform tb_refuse('BATCH_NOT_TRADER_ALLOWED', format('the batch of bag %s is %s, not TRADER_ALLOWED', new.barcode, coalesce(status, 'not yet reviewed')));
     end if;
     return new;
   end $$`,
  `create trigger b_trader_gate before insert or update of amount on blendsheet_allocate_shipment for each row execute function blendsheet_trader_gate()`,
];

function materialRules(material: Material): string[] {
  const table = recordTable(material);
  const support = ALLOCATION_SUPPORT[material];
  const statements = [
    parentGuard(material),
    consumedFunction(material),
    `create trigger a_record_status before insert on ${table} for each row execute function record_status()`,
    `create trigger b_record_location before insert or update of store_location on ${table} for each row execute function record_location('${HERBLINE_SECTION[material]}')`,
    `create trigger c_record_parent before insert on ${table} for each row execute function ${table}_parent()`,
    `create trigger d_record_update before update on ${table} for each row execute function record_update()`,
  ];
  if (consumptionTables(material).length > 0) statements.push(consumeGuard(material));
  for (const target of support.ingredientOf) {
    const allocations = ingredientTable(material, target);
    statements.push(
      `create trigger a_consume_guard before insert or update of amount on ${allocations} for each row execute function ${material}_consume_guard('ingredient')`,
      `create trigger b_batch_target before insert or update on ${allocations} for each row execute function batch_target_guard('${batchTable(target)}')`,
    );
  }
  if (support.shipment) {
    const shipments = shipmentTable(material);
    statements.push(
      `create trigger a_consume_guard before insert or update of amount on ${shipments} for each row execute function ${material}_consume_guard('shipment')`,
      `create trigger c_shipment_remaining before insert or update on ${shipments} for each row execute function shipment_remaining()`,
      ...parcelApply(material),
    );
  }
  return statements;
}

export const rulesMigration: Migration = {
  name: '0003_rules',
  up: (db) => runStatements(db, [...commonFunctions, ...MATERIALS.flatMap(materialRules), ...traderGate]),
};
