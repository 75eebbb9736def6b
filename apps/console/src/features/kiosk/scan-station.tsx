import { formatKg } from '../../lib/format';
import { OutcomePanel, type Outcome } from './outcome';
import { ScanInput, type Scanned } from './scan-input';

export interface ListedBag {
  barcode: string;
  /** "bag 2 of T240225": how the floor names a bag. */
  name: string;
  /** kg taken from the bag. */
  amount: string;
}

interface ScanStationProps {
  scanLabel: string;
  listLabel: string;
  onScan: (scanned: Scanned) => Promise<void>;
  outcome: Outcome | undefined;
  bags: readonly ListedBag[];
  /** Offered only where a scanned bag may be taken back out (the cart; not a batch). */
  onRemove?: (bag: ListedBag) => void;
}

/** Scan, see the verdict, see what was taken: the same for ingredients and for a dispatch cart. */
export function ScanStation({ scanLabel, listLabel, onScan, outcome, bags, onRemove }: ScanStationProps) {
  return (
    <>
      <ScanInput label={scanLabel} onScan={(scanned) => void onScan(scanned)} />
      <OutcomePanel outcome={outcome} />
      {bags.length > 0 && (
        <ol aria-label={listLabel}>
          {bags.map((bag) => (
            <li key={bag.barcode}>
              {bag.name}: {formatKg(bag.amount)}
              {onRemove && (
                <>
                  {' '}
                  <button type="button" className="secondary" onClick={() => onRemove(bag)}>
                    Remove {bag.name}
                  </button>
                </>
              )}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
