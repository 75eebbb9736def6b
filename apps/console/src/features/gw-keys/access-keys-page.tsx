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
import { QueryState } from '../../ui/query-state';
import { PagedTable } from '../gw-common/paged-table';
import { keyState, RevokeDialog, RotateDialog } from './key-actions';
import { NewAccessKeyForm } from './new-access-key-form';
import { issuedSecrets, SecretDialog } from './secret-dialog';
import { StatusFilter } from './status-filter';

type Action = { kind: 'rotate' | 'revoke'; key: AccessKey };

export default function AccessKeysPage() {
  const [filters, setFilters] = useState<AccessKeyFilters>({ page: 1, limit: 20 });
  const [action, setAction] = useState<Action>();
  const query = useQuery(accessKeysQuery(filters));
  const rotate = useRotateAccessKey();
  const revoke = useRevokeAccessKey();
  const open = (next: Action) => {
    revoke.reset();
    setAction(next);
  };
  const finishRotation = () => {
    setAction(undefined);
    rotate.reset();
  };

  const columns: Array<Column<AccessKey>> = [
    { key: 'id', header: 'Access key ID', text: (key) => key.accessKeyId },
    { key: 'owner', header: 'Owner', text: (key) => key.userId },
    { key: 'description', header: 'Description', text: (key) => key.description ?? '' },
    { key: 'scopes', header: 'Rights', text: (key) => (key.scopes ?? ['all the owner may do']).join(', ') },
    { key: 'kind', header: 'Kind', text: (key) => (key.temporary ? 'Temporary' : 'Long-lived') },
    { key: 'state', header: 'Status', text: (key) => keyState(key) },
    { key: 'created', header: 'Created', text: (key) => formatPlantTime(key.createdAt) },
    {
      key: 'actions',
      header: 'Actions',
      text: () => '',
      render: (key) =>
        key.isActive ? (
          <div className="row">
            {!key.temporary && (
              <button
                type="button"
                className="secondary"
                aria-label={`Rotate ${key.accessKeyId}`}
                onClick={() => open({ kind: 'rotate', key })}
              >
                Rotate
              </button>
            )}
            <button type="button" className="danger" aria-label={`Revoke ${key.accessKeyId}`} onClick={() => open({ kind: 'revoke', key })}>
              Revoke
            </button>
          </div>
        ) : null,
    },
  ];

  return (
    <section aria-labelledby="access-keys-title">
      <h2 id="access-keys-title">Access keys</h2>
      <p className="muted">
        Key pairs for programs that sign their calls (AWS Signature Version 4). A key acts as its owner. Times are Sri Lanka time.
      </p>
      <NewAccessKeyForm />
      <StatusFilter label="access keys" onChange={(isActive) => setFilters({ page: 1, limit: 20, ...isActive })} />
      <QueryState query={query} loading="Loading access keys…">
        {(answer) => (
          <PagedTable
            caption="Access keys"
            columns={columns}
            rows={answer.items}
            rowKey={(key) => key.accessKeyId}
            total={answer.total}
            page={answer.page}
            limit={answer.limit}
            onPage={(page) => setFilters({ ...filters, page })}
            busy={query.isPlaceholderData}
            empty="No access keys match. Create one above."
          />
        )}
      </QueryState>
      {action?.kind === 'rotate' && !rotate.data && (
        <RotateDialog
          name={action.key.accessKeyId}
          call={rotate}
          onRotate={(graceSeconds) => rotate.mutate({ id: action.key.accessKeyId, graceSeconds })}
          onClose={finishRotation}
        />
      )}
      {rotate.data && (
        <SecretDialog
          title={`New access key ${rotate.data.accessKeyId}`}
          facts={[
            `Access key ID: ${rotate.data.accessKeyId}`,
            ...(rotate.data.previous
              ? [
                  `The old key ${rotate.data.previous.accessKeyId} works until ${formatPlantTime(rotate.data.previous.expiresAt)} Sri Lanka time.`,
                ]
              : []),
          ]}
          secrets={issuedSecrets(rotate.data)}
          onDone={finishRotation}
        />
      )}
      {action?.kind === 'revoke' && (
        <RevokeDialog
          name={action.key.accessKeyId}
          call={revoke}
          onRevoke={() => revoke.mutate(action.key.accessKeyId, { onSuccess: () => setAction(undefined) })}
          onClose={() => setAction(undefined)}
        />
      )}
      {revoke.isSuccess && <p role="status">Revoked.</p>}
    </section>
  );
}
