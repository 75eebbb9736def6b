import { BUCKETS, type BucketTotal, type Level } from './buckets';

interface ExpiryBoardProps {
  totals: readonly BucketTotal[];
  selected: Level | undefined;
  onSelect: (level: Level | undefined) => void;
}

/** One card per bucket: pressing it narrows the list below to that bucket, pressing it again shows every batch. */
export function ExpiryBoard({ totals, selected, onSelect }: ExpiryBoardProps) {
  return (
    <ul className="tiles" aria-label="Expiry board" style={{ listStyle: 'none', padding: 0 }}>
      {BUCKETS.map((bucket) => {
        const total = totals.find((candidate) => candidate.level === bucket.level);
        const count = total?.count ?? 0;
        return (
          <li key={bucket.level} className="tile">
            {/* The visible words are the button's name (no aria-label), so speech input finds it by what it shows. */}
            <button
              type="button"
              className={selected === bucket.level ? undefined : 'secondary'}
              aria-pressed={selected === bucket.level}
              onClick={() => onSelect(selected === bucket.level ? undefined : bucket.level)}
            >
              {bucket.label} <span className="tile-count">{count}</span> {count === 1 ? 'batch' : 'batches'}, {total?.qty ?? '0'} units
            </button>
            <span className="muted">{bucket.rule}</span>
          </li>
        );
      })}
    </ul>
  );
}
