import type { ColumnType, Generated, Insertable, RawBuilder, Selectable, Updateable } from 'kysely';

/** jsonb: written as JSON text, read back parsed by the driver. */
export type Json = ColumnType<unknown, string, string>;
/** Updates may also merge in SQL (`coalesce(x, '{}') || …`). */
export type JsonNullable = ColumnType<unknown | null, string | null | undefined, string | null | RawBuilder<unknown>>;
/** timestamptz: written as Date, read back as Date on pg and PGlite. */
export type Timestamp = ColumnType<Date, Date | undefined, Date>;
export type TimestampNullable = ColumnType<Date | null, Date | null | undefined, Date | null>;
/** bigint/numeric come back as strings on every dialect (exact). */
export type BigIntString = ColumnType<string, string | number | bigint, string | number | bigint>;

export const EVENT_TYPES = ['create', 'update', 'delete', 'custom'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export const PROCESSING_STATUSES = ['pending', 'processing', 'processed', 'failed', 'skipped'] as const;
export type ProcessingStatus = (typeof PROCESSING_STATUSES)[number];
/** The reference's five sync statuses plus `skipped` (an operator let a dead letter go). */
export const SYNC_STATUSES = ['pending', 'in_progress', 'completed', 'failed', 'conflict', 'skipped'] as const;
export type SyncStatusValue = (typeof SYNC_STATUSES)[number];
export const OPERATION_TYPES = ['create', 'update', 'delete', 'bulk_sync'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];
export const SYNC_DIRECTIONS = ['source_to_target', 'target_to_source', 'bidirectional'] as const;
export const CONFLICT_TYPES = ['version_mismatch', 'data_inconsistency', 'business_rule_violation', 'concurrent_modification'] as const;
export type ConflictType = (typeof CONFLICT_TYPES)[number];
export const CONFLICT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export const RESOLUTION_STATUSES = ['pending', 'resolved', 'ignored', 'escalated'] as const;
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];
export const RESOLUTION_STRATEGIES = ['source_wins', 'target_wins', 'merge', 'manual', 'business_rule'] as const;
export type ResolutionStrategy = (typeof RESOLUTION_STRATEGIES)[number];
export const CONFIG_TYPES = ['entity_mapping', 'transformation_rule', 'sync_schedule', 'conflict_resolution'] as const;
export const SYNC_FREQUENCIES = ['real_time', 'hourly', 'daily', 'weekly', 'on_demand'] as const;
export type SyncFrequency = (typeof SYNC_FREQUENCIES)[number];
export const METRIC_TYPES = ['throughput', 'latency', 'error_rate', 'data_quality', 'lag', 'queue_depth', 'conflicts_pending'] as const;

export interface SyncEventsTable {
  id: Generated<string>;
  event_id: string;
  event_type: EventType;
  event_source: string;
  event_name: string;
  doctype: string;
  doc_name: string;
  doc_status: string | null;
  event_data: Json;
  previous_data: JsonNullable;
  metadata: JsonNullable;
  event_timestamp: Timestamp;
  created_at: Timestamp;
  source_user: string | null;
  source_ip: string | null;
  source_session: string | null;
  source_sequence: BigIntString | null;
  source_version: string | null;
  processing_status: ColumnType<ProcessingStatus, ProcessingStatus | undefined, ProcessingStatus>;
  processed_at: TimestampNullable;
  retry_count: Generated<number>;
  max_retries: Generated<number>;
  error_message: string | null;
  error_details: JsonNullable;
  last_error_at: TimestampNullable;
  target_services: Json;
  processed_by_services: Json;
  priority: Generated<number>;
  event_group: string | null;
  parent_event_id: string | null;
}

export interface SyncEventIdsTable {
  event_id: string;
  event_source: string;
  created_at: Timestamp;
}

export interface SyncStatusTable {
  id: Generated<string>;
  sync_id: Generated<string>;
  event_id: string;
  config_id: string | null;
  entity_type: string;
  entity_id: string;
  event_name: string;
  source_sequence: BigIntString | null;
  source_system: string;
  target_system: string;
  operation_type: OperationType;
  sync_direction: Generated<string>;
  sync_status: ColumnType<SyncStatusValue, SyncStatusValue | undefined, SyncStatusValue>;
  ordering_key: string | null;
  priority: Generated<number>;
  held: Generated<boolean>;
  force_apply: Generated<boolean>;
  resolution_round: Generated<number>;
  lease_owner: string | null;
  lease_expires_at: TimestampNullable;
  started_at: TimestampNullable;
  completed_at: TimestampNullable;
  source_version: string | null;
  target_version: string | null;
  last_sync_version: string | null;
  source_data: JsonNullable;
  target_data: JsonNullable;
  transformed_data: JsonNullable;
  sync_metadata: JsonNullable;
  error_count: Generated<number>;
  last_error_message: string | null;
  last_error_details: JsonNullable;
  last_error_at: TimestampNullable;
  retry_count: Generated<number>;
  max_retries: Generated<number>;
  next_retry_at: Timestamp;
  backoff_factor: ColumnType<string, string | undefined, string>;
  retry_delay_ms: Generated<number>;
  sync_duration_ms: number | null;
  data_size_bytes: BigIntString | null;
  event_created_at: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string | null;
}

export interface SyncConflictsTable {
  id: Generated<string>;
  conflict_id: Generated<string>;
  sync_status_id: BigIntString;
  event_id: string | null;
  entity_type: string;
  entity_id: string;
  field_name: string | null;
  conflict_type: ConflictType;
  conflict_severity: Generated<string>;
  source_value: Json;
  target_value: Json;
  expected_value: JsonNullable;
  resolution_status: ColumnType<ResolutionStatus, ResolutionStatus | undefined, ResolutionStatus>;
  resolution_strategy: ResolutionStrategy | null;
  resolved_value: JsonNullable;
  auto_resolvable: Generated<boolean>;
  resolution_confidence: string | null;
  resolution_reason: string | null;
  source_version: string | null;
  target_version: string | null;
  detected_at: Timestamp;
  resolved_at: TimestampNullable;
  assigned_to: string | null;
  resolved_by: string | null;
  escalated_to: string | null;
  business_impact: string | null;
  impact_description: string | null;
  affects_customer: Generated<boolean>;
  affects_inventory: Generated<boolean>;
  affects_financials: Generated<boolean>;
}

export interface SyncConflictAuditTable {
  id: Generated<string>;
  conflict_id: string;
  action: string;
  actor: string;
  from_status: string | null;
  to_status: string | null;
  details: JsonNullable;
  at: Timestamp;
}

export interface SyncConfigurationsTable {
  id: Generated<string>;
  config_id: Generated<string>;
  config_name: string;
  config_description: string | null;
  config_type: string;
  entity_type: string | null;
  source_system: string;
  target_system: string;
  configuration: Json;
  validation_rules: JsonNullable;
  sync_direction: Generated<string>;
  sync_frequency: string | null;
  batch_size: Generated<number>;
  error_handling_strategy: Generated<string>;
  max_retries: Generated<number>;
  retry_delay_seconds: ColumnType<string, string | number | undefined, string | number>;
  is_active: Generated<boolean>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string;
  updated_by: string | null;
}

export interface SyncMetricsTable {
  id: Generated<string>;
  metric_id: Generated<string>;
  metric_type: string;
  entity_type: string;
  source_system: string;
  target_system: string;
  measurement_timestamp: Timestamp;
  window_start: Date;
  window_end: Date;
  window_duration_seconds: number;
  metric_value: ColumnType<string, string, string>;
  metric_unit: string;
  total_records: BigIntString | null;
  successful_records: BigIntString | null;
  failed_records: BigIntString | null;
  average_record_size_bytes: BigIntString | null;
  data_accuracy_percentage: string | null;
  completeness_percentage: string | null;
  consistency_score: string | null;
  metadata: JsonNullable;
}

export interface SyncSourceCursorsTable {
  source: string;
  cursor: BigIntString;
  events_seen: BigIntString;
  last_event_created_at: TimestampNullable;
  last_captured_at: TimestampNullable;
  last_polled_at: TimestampNullable;
  last_error: string | null;
  last_error_at: TimestampNullable;
  updated_at: Timestamp;
}

export const CHANNEL_KINDS = ['webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface SyncNotificationChannelsTable {
  id: Generated<string>;
  name: string;
  kind: ChannelKind;
  url: string | null;
  /** E-mail addresses (JSON array). */
  recipients: JsonNullable;
  /** `whsec_…`; write-only through the API (shown once at creation and rotation). */
  secret: string | null;
  /** `[{ event: 'job.*', minSeverity?: 'warning' }]`. */
  subscriptions: Json;
  enabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  created_by: string;
  updated_by: string | null;
}

export interface SyncDatabase {
  sync_events: SyncEventsTable;
  sync_event_ids: SyncEventIdsTable;
  sync_status: SyncStatusTable;
  sync_conflicts: SyncConflictsTable;
  sync_conflict_audit: SyncConflictAuditTable;
  sync_configurations: SyncConfigurationsTable;
  sync_metrics: SyncMetricsTable;
  sync_source_cursors: SyncSourceCursorsTable;
  sync_notification_channels: SyncNotificationChannelsTable;
}

export type SyncEventRow = Selectable<SyncEventsTable>;
export type NewSyncEvent = Insertable<SyncEventsTable>;
export type SyncStatusRow = Selectable<SyncStatusTable>;
export type NewSyncStatus = Insertable<SyncStatusTable>;
export type SyncStatusUpdate = Updateable<SyncStatusTable>;
export type SyncConflictRow = Selectable<SyncConflictsTable>;
export type SyncConfigurationRow = Selectable<SyncConfigurationsTable>;
export type SyncMetricRow = Selectable<SyncMetricsTable>;
export type SyncNotificationChannelRow = Selectable<SyncNotificationChannelsTable>;
