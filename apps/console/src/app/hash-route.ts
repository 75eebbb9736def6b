import { useSyncExternalStore } from 'react';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

/** The page path in the fragment (`#/shipments?status=…` → `shipments`). */
export function useHashPath(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash.replace(/^#\/?/, '').split('?', 1)[0] ?? '');
}

export function hrefOf(path: string): string {
  return `#/${path}`;
}
