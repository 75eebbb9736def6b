import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiKeysQuery, useRevokeApiKey, useRotateApiKey, type ApiKey, type ApiKeyFilters } from '../../api/gateway-admin-keys';
import { formatPlantTime } from '../../lib/format';
import type { Column } from '../../ui/data-table';
import { QueryState } from '../../ui/query-state';
import { tierName } from '../gw-common/choices';
import { PagedTable } from '../gw-common/paged-table';
import { keyPrefix, keyState, RevokeDialog, RotateDialog } from './key-actions';
import { NewApiKeyForm } from './new-api-key-form';
import { SecretDialog } from './secret-dialog';
import { StatusFilter } from './status-filter';

type Action = { kind: 'rotate' | 'revoke'; key: ApiKey };

export default function ApiKeysPage() {
  const [filters, setFilters] = useState<ApiKeyFilters>({ page: 1, limit: 20 });
  const [action, setAction] = useState<Action>();
  const query = useQuery(apiKeysQuery(filters));
  const rotate = useRotateApiKey();
  const revoke = useRevokeApiKey();

  const open = (next: Action) => {
    revoke.reset();
    setAction(next);
  };
  const columns: Array<Column<ApiKey>> = [
    { key: 'name', header: 'Name', text: (key) => key.name },
    { key: 'prefix', header: 'Key begins', text: (key) => keyPrefix(key.keyId) },
    { key: 'owner', header: 'Owner', text: (key) => key.userId },
    { key: 'scopes', header: 'Rights', text: (key) => key.scopes.join(', ') },
    { key: 'tier', header: 'Tier', text: (key) => tierName(key.rateLimitTier) },
    { key: 'state', header: 'Status', text: (key) => keyState(key) },
    { key: 'used', header: 'Last used', text: (key) => formatPlantTime(key.lastUsedAt) || 'Never' },
    { key: 'calls', header: 'Calls', text: (key) => String(key.usage.total), numeric: true },
    {
      key: 'actions',
      header: 'Actions',
      text: () => '',
      render: (key) =>
        key.isActive ? (
          <div className="row">
            <button type="button" className="secondary" aria-label={`Rotate ${key.name}`} onClick={() => open({ kind: 'rotate', key })}>
              Rotate
            </button>
            <button type="button" className="danger" aria-label={`Revoke ${key.name}`} onClick={() => open({ kind: 'revoke', key })}>
              Revoke
            </button>
          </div>
        ) : null,
    },
  ];

  return (
    <section aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted">Keys that programs send in the x-api-key header. A key acts as its owner. Times are Sri Lanka time.</p>
      <NewApiKeyForm />
      <StatusFilter label="API keys" onChange={(isActive) => setFilters({ page: 1, limit: 20, ...isActive })} />
      <QueryState query={query} loading="Loading API keys…">
        {(answer) => (
          <PagedTable
            caption="API keys"
            columns={columns}
            rows={answer.items}
            rowKey={(key) => key.keyId}
            total={answer.total}
            page={answer.page}
            limit={answer.limit}
            onPage={(page) => setFilters({ ...filters, page })}
            busy={query.isPlaceholderData}
            empty="No API keys match. Create one above."
          />
        )}
      </QueryState>
      {action?.kind === 'rotate' && !rotate.data && (
        <RotateDialog
          name={action.key.name}
          call={rotate}
          onRotate={(graceSeconds) => rotate.mutate({ id: action.key.keyId, graceSeconds })}
          onClose={() => {
            setAction(undefined);
            rotate.reset();
          }}
        />
      )}
      {rotate.data && (
        <SecretDialog
          title={`New key for ${rotate.data.apiKey.name}`}
          facts={[
            `It begins ${keyPrefix(rotate.data.apiKey.keyId)}`,
            `The old key works until ${formatPlantTime(rotate.data.previous.expiresAt)} Sri Lanka time.`,
          ]}
          secrets={[{ label: 'API key', value: rotate.data.key }]}
          onDone={() => {
            setAction(undefined);
            rotate.reset();
          }}
        />
      )}
      {action?.kind === 'revoke' && (
        <RevokeDialog
          name={action.key.name}
          call={revoke}
          onRevoke={() => revoke.mutate(action.key.keyId, { onSuccess: () => setAction(undefined) })}
          onClose={() => setAction(undefined)}
        />
      )}
      {revoke.isSuccess && <p role="status">Revoked.</p>}
    </section>
  );
}
