import { useState } from 'react';
import { Pager } from '../../ui/pager';

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
    <Pager
      label={`${label}: pages on the server`}
      position={`Page ${keyset.page}`}
      words={['Newer', 'Older']}
      onBack={keyset.page > 1 ? keyset.previous : undefined}
      onForward={nextBefore ? () => keyset.next(nextBefore) : undefined}
    />
  );
}
