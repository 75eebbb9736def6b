import { sql } from 'kysely';
import type { Migration, MigrationContext } from '@tributary/platform/migrate';

/**
 * The sync database (reference §3): the event log partitioned by month, one status row per
 * event and target (which doubles as the delivery queue), conflicts with their audit trail,
 * configurations, metric windows and one durable cursor per source feed.
 *
 * PostgreSQL only (PGlite included): monthly range partitions, partial indexes and the
 * auto-resolve trigger have no MariaDB equivalent worth keeping in step.
 */
const STATEMENTS = [
  `create table sync_events (
    id bigint generated always as identity,
    event_id varchar(64) not null,
    event_type varchar(50) not null check (event_type in ('create','update','delete','custom')),
    event_source varchar(100) not null,
    event_name varchar(200) not null,
    doctype varchar(100) not null,
    doc_name varchar(200) not null,
    doc_status varchar(20),
    event_data jsonb not null,
    previous_data jsonb,
    metadata jsonb,
    event_timestamp timestamptz not null default now(),
    created_at timestamptz not null default now(),
    source_user varchar(140),
    source_ip inet,
    source_session varchar(255),
    source_sequence bigint,
    source_version varchar(100),
    processing_status varchar(20) not null default 'pending' check (processing_status in ('pending','processing','processed','failed','skipped')),
    processed_at timestamptz,
    retry_count integer not null default 0,
    max_retries integer not null default 3,
    error_message text,
    error_details jsonb,
    last_error_at timestamptz,
    target_services jsonb not null default '[]',
    processed_by_services jsonb not null default '[]',
    priority integer not null default 5 check (priority between 1 and 10),
    event_group varchar(100),
    parent_event_id varchar(64),
    primary key (id, created_at)
  ) partition by range (created_at)`,
  `create index idx_sync_events_event_id on sync_events (event_id)`,
  `create index idx_sync_events_event_type on sync_events (event_type)`,
  `create index idx_sync_events_event_source on sync_events (event_source)`,
  `create index idx_sync_events_doc on sync_events (doctype, doc_name)`,
  `create index idx_sync_events_event_timestamp on sync_events (event_timestamp)`,
  `create index idx_sync_events_processing_status on sync_events (processing_status)`,
  `create index idx_sync_events_priority on sync_events (priority)`,
  `create index idx_sync_events_event_group on sync_events (event_group)`,
  `create index idx_sync_events_retries on sync_events (retry_count, max_retries)`,
  `create index idx_sync_events_unprocessed on sync_events (processing_status, priority, event_timestamp) where processing_status in ('pending','failed')`,
  // A partitioned table cannot hold a unique key without the partition column: event ids are
  // made unique here, in a small unpartitioned table written in the same transaction.
  `create table sync_event_ids (
    event_id varchar(64) primary key,
    event_source varchar(100) not null,
    created_at timestamptz not null
  )`,
  `create index idx_sync_event_ids_created_at on sync_event_ids (created_at)`,

  `create table sync_configurations (
    id bigserial primary key,
    config_id uuid not null unique default gen_random_uuid(),
    config_name varchar(150) not null unique,
    config_description text,
    config_type varchar(50) not null check (config_type in ('entity_mapping','transformation_rule','sync_schedule','conflict_resolution')),
    entity_type varchar(100),
    source_system varchar(100) not null,
    target_system varchar(100) not null,
    configuration jsonb not null,
    validation_rules jsonb,
    sync_direction varchar(20) not null default 'source_to_target' check (sync_direction in ('source_to_target','target_to_source','bidirectional')),
    sync_frequency varchar(50) check (sync_frequency in ('real_time','hourly','daily','weekly','on_demand')),
    batch_size integer not null default 100 check (batch_size > 0),
    error_handling_strategy varchar(50) not null default 'retry_with_backoff',
    max_retries integer not null default 5 check (max_retries >= 0),
    retry_delay_seconds numeric(10,3) not null default 60 check (retry_delay_seconds >= 0),
    is_active boolean not null default true,
    version integer not null default 1,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    created_by varchar(140) not null,
    updated_by varchar(140)
  )`,
  `create index idx_sync_configurations_type on sync_configurations (config_type)`,
  `create index idx_sync_configurations_entity on sync_configurations (entity_type)`,
  `create index idx_sync_configurations_systems on sync_configurations (source_system, target_system)`,
  `create index idx_sync_configurations_active on sync_configurations (is_active)`,
  `create index idx_sync_configurations_frequency on sync_configurations (sync_frequency)`,

  `create table sync_status (
    id bigserial primary key,
    sync_id uuid not null unique default gen_random_uuid(),
    event_id varchar(64) not null,
    config_id uuid references sync_configurations (config_id) on delete set null,
    entity_type varchar(100) not null,
    entity_id varchar(200) not null,
    event_name varchar(200) not null,
    source_sequence bigint,
    source_system varchar(100) not null,
    target_system varchar(100) not null,
    operation_type varchar(20) not null check (operation_type in ('create','update','delete','bulk_sync')),
    sync_direction varchar(20) not null default 'source_to_target' check (sync_direction in ('source_to_target','target_to_source','bidirectional')),
    sync_status varchar(20) not null default 'pending' check (sync_status in ('pending','in_progress','completed','failed','conflict','skipped')),
    ordering_key varchar(400),
    priority integer not null default 5,
    held boolean not null default false,
    force_apply boolean not null default false,
    resolution_round integer not null default 0,
    lease_owner varchar(100),
    lease_expires_at timestamptz,
    started_at timestamptz,
    completed_at timestamptz,
    source_version varchar(100),
    target_version varchar(100),
    last_sync_version varchar(100),
    source_data jsonb,
    target_data jsonb,
    transformed_data jsonb,
    sync_metadata jsonb,
    error_count integer not null default 0,
    last_error_message text,
    last_error_details jsonb,
    last_error_at timestamptz,
    retry_count integer not null default 0,
    max_retries integer not null default 5,
    next_retry_at timestamptz not null,
    backoff_factor numeric(4,2) not null default 2.0 check (backoff_factor >= 1),
    retry_delay_ms integer not null default 1000,
    sync_duration_ms integer,
    data_size_bytes bigint,
    event_created_at timestamptz not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    created_by varchar(140),
    unique (event_id, target_system)
  )`,
  `create index idx_sync_status_entity on sync_status (entity_type, entity_id)`,
  `create index idx_sync_status_systems on sync_status (source_system, target_system)`,
  `create index idx_sync_status_status on sync_status (sync_status)`,
  `create index idx_sync_status_created_at on sync_status (created_at)`,
  `create index idx_sync_status_completed_at on sync_status (completed_at) where completed_at is not null`,
  `create index idx_sync_status_next_retry on sync_status (next_retry_at) where next_retry_at is not null`,
  `create index idx_sync_status_failed on sync_status (sync_status, error_count) where sync_status = 'failed'`,
  `create index idx_sync_status_active on sync_status (sync_status, created_at) where sync_status in ('pending','in_progress')`,
  // The claim query walks this: runnable work of one target in priority, then arrival order.
  `create index idx_sync_status_claim on sync_status (target_system, priority, id) where sync_status = 'pending' and not held`,
  // Head-of-line check for ordering per aggregate: unfinished earlier work of the same key.
  `create index idx_sync_status_unfinished on sync_status (target_system, ordering_key, id) where sync_status in ('pending','in_progress','failed','conflict')`,
  `create index idx_sync_status_leases on sync_status (lease_expires_at) where sync_status = 'in_progress'`,

  `create table sync_conflicts (
    id bigserial primary key,
    conflict_id uuid not null unique default gen_random_uuid(),
    sync_status_id bigint not null references sync_status (id) on delete cascade,
    event_id varchar(64),
    entity_type varchar(100) not null,
    entity_id varchar(200) not null,
    field_name varchar(100),
    conflict_type varchar(50) not null check (conflict_type in ('version_mismatch','data_inconsistency','business_rule_violation','concurrent_modification')),
    conflict_severity varchar(20) not null default 'medium' check (conflict_severity in ('low','medium','high','critical')),
    source_value jsonb not null,
    target_value jsonb not null,
    expected_value jsonb,
    resolution_status varchar(20) not null default 'pending' check (resolution_status in ('pending','resolved','ignored','escalated')),
    resolution_strategy varchar(50) check (resolution_strategy in ('source_wins','target_wins','merge','manual','business_rule')),
    resolved_value jsonb,
    auto_resolvable boolean not null default false,
    resolution_confidence numeric(3,2) check (resolution_confidence between 0 and 1),
    resolution_reason text,
    source_version varchar(100),
    target_version varchar(100),
    detected_at timestamptz not null default now(),
    resolved_at timestamptz,
    assigned_to varchar(140),
    resolved_by varchar(140),
    escalated_to varchar(140),
    business_impact varchar(20) check (business_impact in ('none','low','medium','high')),
    impact_description text,
    affects_customer boolean not null default false,
    affects_inventory boolean not null default false,
    affects_financials boolean not null default false
  )`,
  `create index idx_sync_conflicts_status_id on sync_conflicts (sync_status_id)`,
  `create index idx_sync_conflicts_entity on sync_conflicts (entity_type, entity_id)`,
  `create index idx_sync_conflicts_type on sync_conflicts (conflict_type)`,
  `create index idx_sync_conflicts_severity on sync_conflicts (conflict_severity)`,
  `create index idx_sync_conflicts_resolution on sync_conflicts (resolution_status)`,
  `create index idx_sync_conflicts_detected on sync_conflicts (detected_at)`,
  `create index idx_sync_conflicts_assigned on sync_conflicts (assigned_to)`,
  `create index idx_sync_conflicts_pending on sync_conflicts (resolution_status, conflict_severity, detected_at) where resolution_status = 'pending'`,
  // Reference trigger_auto_resolve_conflicts, as BEFORE INSERT so the row is born resolved
  // (no second write) and the inserting service reads the outcome from RETURNING.
  `create or replace function sync_auto_resolve_conflicts() returns trigger language plpgsql as $fn$
   begin
     if new.conflict_type = 'version_mismatch' and new.auto_resolvable then
       new.resolution_status := 'resolved';
       new.resolution_strategy := 'source_wins';
       new.resolved_value := new.source_value;
       new.resolved_at := coalesce(new.resolved_at, now());
       new.resolved_by := 'system_auto_resolver';
       new.resolution_reason := coalesce(new.resolution_reason, 'auto-resolvable version mismatch: source wins');
     end if;
     return new;
   end
   $fn$`,
  `create trigger trigger_auto_resolve_conflicts before insert on sync_conflicts for each row execute function sync_auto_resolve_conflicts()`,

  `create table sync_conflict_audit (
    id bigserial primary key,
    conflict_id uuid not null references sync_conflicts (conflict_id) on delete cascade,
    action varchar(30) not null,
    actor varchar(140) not null,
    from_status varchar(20),
    to_status varchar(20),
    details jsonb,
    at timestamptz not null default now()
  )`,
  `create index idx_sync_conflict_audit_conflict on sync_conflict_audit (conflict_id, id)`,

  `create table sync_metrics (
    id bigserial primary key,
    metric_id uuid not null unique default gen_random_uuid(),
    metric_type varchar(50) not null,
    entity_type varchar(100) not null default '',
    source_system varchar(100) not null,
    target_system varchar(100) not null,
    measurement_timestamp timestamptz not null default now(),
    window_start timestamptz not null,
    window_end timestamptz not null,
    window_duration_seconds integer not null,
    metric_value numeric(18,6) not null,
    metric_unit varchar(20) not null,
    total_records bigint,
    successful_records bigint,
    failed_records bigint,
    average_record_size_bytes bigint,
    data_accuracy_percentage numeric(5,2),
    completeness_percentage numeric(5,2),
    consistency_score numeric(5,2),
    metadata jsonb,
    unique (metric_type, source_system, target_system, entity_type, window_start)
  )`,
  `create index idx_sync_metrics_type on sync_metrics (metric_type)`,
  `create index idx_sync_metrics_entity on sync_metrics (entity_type)`,
  `create index idx_sync_metrics_systems on sync_metrics (source_system, target_system)`,
  `create index idx_sync_metrics_measured on sync_metrics (measurement_timestamp)`,
  `create index idx_sync_metrics_window on sync_metrics (window_start, window_end)`,

  `create table sync_source_cursors (
    source varchar(100) primary key,
    cursor bigint not null default 0,
    events_seen bigint not null default 0,
    last_event_created_at timestamptz,
    last_captured_at timestamptz,
    last_polled_at timestamptz,
    last_error text,
    last_error_at timestamptz,
    updated_at timestamptz not null default now()
  )`,

  `create view view_sync_health_dashboard as
    select source_system, target_system, entity_type,
      count(*) as total_syncs,
      count(*) filter (where sync_status = 'completed') as completed_syncs,
      count(*) filter (where sync_status = 'failed') as failed_syncs,
      count(*) filter (where sync_status in ('pending','in_progress')) as pending_syncs,
      count(*) filter (where sync_status = 'conflict') as conflict_syncs,
      avg(sync_duration_ms) as avg_duration_ms,
      max(completed_at) as last_completed_at,
      count(*) filter (where sync_status = 'failed' and updated_at > now() - interval '1 hour') as recent_failures
    from sync_status
    where created_at > now() - interval '24 hours'
    group by source_system, target_system, entity_type
    order by recent_failures desc, failed_syncs desc`,
];

export const syncSchemaMigration: Migration = {
  name: '0001_sync_schema',
  up: async (db, { dialect }: MigrationContext) => {
    if (dialect === 'mysql') throw new Error('The sync service needs PostgreSQL (or PGlite): its event log is partitioned by month');
    for (const statement of STATEMENTS) await sql.raw(statement).execute(db);
  },
};
