import { useQuery } from '@tanstack/react-query';
import { configurationsQuery, textOf, webhookSourcesQuery, type Row } from '../../api/sync';
import { formatPlantTime } from '../../lib/format';
import { DataTable, type Column } from '../../ui/data-table';
import { QueryState } from '../../ui/query-state';
import { QueryTable } from '../../ui/query-table';

const setting = (row: Row, key: string): unknown => {
  const configuration = row.configuration;
  return typeof configuration === 'object' && configuration !== null ? (configuration as Record<string, unknown>)[key] : undefined;
};
const named = (value: unknown, key: string) =>
  typeof value === 'object' && value !== null ? String((value as Record<string, unknown>)[key] ?? '') : '';

const configurationColumns: Array<Column<Row>> = [
  { key: 'name', header: 'Configuration', text: (row) => textOf(row, 'config_name') },
  { key: 'flow', header: 'Flow', text: (row) => `${textOf(row, 'source_system')} → ${textOf(row, 'target_system')}` },
  { key: 'entity', header: 'Records', text: (row) => textOf(row, 'entity_type') },
  { key: 'active', header: 'Active', text: (row) => (row.is_active ? 'Yes' : 'No') },
  { key: 'frequency', header: 'When', text: (row) => textOf(row, 'sync_frequency').replace('_', ' ') },
  { key: 'target', header: 'Delivered to', text: (row) => named(setting(row, 'target'), 'kind') },
  { key: 'conflicts', header: 'On a conflict', text: (row) => named(setting(row, 'conflict'), 'strategy').replace('_', ' ') || 'manual' },
  { key: 'retries', header: 'Retries', text: (row) => textOf(row, 'max_retries'), numeric: true },
  { key: 'changed', header: 'Changed', text: (row) => formatPlantTime(textOf(row, 'updated_at')) },
];

/** What routes events from which source to which target, and how each flow settles conflicts. */
export function Configurations() {
  const query = useQuery(configurationsQuery());
  return (
    <QueryTable
      query={query}
      loading="Loading configurations…"
      caption="Sync configurations"
      columns={configurationColumns}
      rowKey={(row) => textOf(row, 'config_id')}
      exportName="sync-configurations"
      empty="No configurations: nothing is routed."
    />
  );
}

interface Source {
  name: string;
}
const sourceColumns: Array<Column<Source>> = [
  { key: 'name', header: 'Source', text: (source) => source.name },
  { key: 'path', header: 'Sends to', text: (source) => `/webhooks/${source.name}` },
  { key: 'secret', header: 'Signature', text: () => 'Checked with its own secret' },
];

/** The external systems that push webhooks, among those sync knows, whose secret is set. */
export function WebhookSources() {
  const query = useQuery(webhookSourcesQuery());
  return (
    <QueryState query={query} loading="Loading webhook sources…">
      {(names) => (
        <DataTable
          caption="Webhook sources"
          rows={names.map((name) => ({ name }))}
          columns={sourceColumns}
          rowKey={(source) => source.name}
          exportName="sync-webhook-sources"
          empty="No webhook source has a secret set, so none is accepted."
        />
      )}
    </QueryState>
  );
}
