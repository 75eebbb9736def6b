import type { Migration } from '@tributary/platform/migrate';
import { consumptionTables, MATERIALS, recordTable, type Material } from '../../domain/materials.js';
import { runStatements } from './sql.js';

/**
 * `lock_<t>_record(barcode)`: locks the bag row, then sums its consumption, in one round trip.
 * The sum is a second statement inside a VOLATILE PL/pgSQL function, so under READ COMMITTED it
 * runs on a fresh snapshot taken after the lock was granted and sees every allocation committed
 * by the transaction that held the lock before (a single SELECT … FOR UPDATE computing the sum
 * would use the snapshot from before the wait and could miss them).
 */
function lockFunction(material: Material): string {
  const consumed = consumptionTables(material).length > 0 ? `${material}_consumed(bc)` : '0::numeric';
  return `create function lock_${material}_record(bc uuid)
    returns table (barcode uuid, item_code text, created_ts bigint, status text, net numeric, remaining numeric, consumed numeric)
    language plpgsql volatile as $$
    declare
      bag record;
    begin
      select r.barcode, r.item_code, r.created_ts, r.status, r.gross_weight - r.bag_weight as net, r.remaining
        into bag from ${recordTable(material)} r where r.barcode = bc for update;
      if not found then return; end if;
      return query select bag.barcode, bag.item_code, bag.created_ts, bag.status, bag.net, bag.remaining, ${consumed};
    end $$`;
}

export const lockFunctionsMigration: Migration = {
  name: '0004_lock_functions',
  up: (db) => runStatements(db, MATERIALS.map(lockFunction)),
};
