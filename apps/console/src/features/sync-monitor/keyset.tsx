import { useState } from 'react';

/**
 * Paging of a newest-first list on the server: each page asks for the rows below the last id of
 * the page before, so the cursors of the pages seen are kept to go back.
 */
export function useKeyset() {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  return {
    before: cursors[cursors.length - 1],
    page: cursors.length,
    next: (cursor: string) => setCursors((seen) => [...seen, cursor]),
    previous: () => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)),
    reset: () => setCursors([undefined]),
  };
}

export function KeysetPager({
  label,
  keyset,
  nextBefore,
}: {
  label: string;
  keyset: ReturnType<typeof useKeyset>;
  nextBefore: string | null;
}) {
  return (
    <nav className="pager" aria-label={`${label}: pages on the server`}>
      <button type="button" className="secondary" disabled={keyset.page === 1} onClick={keyset.previous}>
        Newer
      </button>
      <span>Page {keyset.page}</span>
      <button type="button" className="secondary" disabled={!nextBefore} onClick={() => nextBefore && keyset.next(nextBefore)}>
        Older
      </button>
    </nav>
  );
}
