import type { Migration } from '@tributary/platform/migrate';
import { runStatements } from './sql.js';

/**
 * Stored MTP reconciliation reports (ADR 0601, "Addendum: stored reports"): one row per run with its
 * counts per kind and totals, and every difference it found. The partial unique index admits
 * one `running` report at a time, so two runs (the daily job and a manual one, or two replicas)
 * can never interleave; a run that died is recognised by its silent heartbeat.
 */
export const reconciliationReportsMigration: Migration = {
  name: '0006_reconciliation_reports',
  async up(db) {
    await runStatements(db, [
      `create table reconciliation_report (
        id uuid primary key default gen_random_uuid(),
        trigger text not null check (trigger in ('schedule', 'manual')),
        requested_by text not null,
        status text not null check (status in ('running', 'completed', 'failed')),
        started_at timestamptz not null,
        heartbeat_at timestamptz not null,
        finished_at timestamptz,
        shipments integer not null default 0,
        allocation_groups integer not null default 0,
        bags_checked integer not null default 0,
        differences integer not null default 0,
        quantity_mismatch integer not null default 0,
        status_mismatch integer not null default 0,
        orphaned_allocation integer not null default 0,
        missing_allocation integer not null default 0,
        bag_over_allocated integer not null default 0,
        shipped_kg numeric(18,3) not null default 0,
        allocated_kg numeric(18,3) not null default 0,
        error_code text,
        error_message text,
        check ((status = 'running') = (finished_at is null))
      )`,
      `create unique index reconciliation_report_one_running on reconciliation_report ((status)) where status = 'running'`,
      `create index reconciliation_report_recent on reconciliation_report (started_at desc, id desc)`,
      `create table reconciliation_difference (
        report_id uuid not null references reconciliation_report (id) on delete cascade,
        seq integer not null check (seq >= 1),
        kind text not null check (kind in
          ('quantity_mismatch', 'status_mismatch', 'orphaned_allocation', 'missing_allocation', 'bag_over_allocated')),
        request_code bigint,
        shipment_code integer,
        material text,
        barcode uuid,
        orders_status text,
        expected_kg numeric(18,3),
        actual_kg numeric(18,3) not null,
        bags integer,
        dispatched_bags integer,
        reason text not null,
        primary key (report_id, seq),
        check ((request_code is null) = (kind = 'bag_over_allocated')),
        check ((barcode is null) = (kind <> 'bag_over_allocated'))
      )`,
      `create index reconciliation_difference_kind on reconciliation_difference (report_id, kind, seq)`,
    ]);
  },
};
