import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { apiKeysQuery, useRevokeApiKey, useRotateApiKey, type ApiKey, type ApiKeyFilters } from '../../api/gateway-admin-keys';
import { formatPlantTime } from '../../lib/format';
import type { Column } from '../../ui/data-table';
import { tierName } from '../gw-common/choices';
import { keyPrefix, keyState } from './key-actions';
import { KeyList } from './key-list';
import { NewApiKeyForm } from './new-api-key-form';
import { SecretDialog } from './secret-dialog';
import { StatusFilter } from './status-filter';

const COLUMNS: Array<Column<ApiKey>> = [
  { key: 'name', header: 'Name', text: (key) => key.name },
  { key: 'prefix', header: 'Key begins', text: (key) => keyPrefix(key.keyId) },
  { key: 'owner', header: 'Owner', text: (key) => key.userId },
  { key: 'scopes', header: 'Rights', text: (key) => key.scopes.join(', ') },
  { key: 'tier', header: 'Tier', text: (key) => tierName(key.rateLimitTier) },
  { key: 'state', header: 'Status', text: (key) => keyState(key) },
  { key: 'used', header: 'Last used', text: (key) => formatPlantTime(key.lastUsedAt) || 'Never' },
  { key: 'calls', header: 'Calls', text: (key) => String(key.usage.total), numeric: true },
];

export default function ApiKeysPage() {
  const [filters, setFilters] = useState<ApiKeyFilters>({ page: 1, limit: 20 });
  const rotate = useRotateApiKey();
  const revoke = useRevokeApiKey();
  const query = useQuery(apiKeysQuery(filters));
  return (
    <section aria-labelledby="api-keys-title">
      <h2 id="api-keys-title">API keys</h2>
      <p className="muted">Keys that programs send in the x-api-key header. A key acts as its owner. Times are Sri Lanka time.</p>
      <NewApiKeyForm />
      <StatusFilter label="API keys" onChange={(isActive) => setFilters({ page: 1, limit: 20, ...isActive })} />
      <KeyList
        caption="API keys"
        query={query}
        columns={COLUMNS}
        idOf={(key) => key.keyId}
        nameOf={(key) => key.name}
        isActive={(key) => key.isActive}
        canRotate={() => true}
        rotate={rotate}
        revoke={revoke}
        issued={(issued, done) => (
          <SecretDialog
            title={`New key for ${issued.apiKey.name}`}
            facts={[
              `It begins ${keyPrefix(issued.apiKey.keyId)}`,
              `The old key works until ${formatPlantTime(issued.previous.expiresAt)} Sri Lanka time.`,
            ]}
            secrets={[{ label: 'API key', value: issued.key }]}
            onDone={done}
          />
        )}
        onPage={(page) => setFilters({ ...filters, page })}
        empty="No API keys match. Create one above."
      />
    </section>
  );
}
