import type { Migration } from '@tributary/platform/migrate';
import { runStatements } from './sql.js';

/**
 * `processed_at` / `dispatched_at` stay "when the status first got there", stamped by the
 * database; only `tributary import` (ADR 0032), which sets the transaction-local
 * `tributary.import_times`, may give the time itself: the original's, for a bag whose status
 * moved long before the move. Without a given time the stamp is the clock's, as before.
 */
export const importTimesMigration: Migration = {
  name: '0007_import_times',
  up: (db) =>
    runStatements(db, [
      `create or replace function record_update() returns trigger language plpgsql as $$
       declare
         given boolean := coalesce(current_setting('tributary.import_times', true), '') = 'on';
       begin
         if new.barcode <> old.barcode or new.item_code <> old.item_code or new.created_ts <> old.created_ts
            or new.bag_no <> old.bag_no or new.gross_weight <> old.gross_weight or new.bag_weight <> old.bag_weight then
           perform tb_refuse('RECORD_IMMUTABLE', 'a bag''s identity and weights never change');
         end if;
         if tb_status_rank(new.status) < tb_status_rank(old.status) then
           perform tb_refuse('RECORD_STATUS_BACKWARDS', format('status may not move from %s to %s', old.status, new.status));
         end if;
         new.processed_at := coalesce(old.processed_at,
           case when new.status = 'PROCESSED' then coalesce(case when given then new.processed_at end, clock_timestamp()) end);
         new.dispatched_at := coalesce(old.dispatched_at,
           case when new.status = 'DISPATCHED' then coalesce(case when given then new.dispatched_at end, clock_timestamp()) end);
         return new;
       end $$`,
    ]),
};
