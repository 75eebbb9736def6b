import type { UseMutationResult, UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { Column } from '../../ui/data-table';
import { PagedQuery } from '../gw-common/paged-query';
import { RevokeDialog, RotateDialog } from './key-actions';

interface KeyListProps<Key, Issued> {
  caption: string;
  query: UseQueryResult<{ items: Key[]; page: number; limit: number; total: number }>;
  columns: ReadonlyArray<Column<Key>>;
  idOf: (key: Key) => string;
  /** How the key is named in buttons and dialogs. */
  nameOf: (key: Key) => string;
  isActive: (key: Key) => boolean;
  canRotate: (key: Key) => boolean;
  rotate: UseMutationResult<Issued, Error, { id: string; graceSeconds: number }>;
  revoke: UseMutationResult<unknown, Error, string>;
  /** The replacement's secret, shown once; `done` closes it and forgets the secret. */
  issued: (issued: Issued, done: () => void) => ReactNode;
  onPage: (page: number) => void;
  empty: string;
}

type Action<Key> = { kind: 'rotate' | 'revoke'; key: Key };

/** A page of keys with Rotate and Revoke on each active one; API keys and access keys alike. */
export function KeyList<Key, Issued>({ idOf, nameOf, isActive, canRotate, rotate, revoke, issued, ...list }: KeyListProps<Key, Issued>) {
  const [action, setAction] = useState<Action<Key>>();
  const open = (next: Action<Key>) => {
    revoke.reset();
    setAction(next);
  };
  const finishRotation = () => {
    setAction(undefined);
    rotate.reset();
  };
  const actions: Column<Key> = {
    key: 'actions',
    header: 'Actions',
    text: () => '',
    render: (key) =>
      isActive(key) ? (
        <div className="row">
          {canRotate(key) && (
            <button type="button" className="secondary" aria-label={`Rotate ${nameOf(key)}`} onClick={() => open({ kind: 'rotate', key })}>
              Rotate
            </button>
          )}
          <button type="button" className="danger" aria-label={`Revoke ${nameOf(key)}`} onClick={() => open({ kind: 'revoke', key })}>
            Revoke
          </button>
        </div>
      ) : null,
  };

  return (
    <>
      <PagedQuery {...list} loading={`Loading ${list.caption.toLowerCase()}…`} columns={[...list.columns, actions]} rowKey={idOf} />
      {action?.kind === 'rotate' && !rotate.data && (
        <RotateDialog
          name={nameOf(action.key)}
          call={rotate}
          onRotate={(graceSeconds) => rotate.mutate({ id: idOf(action.key), graceSeconds })}
          onClose={finishRotation}
        />
      )}
      {rotate.data && issued(rotate.data, finishRotation)}
      {action?.kind === 'revoke' && (
        <RevokeDialog
          name={nameOf(action.key)}
          call={revoke}
          onRevoke={() => revoke.mutate(idOf(action.key), { onSuccess: () => setAction(undefined) })}
          onClose={() => setAction(undefined)}
        />
      )}
      {revoke.isSuccess && <p role="status">Revoked.</p>}
    </>
  );
}
