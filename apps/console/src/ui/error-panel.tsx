import { ApiError } from '../lib/api-error';

/** A failed load or action, with the code and request id a support call needs, and a retry. */
export function ErrorPanel({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : 'Something went wrong';
  return (
    <div role="alert" className="panel error">
      <p>{message}</p>
      {error instanceof ApiError && (
        <p className="muted">
          Code {error.code}
          {error.requestId ? `, request ${error.requestId}` : ''}
        </p>
      )}
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
