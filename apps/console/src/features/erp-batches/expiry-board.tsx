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
            <button
              type="button"
              className={selected === bucket.level ? undefined : 'secondary'}
              aria-pressed={selected === bucket.level}
              aria-label={`${bucket.label}: ${count} ${count === 1 ? 'batch' : 'batches'}, ${total?.qty ?? '0'} units`}
              onClick={() => onSelect(selected === bucket.level ? undefined : bucket.level)}
            >
              <span className="tile-count">{count}</span> {bucket.label}
              <br />
              <span>{total?.qty ?? '0'} units</span>
            </button>
            <span className="muted">{bucket.rule}</span>
          </li>
        );
      })}
    </ul>
  );
}
