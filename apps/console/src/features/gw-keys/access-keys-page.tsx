import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import {
  accessKeysQuery,
  useRevokeAccessKey,
  useRotateAccessKey,
  type AccessKey,
  type AccessKeyFilters,
} from '../../api/gateway-admin-keys';
import { formatPlantTime } from '../../lib/format';
import type { Column } from '../../ui/data-table';
import { keyState } from './key-actions';
import { KeyList } from './key-list';
import { NewAccessKeyForm } from './new-access-key-form';
import { issuedSecrets, SecretDialog } from './secret-dialog';
import { StatusFilter } from './status-filter';

const COLUMNS: Array<Column<AccessKey>> = [
  { key: 'id', header: 'Access key ID', text: (key) => key.accessKeyId },
  { key: 'owner', header: 'Owner', text: (key) => key.userId },
  { key: 'description', header: 'Description', text: (key) => key.description ?? '' },
  { key: 'scopes', header: 'Rights', text: (key) => (key.scopes ?? ['all the owner may do']).join(', ') },
  { key: 'kind', header: 'Kind', text: (key) => (key.temporary ? 'Temporary' : 'Long-lived') },
  { key: 'state', header: 'Status', text: (key) => keyState(key) },
  { key: 'created', header: 'Created', text: (key) => formatPlantTime(key.createdAt) },
];

export default function AccessKeysPage() {
  const [filters, setFilters] = useState<AccessKeyFilters>({ page: 1, limit: 20 });
  const rotate = useRotateAccessKey();
  const revoke = useRevokeAccessKey();
  const query = useQuery(accessKeysQuery(filters));
  return (
    <section aria-labelledby="access-keys-title">
      <h2 id="access-keys-title">Access keys</h2>
      <p className="muted">
        Key pairs for programs that sign their calls (AWS Signature Version 4). A key acts as its owner. Times are Sri Lanka time.
      </p>
      <NewAccessKeyForm />
      <StatusFilter label="access keys" onChange={(isActive) => setFilters({ page: 1, limit: 20, ...isActive })} />
      <KeyList
        caption="Access keys"
        query={query}
        columns={COLUMNS}
        idOf={(key) => key.accessKeyId}
        nameOf={(key) => key.accessKeyId}
        isActive={(key) => key.isActive}
        // A rotation issues a long-lived key: a temporary one is replaced by issuing a new temporary one.
        canRotate={(key) => !key.temporary}
        rotate={rotate}
        revoke={revoke}
        issued={(issued, done) => (
          <SecretDialog
            title={`New access key ${issued.accessKeyId}`}
            facts={[
              `Access key ID: ${issued.accessKeyId}`,
              ...(issued.previous
                ? [`The old key ${issued.previous.accessKeyId} works until ${formatPlantTime(issued.previous.expiresAt)} Sri Lanka time.`]
                : []),
            ]}
            secrets={issuedSecrets(issued)}
            onDone={done}
          />
        )}
        onPage={(page) => setFilters({ ...filters, page })}
        empty="No access keys match. Create one above."
      />
    </section>
  );
}
