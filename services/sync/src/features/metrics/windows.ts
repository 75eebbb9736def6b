import { sql, type Kysely } from 'kysely';
import type { SyncDatabase } from '../../db/schema.js';

/**
 * Writes the reference's `sync_metrics` rows for one closed window, computed from the durable
 * tables (not from process counters), so every replica may run it: the unique key on
 * (type, systems, entity, window_start) keeps one row per window whoever writes first.
 */
export async function writeMetricWindow(db: Kysely<SyncDatabase>, windowStart: Date, windowEnd: Date, measuredAt: Date): Promise<number> {
  const seconds = Math.max(1, Math.round((windowEnd.getTime() - windowStart.getTime()) / 1000));
  const statements = [
    sql`insert into sync_metrics (metric_type, entity_type, source_system, target_system, measurement_timestamp, window_start, window_end,
          window_duration_seconds, metric_value, metric_unit, total_records, successful_records, failed_records, average_record_size_bytes)
        select 'throughput', entity_type, source_system, target_system, ${measuredAt}, ${windowStart}, ${windowEnd}, ${seconds},
          round(count(*) filter (where completed_at >= ${windowStart} and completed_at < ${windowEnd})::numeric / ${seconds}, 6), 'records/second',
          count(*), count(*) filter (where completed_at >= ${windowStart} and completed_at < ${windowEnd}),
          count(*) filter (where last_error_at >= ${windowStart} and last_error_at < ${windowEnd}),
          coalesce(avg(data_size_bytes), 0)::bigint
        from sync_status
        where (completed_at >= ${windowStart} and completed_at < ${windowEnd}) or (last_error_at >= ${windowStart} and last_error_at < ${windowEnd})
        group by entity_type, source_system, target_system
        on conflict do nothing`,
    sql`insert into sync_metrics (metric_type, entity_type, source_system, target_system, measurement_timestamp, window_start, window_end,
          window_duration_seconds, metric_value, metric_unit, total_records, successful_records)
        select 'latency', entity_type, source_system, target_system, ${measuredAt}, ${windowStart}, ${windowEnd}, ${seconds},
          round(avg(extract(epoch from (completed_at - event_created_at)) * 1000)::numeric, 6), 'milliseconds', count(*), count(*)
        from sync_status
        where completed_at >= ${windowStart} and completed_at < ${windowEnd}
        group by entity_type, source_system, target_system
        on conflict do nothing`,
    sql`insert into sync_metrics (metric_type, entity_type, source_system, target_system, measurement_timestamp, window_start, window_end,
          window_duration_seconds, metric_value, metric_unit, total_records, successful_records, failed_records)
        select 'error_rate', entity_type, source_system, target_system, ${measuredAt}, ${windowStart}, ${windowEnd}, ${seconds},
          round(100.0 * errors / greatest(errors + successes, 1), 6), 'percentage', errors + successes, successes, errors
        from (
          select entity_type, source_system, target_system,
            count(*) filter (where last_error_at >= ${windowStart} and last_error_at < ${windowEnd}) as errors,
            count(*) filter (where completed_at >= ${windowStart} and completed_at < ${windowEnd}) as successes
          from sync_status
          where (completed_at >= ${windowStart} and completed_at < ${windowEnd}) or (last_error_at >= ${windowStart} and last_error_at < ${windowEnd})
          group by entity_type, source_system, target_system
        ) w
        on conflict do nothing`,
    // Data quality per flow: completeness = not refused for missing required fields, accuracy =
    // not refused by the target (4xx), consistency = delivered without a conflict.
    sql`insert into sync_metrics (metric_type, entity_type, source_system, target_system, measurement_timestamp, window_start, window_end,
          window_duration_seconds, metric_value, metric_unit, total_records, successful_records, failed_records,
          data_accuracy_percentage, completeness_percentage, consistency_score)
        select 'data_quality', entity_type, source_system, target_system, ${measuredAt}, ${windowStart}, ${windowEnd}, ${seconds},
          round(100.0 * (total - refused) / greatest(total, 1), 6), 'percentage', total, total - refused, refused,
          round(100.0 * (total - refused) / greatest(total, 1), 2),
          round(100.0 * (total - incomplete) / greatest(total, 1), 2),
          round(100.0 * (total - conflicted) / greatest(total, 1), 2)
        from (
          select entity_type, source_system, target_system, count(*) as total,
            count(*) filter (where sync_status = 'failed' and last_error_details->>'status' between '400' and '499') as refused,
            count(*) filter (where sync_status = 'failed' and last_error_details->>'code' = 'SYNC_VALIDATION_FAILED') as incomplete,
            count(*) filter (where target_version is not null) as conflicted
          from sync_status
          where updated_at >= ${windowStart} and updated_at < ${windowEnd} and sync_status in ('completed', 'failed', 'skipped')
          group by entity_type, source_system, target_system
        ) q
        on conflict do nothing`,
    sql`insert into sync_metrics (metric_type, entity_type, source_system, target_system, measurement_timestamp, window_start, window_end,
          window_duration_seconds, metric_value, metric_unit, metadata)
        select 'lag', '', source, '*', ${measuredAt}, ${windowStart}, ${windowEnd}, ${seconds},
          coalesce(extract(epoch from (last_captured_at - last_event_created_at)) * 1000, 0), 'milliseconds',
          jsonb_build_object('msSinceLastEvent', coalesce(extract(epoch from (${measuredAt}::timestamptz - last_captured_at)) * 1000, null), 'cursor', cursor::text)
        from sync_source_cursors
        on conflict do nothing`,
    sql`insert into sync_metrics (metric_type, entity_type, source_system, target_system, measurement_timestamp, window_start, window_end,
          window_duration_seconds, metric_value, metric_unit)
        select 'queue_depth', '', '*', target_system, ${measuredAt}, ${windowStart}, ${windowEnd}, ${seconds}, count(*), 'records'
        from sync_status where sync_status in ('pending', 'in_progress')
        group by target_system
        on conflict do nothing`,
    sql`insert into sync_metrics (metric_type, entity_type, source_system, target_system, measurement_timestamp, window_start, window_end,
          window_duration_seconds, metric_value, metric_unit)
        select 'conflicts_pending', '', '*', '*', ${measuredAt}, ${windowStart}, ${windowEnd}, ${seconds}, count(*), 'records'
        from sync_conflicts where resolution_status in ('pending', 'escalated')
        on conflict do nothing`,
  ];
  let written = 0;
  for (const statement of statements) written += Number((await statement.execute(db)).numAffectedRows ?? 0n);
  return written;
}
