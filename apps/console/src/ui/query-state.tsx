import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { ErrorPanel } from './error-panel';

interface QueryStateProps<Data> {
  query: UseQueryResult<Data>;
  /** What the status line says while the first answer is on its way ("Loading plans…"). */
  loading: string;
  children: (data: Data) => ReactNode;
}

/** The loading line, the error panel with its retry, or what the loaded data shows. */
export function QueryState<Data>({ query, loading, children }: QueryStateProps<Data>) {
  if (query.isPending) return <p role="status">{loading}</p>;
  if (query.isError) return <ErrorPanel error={query.error} onRetry={() => void query.refetch()} />;
  return children(query.data);
}
