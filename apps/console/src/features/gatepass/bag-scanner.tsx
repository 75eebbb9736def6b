import { useRef, useState, type FormEvent } from 'react';
import { labelOf } from '../../lib/bag-label';
import { Field } from '../../ui/field';
import { matchScan, scanMessage, type ScanOutcome, type VehicleBag } from './bag-scan';

interface BagScannerProps {
  bags: readonly VehicleBag[];
  checked: ReadonlySet<string>;
  onChecked: (label: string) => void;
}

/**
 * A USB scanner is a keyboard: it types the label and presses Enter, so a plain text field in a
 * form is all it needs. The field empties and keeps the focus after each bag, ready for the next.
 */
export function BagScanner({ bags, checked, onChecked }: BagScannerProps) {
  const [value, setValue] = useState('');
  const [outcome, setOutcome] = useState<ScanOutcome>();
  const input = useRef<HTMLInputElement>(null);

  function scan(event: FormEvent) {
    event.preventDefault();
    const result = matchScan(value, bags, checked);
    setOutcome(result);
    if (result.kind === 'checked') onChecked(labelOf(result.bag));
    setValue('');
    input.current?.focus();
  }

  const failed = outcome !== undefined && outcome.kind !== 'checked';
  return (
    <form onSubmit={scan} aria-label="Scan bags" className="row no-print">
      <Field label="Scan a bag" hint="Scan the label, or type the code and press Enter.">
        <input ref={input} value={value} autoComplete="off" spellCheck={false} onChange={(event) => setValue(event.target.value)} />
      </Field>
      <button type="submit" className="secondary">
        Check bag
      </button>
      {outcome?.kind === 'checked' && <p role="status">{scanMessage(outcome)}</p>}
      {failed && (
        <p role="alert" className="error">
          {scanMessage(outcome)}
        </p>
      )}
    </form>
  );
}
